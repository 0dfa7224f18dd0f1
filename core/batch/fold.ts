/**
 * Folding a batch ledger: the records, in order, give every prefix's state (BatchJobRecord), the
 * batch's report (BatchReport) and its progress (BatchProgress). Pure: the runner folds the records
 * it appends, `batch report` folds what is on disk, so both always agree.
 */
import type { BatchFailureGroup, BatchJobRecord, BatchProgress, BatchReport } from './batch-types';
import { clientTokenFor, type BatchLedgerRecord } from './ledger';

export type StartedRecord = Extract<BatchLedgerRecord, { type: 'batch-started' }>;

export interface FoldedBatch {
  started: StartedRecord;
  /** In plan order, then added (staged) prefixes. */
  jobs: BatchJobRecord[];
  byUri: Map<string, BatchJobRecord>;
  /** Each prefix's last job-ended record (its failure groups count; a retried attempt's old ones do not). */
  lastEnd: Map<string, Extract<BatchLedgerRecord, { type: 'job-ended' }>>;
  apiCalls: Record<string, number>;
  ended?: Extract<BatchLedgerRecord, { type: 'batch-ended' }>;
  /** The last record says the driving process stopped (Ctrl-C...) without ending the batch. */
  stopped: boolean;
  /** Paused for credentials and not yet going again. */
  paused: boolean;
  lastAt: string;
}

/** An empty fold of a batch: every planned prefix queued. */
export function startFold(started: StartedRecord): FoldedBatch {
  const f: FoldedBatch = { started, jobs: [], byUri: new Map(), lastEnd: new Map(), apiCalls: {}, stopped: false, paused: false, lastAt: started.at };
  addJobs(f, started.plan.jobs);
  return f;
}

function addJobs(f: FoldedBatch, jobs: ReadonlyArray<{ inputS3Uri: string; files: number; bytes: number }>): void {
  for (const j of jobs) {
    if (f.byUri.has(j.inputS3Uri)) continue;
    const rec: BatchJobRecord = { inputS3Uri: j.inputS3Uri, files: j.files, bytes: j.bytes, state: 'queued', clientToken: clientTokenFor(f.started.batchId, j.inputS3Uri), attempts: 0 };
    f.jobs.push(rec);
    f.byUri.set(j.inputS3Uri, rec);
  }
}

/** Applies one record (in ledger order) to the fold. */
export function applyRecord(f: FoldedBatch, r: BatchLedgerRecord): void {
  const job = 'inputS3Uri' in r ? f.byUri.get(r.inputS3Uri) : undefined;
  switch (r.type) {
    case 'jobs-added':
      addJobs(f, r.jobs);
      break;
    case 'job-submitting':
      if (!job) break;
      // A new attempt (a retry of a FAILED prefix) starts clean.
      if (r.attempt !== job.attempts) {
        for (const k of ['jobId', 'submittedAt', 'endedAt', 'scanned', 'imported', 'failed', 'imageSets', 'message'] as const) delete job[k];
        f.lastEnd.delete(job.inputS3Uri);
      }
      job.state = 'submitting';
      job.attempts = r.attempt;
      job.clientToken = r.clientToken;
      break;
    case 'job-submitted':
      if (!job) break;
      job.state = 'SUBMITTED';
      job.jobId = r.jobId;
      job.submittedAt = r.submittedAt ?? r.at;
      break;
    case 'job-requeued':
      if (job) job.state = 'queued';
      break;
    case 'job-status':
      if (job && job.jobId === r.jobId) job.state = r.status;
      break;
    case 'job-ended':
      if (!job || job.jobId !== r.jobId) break;
      job.state = r.status;
      job.endedAt = r.endedAt ?? r.at;
      if (r.message) job.message = r.message;
      for (const k of ['scanned', 'imported', 'failed', 'imageSets'] as const) {
        const n = r.results[k];
        if (n !== undefined) job[k] = n;
      }
      f.lastEnd.set(r.inputS3Uri, r);
      break;
    case 'api-calls':
      for (const [op, n] of Object.entries(r.calls)) f.apiCalls[op] = (f.apiCalls[op] ?? 0) + n;
      break;
    case 'batch-paused':
      f.paused = true;
      break;
    case 'batch-unpaused':
    case 'batch-resumed':
      f.paused = false;
      break;
    case 'batch-ended':
      f.ended = r;
      break;
    default:
      break;
  }
  f.stopped = r.type === 'batch-stopped';
  f.lastAt = r.at;
}

export function foldLedger(records: readonly BatchLedgerRecord[]): FoldedBatch {
  const started = records[0];
  if (!started || started.type !== 'batch-started') throw new Error('a batch ledger starts with batch-started');
  const f = startFold(started);
  for (const r of records.slice(1)) applyRecord(f, r);
  return f;
}

