import { describe, expect, it } from 'vitest';
import type { BatchJobRecord, BatchPlanSummary, BatchProgressUpdate, BatchReport } from '../../../contract/ipc';
import {
  archiveFormIssues,
  archiveRequest,
  batchActions,
  batchScreen,
  batchStateStatus,
  EMPTY_ARCHIVE_FORM,
  etaText,
  failureGroupsView,
  formatBytes,
  planKey,
  planView,
  progressFromJobs,
  startingView,
  startRequest,
  updateFromReport,
} from './batchView';

const form = {
  ...EMPTY_ARCHIVE_FORM,
  datastoreId: '0123456789abcdef0123456789abcdef',
  inputS3Uri: 's3://archive-bucket/pacs/',
  outputS3Uri: 's3://archive-bucket/out/',
  dataAccessRoleArn: 'arn:aws:iam::123456789012:role/Import',
};

const limits = { maxFiles: 5000, maxBytes: 10_000_000_000, maxFolders: 10_000, maxFileBytes: 10_000_000_000 };

describe('the archive form', () => {
  it('accepts a complete form and builds the plan and start requests from it', () => {
    expect(archiveFormIssues(form, { requireAll: true })).toEqual({});
    expect(archiveRequest({ ...form, maxFiles: ' 12 ' })).toEqual({
      datastoreId: form.datastoreId,
      inputS3Uri: form.inputS3Uri,
      outputS3Uri: form.outputS3Uri,
      dataAccessRoleArn: form.dataAccessRoleArn,
      limits: { maxFiles: 12 },
    });
    expect(startRequest({ ...form, concurrency: '3', stageTo: 's3://archive-bucket/staged/' })).toMatchObject({ concurrency: 3, stageTo: 's3://archive-bucket/staged/' });
    expect(startRequest(form)).not.toHaveProperty('concurrency');
  });

  it('names the field and its rule for each bad value; "required" only when asked', () => {
    expect(archiveFormIssues(EMPTY_ARCHIVE_FORM)).toEqual({});
    expect(archiveFormIssues(EMPTY_ARCHIVE_FORM, { requireAll: true })).toEqual({
      datastoreId: 'Data store ID is required',
      inputS3Uri: 'Archive location is required',
      outputS3Uri: 'Output location is required',
      dataAccessRoleArn: 'Data access role is required',
    });
    const bad = archiveFormIssues({ ...form, datastoreId: 'ABC', inputS3Uri: 's3://archive-bucket/pacs', outputS3Uri: 'https://x', dataAccessRoleArn: 'role', maxFiles: '1.5', concurrency: '0', stageTo: 's3://Bad' });
    expect(bad.datastoreId).toMatch(/Data store ID must be 32 lowercase letters or digits/);
    expect(bad.inputS3Uri).toMatch(/Archive location must name a folder and end with "\/"/);
    expect(bad.outputS3Uri).toMatch(/Output location must be an S3 URI/);
    expect(bad.dataAccessRoleArn).toMatch(/Data access role must be an IAM role ARN/);
    expect(bad.maxFiles).toBe('Files per import job must be a whole number');
    expect(bad.concurrency).toBe('Import jobs at once must be at least 1');
    expect(bad.stageTo).toMatch(/Staging location must be an S3 URI/);
    // The bucket root is a folder too.
    expect(archiveFormIssues({ ...form, inputS3Uri: 's3://archive-bucket' }).inputS3Uri).toBeUndefined();
  });

  it('a plan goes stale when a field it depends on changes, not when concurrency does', () => {
    const t = { profile: 'p', region: 'us-east-1' };
    expect(planKey({ ...form, concurrency: '5' }, t)).toBe(planKey(form, t));
    expect(planKey({ ...form, maxFiles: '10' }, t)).not.toBe(planKey(form, t));
    expect(planKey(form, { ...t, region: 'eu-west-1' })).not.toBe(planKey(form, t));
  });
});

const plan = (over: Partial<BatchPlanSummary> = {}): BatchPlanSummary => ({
  inputS3Uri: 's3://archive-bucket/pacs/',
  limits,
  jobs: [
    { inputS3Uri: 's3://archive-bucket/pacs/a/', files: 4000, bytes: 2_000_000_000 },
    { inputS3Uri: 's3://archive-bucket/pacs/b/', files: 3000, bytes: 1_500_000_000 },
  ],
  unsplittable: [],
  totals: { files: 7000, bytes: 3_500_000_000, folders: 12 },
  listCalls: 7,
  expectedApiCalls: { ListObjectsV2: 7, StartDICOMImportJob: 2, 'ListDICOMImportJobs per poll': 1, GetObject: 2 },
  ...over,
});

