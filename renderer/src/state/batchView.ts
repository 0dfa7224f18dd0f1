/**
 * What the "Import an archive" and batch screens show, as pure functions of the contract's types:
 * the form's field checks (HealthImaging's rules, the same the main process applies), the plan in
 * words, and a running batch as bars, counts, rows and an ETA. No React, no IPC: unit-tested.
 */
import type { BatchJobRecord, BatchJobState, BatchPlanSummary, BatchProgress, BatchProgressUpdate, BatchReport, BatchSummary } from '../../../contract/ipc';
import { checkField } from '../../../core/healthimaging/field-rules';
import { failureCause } from '../../../core/report/failure-causes';
import { formatBytes } from '../../../core/text/bytes';
import { formatDuration } from '../../../core/text/duration';

export { formatBytes };


export const count = (n: number | undefined): string => (n === undefined ? '—' : n.toLocaleString('en-US'));
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

/** What the form holds; numbers as typed (empty: the default). */
export interface ArchiveForm {
  datastoreId: string;
  inputS3Uri: string;
  outputS3Uri: string;
  dataAccessRoleArn: string;
  maxFiles: string;
  concurrency: string;
  stageTo: string;
}

export const EMPTY_ARCHIVE_FORM: ArchiveForm = { datastoreId: '', inputS3Uri: '', outputS3Uri: '', dataAccessRoleArn: '', maxFiles: '', concurrency: '', stageTo: '' };

export const ARCHIVE_LABELS = {
  datastoreId: 'Data store ID',
  inputS3Uri: 'Archive location',
  outputS3Uri: 'Output location',
  dataAccessRoleArn: 'Data access role',
  maxFiles: 'Files per import job',
  concurrency: 'Import jobs at once',
  stageTo: 'Staging location',
} as const satisfies Record<keyof ArchiveForm, string>;

function folderIssue(value: string, label: string): string | undefined {
  if (!value) return undefined;
  const shape = checkField('inputS3Uri', value, label);
  if (shape) return shape;
  const prefix = value.replace(/^s3:\/\/[^/]+\/?/, '');
  return prefix !== '' && !prefix.endsWith('/') ? `${label} must name a folder and end with "/": an import job takes a whole folder` : undefined;
}

function wholeNumber(value: string, label: string, max: number): string | undefined {
  if (!value.trim()) return undefined;
  if (!/^\d+$/.test(value.trim())) return `${label} must be a whole number`;
  const n = Number(value);
  if (n < 1) return `${label} must be at least 1`;
  if (n > max) return `${label} must be at most ${max.toLocaleString('en-US')}`;
  return undefined;
}

/** Per-field problems, the first one per field; `touched` limits "is required" to fields the user left. */
export function archiveFormIssues(form: ArchiveForm, opts: { requireAll?: boolean } = {}): Partial<Record<keyof ArchiveForm, string>> {
  const out: Partial<Record<keyof ArchiveForm, string>> = {};
  const L = ARCHIVE_LABELS;
  for (const field of ['datastoreId', 'inputS3Uri', 'outputS3Uri', 'dataAccessRoleArn'] as const) {
    const value = form[field].trim();
    if (!value) {
      if (opts.requireAll) out[field] = `${L[field]} is required`;
      continue;
    }
    const issue = field === 'inputS3Uri' || field === 'outputS3Uri' ? folderIssue(value, L[field]) : checkField(field, value, L[field]);
    if (issue) out[field] = issue;
  }
  const maxFiles = wholeNumber(form.maxFiles, L.maxFiles, 1_000_000);
  if (maxFiles) out.maxFiles = maxFiles;
  const concurrency = wholeNumber(form.concurrency, L.concurrency, 1000);
  if (concurrency) out.concurrency = concurrency;
  const stageTo = folderIssue(form.stageTo.trim(), L.stageTo);
  if (stageTo) out.stageTo = stageTo;
  return out;
}

/** The request the form makes (validated first by archiveFormIssues). */
export function archiveRequest(form: ArchiveForm) {
  const maxFiles = form.maxFiles.trim() ? Number(form.maxFiles) : undefined;
  return {
    datastoreId: form.datastoreId.trim(),
    inputS3Uri: form.inputS3Uri.trim(),
    outputS3Uri: form.outputS3Uri.trim(),
    dataAccessRoleArn: form.dataAccessRoleArn.trim(),
    ...(maxFiles ? { limits: { maxFiles } } : {}),
  };
}

export function startRequest(form: ArchiveForm) {
  const concurrency = form.concurrency.trim() ? Number(form.concurrency) : undefined;
  return { ...archiveRequest(form), ...(concurrency ? { concurrency } : {}), ...(form.stageTo.trim() ? { stageTo: form.stageTo.trim() } : {}) };
}