/** Failures across the prefixes' last attempts, grouped by exception type, most first. */
export function failuresOf(f: FoldedBatch): BatchFailureGroup[] {
  const groups = new Map<string, BatchFailureGroup>();
  for (const r of f.lastEnd.values())
    for (const g of r.results.failuresByType ?? []) {
      const seen = groups.get(g.type) ?? { type: g.type, count: 0, examples: [] };
      seen.count += g.count;
      for (const ex of g.examples) if (seen.examples.length < 5) seen.examples.push(ex);
      groups.set(g.type, seen);
    }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

export function totalsOf(jobs: readonly BatchJobRecord[]): BatchReport['totals'] {
  const t = { scanned: 0, imported: 0, failed: 0, imageSets: 0 };
  for (const j of jobs) {
    t.scanned += j.scanned ?? 0;
    t.imported += j.imported ?? 0;
    t.failed += j.failed ?? 0;
    t.imageSets += j.imageSets ?? 0;
  }
  return t;
}

/** How a batch whose every prefix ended came out: any FAILED job fails it; failed files make it "with errors". */
export function outcomeOf(jobs: readonly BatchJobRecord[]): 'completed' | 'completed_with_errors' | 'failed' | undefined {
  if (jobs.some((j) => j.state !== 'COMPLETED' && j.state !== 'FAILED')) return undefined;
  if (jobs.some((j) => j.state === 'FAILED')) return 'failed';
  return jobs.some((j) => (j.failed ?? 0) > 0) ? 'completed_with_errors' : 'completed';
}

export function reportOf(f: FoldedBatch, driven: boolean): BatchReport {
  const s = f.started;
  const state: BatchReport['state'] = f.ended ? f.ended.state : driven ? 'running' : 'interrupted';
  return {
    batchId: s.batchId,
    datastoreId: s.inputs.datastoreId,
    region: s.target.region,
    sandbox: s.target.sandbox,
    inputS3Uri: s.inputs.inputS3Uri,
    outputS3Uri: s.inputs.outputS3Uri,
    dataAccessRoleArn: s.inputs.dataAccessRoleArn,
    ...(s.inputs.stageTo ? { stageTo: s.inputs.stageTo } : {}),
    limits: s.limits,
    concurrency: s.concurrency,
    startedAt: s.at,
    ...(f.ended ? { endedAt: f.ended.at } : {}),
    state,
    jobs: f.jobs.map((j) => ({
      inputS3Uri: j.inputS3Uri,
      ...(j.jobId ? { jobId: j.jobId } : {}),
      status: j.state,
      state: j.state,
      files: j.files,
      bytes: j.bytes,
      ...(j.scanned !== undefined ? { scanned: j.scanned } : {}),
      ...(j.imported !== undefined ? { imported: j.imported } : {}),
      ...(j.failed !== undefined ? { failed: j.failed } : {}),
      ...(j.imageSets !== undefined ? { imageSets: j.imageSets } : {}),
      ...(j.message ? { message: j.message } : {}),
      ...(j.submittedAt ? { submittedAt: j.submittedAt } : {}),
      ...(j.endedAt ? { endedAt: j.endedAt } : {}),
      attempts: j.attempts,
    })),
    totals: totalsOf(f.jobs),
    failuresByType: failuresOf(f),
    apiCalls: f.apiCalls,
  };
}

/**
 * Progress with an ETA: files still to import at the rate files were imported since the batch
 * started (absent until a job has ended). `nowMs` from the runner's clock.
 */
export function progressOf(f: FoldedBatch, nowMs: number, paused = f.paused): BatchProgress {
  const jobs = { total: f.jobs.length, queued: 0, running: 0, completed: 0, failed: 0 };
  let plannedFiles = 0;
  let doneFiles = 0;
  for (const j of f.jobs) {
    plannedFiles += j.files;
    if (j.state === 'queued') jobs.queued++;
    else if (j.state === 'COMPLETED') jobs.completed++;
    else if (j.state === 'FAILED') jobs.failed++;
    else jobs.running++;
    if (j.state === 'COMPLETED' || j.state === 'FAILED') doneFiles += j.files;
  }
  const totals = totalsOf(f.jobs);
  const progress: BatchProgress = {
    batchId: f.started.batchId,
    jobs,
    files: { planned: plannedFiles, imported: totals.imported, failed: totals.failed },
    bytes: { planned: f.jobs.reduce((n, j) => n + j.bytes, 0) },
    paused,
  };
  const startMs = Date.parse(f.started.at);
  if (doneFiles > 0 && doneFiles < plannedFiles && nowMs > startMs) {
    const perFile = (nowMs - startMs) / doneFiles;
    progress.eta = new Date(nowMs + perFile * (plannedFiles - doneFiles)).toISOString();
  }
  return progress;
}