describe('the plan in words', () => {
  it('headline, stats and expected API calls with what each is for', () => {
    const v = planView(plan());
    expect(v.headline).toBe('2 import jobs for 7,000 files (3.5 GB), each within 5,000 files and 10 GB.');
    expect(v.stats).toEqual([
      { label: 'Import jobs', value: '2' },
      { label: 'Files in the archive', value: '7,000', detail: 'in 12 folders' },
      { label: 'Size', value: '3.5 GB' },
      // ListObjectsV2 7 + StartDICOMImportJob 2 + GetObject 2; the poll is counted apart.
      { label: 'Expected API calls', value: '11', detail: 'and 1 ListDICOMImportJobs call a poll while jobs run' },
    ]);
    expect(v.expectedCalls.map((c) => `${c.operation}=${c.calls}`)).toEqual(['ListObjectsV2=7', 'StartDICOMImportJob=2', 'ListDICOMImportJobs per poll=1', 'GetObject=2']);
    expect(v.expectedCalls[2]!.note).toMatch(/up to 50 running jobs/);
    expect(v.blocked).toBeUndefined();
  });

  it('an unsplittable folder blocks Start until a staging location is set, and says the fix', () => {
    const p = plan({
      unsplittable: [
        {
          prefix: 's3://archive-bucket/pacs/flat/',
          files: 5500,
          bytes: 2_750_000_000,
          reason: 'flat-folder-over-limit',
          detail: '5,500 files (2.8 GB) sit directly in this folder, over the limit of 5,000 files for one import job, and an import job takes a whole folder. Stage them into sub-prefixes with --stage-to s3://BUCKET/PREFIX/.',
          stageable: true,
        },
      ],
    });
    const v = planView(p);
    expect(v.blocked).toBe('1 folder cannot be cut into jobs: set a staging location, or choose a prefix without it.');
    expect(v.unsplittable[0]).toMatchObject({ files: '5,500', size: '2.8 GB', stageable: true });
    expect(v.unsplittable[0]!.detail).not.toMatch(/--stage-to/);
    expect(v.unsplittable[0]!.fix).toMatch(/CopyObject, server side, nothing downloaded/);
    expect(planView(p, 's3://archive-bucket/staged/').blocked).toBeUndefined();
    // Staging costs one CopyObject per file of the folder, and its parts are more jobs.
    expect(v.expectedCalls.find((c) => c.operation === 'CopyObject')).toMatchObject({ calls: '5,500' });
    expect(v.stats[0]).toEqual({ label: 'Import jobs', value: '2', detail: 'and about 2 more jobs once staged' });
    expect(v.stats[3]!.value).toBe('5,511');
    expect(planView(plan({ jobs: [], totals: { files: 0, bytes: 0, folders: 0 }, expectedApiCalls: { ListObjectsV2: 1 } })).blocked).toBe('There is nothing to import under this prefix.');
  });

  it('while Start is pending: the staging copies are named, else the listing again', () => {
    const flat = { prefix: 's3://archive-bucket/pacs/flat/', files: 5500, bytes: 2_750_000_000, reason: 'flat-folder-over-limit', detail: '', stageable: true } as const;
    const p = plan({ unsplittable: [flat] });
    expect(startingView(p, ' s3://archive-bucket/staged/ ')).toEqual({
      header: 'Staging 5,500 files…',
      detail: 'Copying 5,500 files (2.8 GB) of 1 folder into s3://archive-bucket/staged/ with CopyObject, server side, nothing downloaded. The import starts once every copy is in place; if this is interrupted, starting again copies only what is missing.',
    });
    // No staging location, or nothing to stage: no copy is announced.
    expect(startingView(p).header).toBe('Starting the import…');
    expect(startingView(plan(), 's3://archive-bucket/staged/')).toEqual({ header: 'Starting the import…', detail: expect.stringMatching(/^Listing s3:\/\/archive-bucket\/pacs\/ again/) });
  });

  it('formats sizes', () => {
    expect([formatBytes(0), formatBytes(999), formatBytes(1000), formatBytes(12_345_678), formatBytes(2.5e12)]).toEqual(['0 B', '999 B', '1.0 KB', '12 MB', '2.5 TB']);
  });
});

const job = (n: number, state: BatchJobRecord['state'], extra: Partial<BatchJobRecord> = {}): BatchJobRecord => ({
  inputS3Uri: `s3://archive-bucket/pacs/${n}/`,
  files: 100,
  bytes: 1_000_000,
  state,
  clientToken: `t${n}`,
  attempts: state === 'queued' ? 0 : 1,
  ...extra,
});