/** The fields a plan depends on: a change to any of them makes the plan shown stale. */
export const planKey = (form: ArchiveForm, target: { profile: string; region: string }) =>
  JSON.stringify([target.profile, target.region, form.datastoreId.trim(), form.inputS3Uri.trim(), form.outputS3Uri.trim(), form.dataAccessRoleArn.trim(), form.maxFiles.trim()]);

export interface PlanView {
  headline: string;
  /** The summary's figures; `detail` is a line under the figure. */
  stats: Array<{ label: string; value: string; detail?: string }>;
  expectedCalls: Array<{ operation: string; calls: string; note: string }>;
  unsplittable: Array<{ prefix: string; files: string; size: string; detail: string; fix: string; stageable: boolean }>;
  /** Why Start is not possible yet, or undefined when it is. */
  blocked?: string;
}

const CALL_NOTES: Record<string, string> = {
  ListObjectsV2: 'already made: listing the archive, 1,000 objects a page',
  StartDICOMImportJob: 'one per job, paced within the request rate and the concurrency quota',
  'ListDICOMImportJobs per poll': 'per poll: one call watches up to 50 running jobs',
  GetObject: "one per job: the job's output manifest, for the report",
};

const POLL = 'ListDICOMImportJobs per poll';

export function planView(plan: BatchPlanSummary, stageTo = ''): PlanView {
  const jobs = plan.jobs.length;
  const files = plan.jobs.reduce((a, j) => a + j.files, 0);
  const headline =
    jobs === 0 && plan.unsplittable.length === 0
      ? 'The archive holds no files to import.'
      : `${plural(jobs, 'import job')} for ${plural(files, 'file')} (${formatBytes(plan.jobs.reduce((a, j) => a + j.bytes, 0))}), each within ${plural(plan.limits.maxFiles, 'file')} and ${formatBytes(plan.limits.maxBytes)}.`;
  const unsplittable = plan.unsplittable.map((u) => ({
    prefix: u.prefix,
    files: count(u.files),
    size: formatBytes(u.bytes),
    detail: u.detail.replace(/ ?Stage them into sub-prefixes with --stage-to s3:\/\/BUCKET\/PREFIX\/\.?$/, ''),
    fix: u.stageable
      ? 'Set a staging location below (--stage-to s3://BUCKET/PREFIX/ on the command line): its files are copied there (S3 CopyObject, server side, nothing downloaded) into sub-prefixes that fit, and those are imported.'
      : 'This file cannot be imported by any job: re-encode or split the instance, or move it out of the archive.',
    stageable: u.stageable,
  }));
  const needsStaging = plan.unsplittable.some((u) => u.stageable);
  const cannot = plan.unsplittable.some((u) => !u.stageable);
  // Staging copies each file of a folder that cannot be cut once, then imports the parts.
  const staged = plan.unsplittable.filter((u) => u.stageable);
  const copies = staged.reduce((a, u) => a + u.files, 0);
  const stagedJobs = staged.reduce((a, u) => a + Math.ceil(u.files / Math.max(1, plan.limits.maxFiles)), 0);
  const calls: Record<string, number> = { ...plan.expectedApiCalls, ...(copies ? { CopyObject: copies } : {}) };
  // Every call but the poll is made a known number of times; the poll's count depends on how long the jobs run.
  const once = Object.entries(calls).reduce((a, [op, n]) => (op === POLL ? a : a + n), 0);
  const perPoll = calls[POLL];
  return {
    headline,
    stats: [
      { label: 'Import jobs', value: count(jobs), ...(stagedJobs ? { detail: `and about ${plural(stagedJobs, 'more job')} once staged` } : {}) },
      { label: 'Files in the archive', value: count(plan.totals.files), detail: `in ${plural(plan.totals.folders, 'folder')}` },
      { label: 'Size', value: formatBytes(plan.totals.bytes) },
      { label: 'Expected API calls', value: count(once), ...(perPoll ? { detail: `and ${plural(perPoll, 'ListDICOMImportJobs call')} a poll while jobs run` } : {}) },
    ],
    expectedCalls: Object.entries(calls).map(([operation, n]) => ({
      operation,
      calls: count(n),
      note: operation === 'CopyObject' ? `only with a staging location: one per file of the folders that cannot be cut, server side; then about ${plural(stagedJobs, 'more import job')}` : (CALL_NOTES[operation] ?? ''),
    })),
    unsplittable,
    blocked:
      jobs === 0 && !needsStaging
        ? 'There is nothing to import under this prefix.'
        : needsStaging && !stageTo.trim()
          ? `${plural(plan.unsplittable.filter((u) => u.stageable).length, 'folder')} cannot be cut into jobs: set a staging location, or choose a prefix without ${plan.unsplittable.length === 1 ? 'it' : 'them'}.`
          : cannot && jobs === 0
            ? 'No file under this prefix can be imported.'
            : undefined,
  };
}