describe('the running batch', () => {
  const jobs = [job(1, 'COMPLETED', { jobId: 'j1', imported: 98, failed: 2 }), job(2, 'IN_PROGRESS', { jobId: 'j2' }), job(3, 'queued'), job(4, 'FAILED', { jobId: 'j4', message: 'Role denied' })];
  const update: BatchProgressUpdate = { batchId: 'b', progress: { ...progressFromJobs('b', jobs), eta: '2026-03-12T10:00:00.000Z' }, jobs };
  const now = Date.parse('2026-03-12T09:48:00.000Z');

  it('bars of files and jobs, counts, rows and the ETA', () => {
    const s = batchScreen(update, now);
    expect(s.ended).toBe(false);
    expect(s.files).toEqual({ value: 25, label: 'Files', description: '98 imported, 2 failed of 400 (4.0 MB)' });
    expect(s.jobs).toEqual({ value: 50, label: 'Import jobs', description: '2 of 4 ended' });
    expect(s.counts.map((c) => `${c.label} ${c.value}`)).toEqual(['Running 1', 'Queued 1', 'Done 1', 'Failed 1']);
    expect(s.rows.map((r) => r.status.text)).toEqual(['Completed, 2 files failed', 'In progress', 'Queued', 'Failed']);
    expect(s.rows[2]!.jobId).toBe('—');
    expect(s.rows[3]!.message).toBe('Role denied');
    expect(s.eta).toBe('About 12 min left (10:00 UTC)');
  });

  it('ETA in words for every case', () => {
    const p = update.progress;
    expect(etaText({ ...p, eta: undefined }, now, false)).toBe('Estimated once the first job has ended');
    expect(etaText({ ...p, paused: true }, now, false)).toMatch(/^Paused/);
    expect(etaText(p, Date.parse('2026-03-12T10:05:00Z'), false)).toBe('Any moment now (estimated 10:00 UTC)');
    expect(etaText(p, now, true)).toBe('Ended');
  });

  it('a batch with nothing queued or running has ended; actions follow the state', () => {
    const done = [job(1, 'COMPLETED', { imported: 100, failed: 0 })];
    expect(batchScreen({ batchId: 'b', progress: progressFromJobs('b', done), jobs: done }, now).ended).toBe(true);
    expect(batchActions('running', false, false)).toEqual({ pause: true, resume: false, cancel: true });
    expect(batchActions('running', true, false)).toEqual({ pause: false, resume: true, cancel: true });
    expect(batchActions('interrupted', false, false)).toEqual({ pause: false, resume: true, cancel: true });
    expect(batchActions('completed', false, true)).toEqual({ pause: false, resume: false, cancel: false });
    expect(batchStateStatus('running', true)).toEqual({ type: 'stopped', text: 'Paused' });
    expect(batchStateStatus('completed_with_errors')).toEqual({ type: 'warning', text: 'Completed with errors' });
  });

  it('a report (History) becomes the same view; failures are grouped with the cause and fix', () => {
    const report: BatchReport = {
      batchId: 'b',
      datastoreId: 'd',
      region: 'us-east-1',
      sandbox: true,
      inputS3Uri: 's3://archive-bucket/pacs/',
      outputS3Uri: 's3://archive-bucket/out/',
      dataAccessRoleArn: 'arn:aws:iam::123456789012:role/Import',
      limits,
      concurrency: 3,
      startedAt: '2026-03-12T09:00:00.000Z',
      state: 'completed_with_errors',
      jobs: [{ inputS3Uri: 's3://archive-bucket/pacs/1/', jobId: 'j1', status: 'COMPLETED', state: 'COMPLETED', files: 10, bytes: 10, scanned: 10, imported: 7, failed: 3, attempts: 1 }],
      totals: { scanned: 10, imported: 7, failed: 3, imageSets: 1 },
      failuresByType: [{ type: 'InvalidInputException', count: 3, examples: ['pacs/1/README.txt: not a valid DICOM file'] }],
      apiCalls: {},
    };
    const u = updateFromReport(report);
    expect(u.progress.jobs).toEqual({ total: 1, queued: 0, running: 0, completed: 1, failed: 0 });
    expect(u.progress.files).toEqual({ planned: 10, imported: 7, failed: 3 });
    const g = failureGroupsView(report);
    expect(g[0]).toMatchObject({ type: 'InvalidInputException', count: '3 files', more: '… and 2 more' });
    expect(g[0]!.cause).toMatch(/not a DICOM Part 10 file/);
  });
});