/**
 * What the form says while Start is pending: the app lists the archive again and, with a staging
 * location, copies every file of the folders that cannot be cut before it answers (no job may see
 * half a part), which for a big folder takes minutes: the wait is named, not a bare spinner.
 */
export function startingView(plan: BatchPlanSummary, stageTo = ''): { header: string; detail: string } {
  const staged = stageTo.trim() ? plan.unsplittable.filter((u) => u.stageable) : [];
  const copies = staged.reduce((a, u) => a + u.files, 0);
  if (copies === 0)
    return { header: 'Starting the import…', detail: `Listing ${plan.inputS3Uri} again (the archive may have changed since the plan) and recording the batch; its jobs start next.` };
  return {
    header: `Staging ${plural(copies, 'file')}…`,
    detail: `Copying ${plural(copies, 'file')} (${formatBytes(staged.reduce((a, u) => a + u.bytes, 0))}) of ${plural(staged.length, 'folder')} into ${stageTo.trim()} with CopyObject, server side, nothing downloaded. The import starts once every copy is in place; if this is interrupted, starting again copies only what is missing.`,
  };
}

// ---------------------------------------------------------------- the running batch

export type StatusType = 'pending' | 'in-progress' | 'loading' | 'success' | 'warning' | 'error' | 'stopped' | 'info';

export const JOB_STATE_TEXT: Record<BatchJobState, string> = {
  queued: 'Queued',
  submitting: 'Submitting',
  SUBMITTED: 'Submitted',
  IN_PROGRESS: 'In progress',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
};

export function jobStatus(job: Pick<BatchJobRecord, 'state' | 'failed'>): { type: StatusType; text: string } {
  switch (job.state) {
    case 'queued':
      return { type: 'pending', text: 'Queued' };
    case 'submitting':
      return { type: 'loading', text: 'Submitting' };
    case 'SUBMITTED':
      return { type: 'in-progress', text: 'Submitted' };
    case 'IN_PROGRESS':
      return { type: 'in-progress', text: 'In progress' };
    case 'COMPLETED':
      return job.failed ? { type: 'warning', text: `Completed, ${plural(job.failed, 'file')} failed` } : { type: 'success', text: 'Completed' };
    case 'FAILED':
      return { type: 'error', text: 'Failed' };
  }
}

export const BATCH_STATE_TEXT: Record<BatchReport['state'], string> = {
  running: 'Running',
  interrupted: 'Interrupted',
  completed: 'Completed',
  completed_with_errors: 'Completed with errors',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function batchStateStatus(state: BatchReport['state'], paused = false): { type: StatusType; text: string } {
  if (state === 'running' && paused) return { type: 'stopped', text: 'Paused' };
  switch (state) {
    case 'running':
      return { type: 'in-progress', text: 'Running' };
    case 'interrupted':
      return { type: 'warning', text: 'Interrupted' };
    case 'completed':
      return { type: 'success', text: 'Completed' };
    case 'completed_with_errors':
      return { type: 'warning', text: 'Completed with errors' };
    case 'failed':
      return { type: 'error', text: 'Failed' };
    case 'cancelled':
      return { type: 'stopped', text: 'Cancelled' };
  }
}

const RUNNING: readonly BatchJobState[] = ['submitting', 'SUBMITTED', 'IN_PROGRESS'];

/** A report's jobs as the records the progress push carries (a batch opened from History). */
export function jobsFromReport(report: BatchReport): BatchJobRecord[] {
  return report.jobs.map((j) => ({ ...j, state: j.status ?? j.state, clientToken: '' }));
}

/** The progress a report implies, for the first paint before any push arrives. */
export function progressFromJobs(batchId: string, jobs: readonly BatchJobRecord[], paused = false, eta?: string): BatchProgress {
  const by = (s: readonly BatchJobState[]) => jobs.filter((j) => s.includes(j.state)).length;
  return {
    batchId,
    jobs: { total: jobs.length, queued: by(['queued']), running: by(RUNNING), completed: by(['COMPLETED']), failed: by(['FAILED']) },
    files: { planned: jobs.reduce((a, j) => a + j.files, 0), imported: jobs.reduce((a, j) => a + (j.imported ?? 0), 0), failed: jobs.reduce((a, j) => a + (j.failed ?? 0), 0) },
    bytes: { planned: jobs.reduce((a, j) => a + j.bytes, 0) },
    ...(eta ? { eta } : {}),
    paused,
  };
}

export function updateFromReport(report: BatchReport): BatchProgressUpdate {
  const jobs = jobsFromReport(report);
  return { batchId: report.batchId, progress: progressFromJobs(report.batchId, jobs), jobs };
}

const pct = (n: number, of: number) => (of > 0 ? Math.max(0, Math.min(100, Math.round((n / of) * 1000) / 10)) : 0);

/** "about 12 min left (14:05 UTC)", or why there is no estimate yet. */
export function etaText(progress: BatchProgress, now: number, ended: boolean): string {
  if (ended) return 'Ended';
  if (progress.paused) return 'Paused: no estimate while no job is submitted';
  if (!progress.eta) return 'Estimated once the first job has ended';
  const at = Date.parse(progress.eta);
  if (!Number.isFinite(at)) return '—';
  const left = at - now;
  const clock = new Date(at).toISOString().slice(11, 16);
  return left <= 0 ? `Any moment now (estimated ${clock} UTC)` : `About ${formatDuration(left)} left (${clock} UTC)`;
}

export interface BatchScreen {
  /** Done: no job queued or running. */
  ended: boolean;
  files: { value: number; label: string; description: string };
  jobs: { value: number; label: string; description: string };
  counts: Array<{ label: string; value: string; type: StatusType }>;
  rows: Array<{ inputS3Uri: string; jobId: string; status: { type: StatusType; text: string }; files: string; size: string; imported: string; failed: string; message?: string }>;
  eta: string;
}

export function batchScreen(update: BatchProgressUpdate, now: number): BatchScreen {
  const p = update.progress;
  const ended = p.jobs.total > 0 && p.jobs.queued === 0 && p.jobs.running === 0;
  const filesDone = p.files.imported + p.files.failed;
  const jobsDone = p.jobs.completed + p.jobs.failed;
  return {
    ended,
    files: {
      value: pct(filesDone, p.files.planned),
      label: 'Files',
      description: `${count(p.files.imported)} imported${p.files.failed ? `, ${count(p.files.failed)} failed` : ''} of ${count(p.files.planned)} (${formatBytes(p.bytes.planned)})`,
    },
    jobs: { value: pct(jobsDone, p.jobs.total), label: 'Import jobs', description: `${count(jobsDone)} of ${count(p.jobs.total)} ended` },
    counts: [
      { label: 'Running', value: count(p.jobs.running), type: 'in-progress' },
      { label: 'Queued', value: count(p.jobs.queued), type: 'pending' },
      { label: 'Done', value: count(p.jobs.completed), type: 'success' },
      { label: 'Failed', value: count(p.jobs.failed), type: p.jobs.failed ? 'error' : 'stopped' },
    ],
    rows: update.jobs.map((j) => ({
      inputS3Uri: j.inputS3Uri,
      jobId: j.jobId ?? '—',
      status: jobStatus(j),
      files: count(j.files),
      size: formatBytes(j.bytes),
      imported: count(j.imported),
      failed: count(j.failed),
      ...(j.message ? { message: j.message } : {}),
    })),
    eta: etaText(p, now, ended),
  };
}

/** Failures grouped by type with the plain-language cause and fix (the same words as the report). */
export function failureGroupsView(report: Pick<BatchReport, 'failuresByType'>): Array<{ type: string; count: string; cause: string; fix: string; examples: string[]; more: string }> {
  return report.failuresByType.map((g) => {
    const c = failureCause(g.type, [g.type, ...g.examples].join(' '));
    return {
      type: g.type,
      count: plural(g.count, 'file'),
      cause: c?.cause ?? `HealthImaging reported ${g.type} for these files.`,
      fix: c?.fix ?? "Each job's FAILURE/failure.ndjson under the output location gives every file's reason: fix those files, then import them again.",
      examples: g.examples,
      more: g.count > g.examples.length ? `… and ${count(g.count - g.examples.length)} more` : '',
    };
  });
}

/** What the window can do with a batch now. */
export function batchActions(state: BatchReport['state'] | undefined, paused: boolean, ended: boolean): { pause: boolean; resume: boolean; cancel: boolean } {
  const live = state === 'running' && !ended;
  return { pause: live && !paused, resume: (live && paused) || state === 'interrupted', cancel: live || state === 'interrupted' };
}

/** Newest first, for History. */
export function sortBatches(list: readonly BatchSummary[]): BatchSummary[] {
  return [...list].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
