/**
 * Batch reports as the runner would leave them, for the batch report's golden tests: a sandbox
 * archive that completed with errors, a batch still running, and a FAILED batch on AWS whose
 * messages and prefixes carry markup (the renderers must escape every one of them).
 */
import type { BatchReport } from '../../batch/batch-types';
import { DEFAULT_BATCH_LIMITS } from '../../batch/plan';

const ROLE = 'arn:aws:iam::123456789012:role/HealthImagingSandboxImportRole';

export function completedWithErrorsBatch(): BatchReport {
  const job = (n: number, files: number, bytes: number, failed: number, imageSets: number): BatchReport['jobs'][number] => ({
    inputS3Uri: `s3://healthimaging-sandbox-demo/archive/site-a/study-${n}/`,
    jobId: ['', '8c1f2e9a4b7d4e06a3c5f1b2d9e07a41', '2d7b9e4c1a3f4b58e6d0c2a9f7b15e63', 'f05a3c8e2b9d4a17c6e1b0d4a8f93c25'][n]!,
    status: 'COMPLETED',
    state: 'COMPLETED',
    files,
    bytes,
    scanned: files,
    imported: files - failed,
    failed,
    imageSets,
    submittedAt: `2026-03-12T09:1${n}:00.000Z`,
    endedAt: `2026-03-12T09:2${n}:30.000Z`,
    attempts: 1,
  });
  return {
    batchId: 'batch-20260312-091500-archive',
    datastoreId: '5e4a0b1c2d3e4f5a6b7c8d9e0f1a2b3c',
    region: 'us-east-1',
    sandbox: true,
    inputS3Uri: 's3://healthimaging-sandbox-demo/archive/',
    outputS3Uri: 's3://healthimaging-sandbox-demo/output/',
    dataAccessRoleArn: ROLE,
    limits: { ...DEFAULT_BATCH_LIMITS },
    concurrency: 3,
    startedAt: '2026-03-12T09:15:00.000Z',
    endedAt: '2026-03-12T09:31:12.000Z',
    state: 'completed_with_errors',
    jobs: [job(1, 4_800, 2_400_000_000, 0, 12), job(2, 4_950, 2_600_000_000, 3, 14), job(3, 2_250, 1_100_000_000, 1, 6)],
    totals: { scanned: 12_000, imported: 11_996, failed: 4, imageSets: 32 },
    failuresByType: [
      { type: 'InvalidInputException', count: 3, examples: ['archive/site-a/study-2/README.txt: not a valid DICOM P10 file', 'archive/site-a/study-2/notes.pdf: not a valid DICOM P10 file'] },
      { type: 'AccessDeniedException', count: 1, examples: ['archive/site-a/study-3/locked.dcm'] },
    ],
    // Out of order on purpose: the JSON sorts them.
    apiCalls: { StartDICOMImportJob: 3, ListObjectsV2: 12, ListDICOMImportJobs: 41, GetObject: 6 },
  };
}

export function runningBatch(): BatchReport {
  const r = completedWithErrorsBatch();
  const [a, b, c] = r.jobs;
  return {
    ...r,
    batchId: 'batch-20260312-091500-running',
    state: 'running',
    endedAt: undefined,
    jobs: [
      a!,
      { inputS3Uri: b!.inputS3Uri, jobId: b!.jobId, status: 'IN_PROGRESS', state: 'IN_PROGRESS', files: b!.files, bytes: b!.bytes, submittedAt: b!.submittedAt, attempts: 1 },
      { inputS3Uri: c!.inputS3Uri, status: 'queued', state: 'queued', files: c!.files, bytes: c!.bytes, attempts: 0 },
    ],
    totals: { scanned: 4_800, imported: 4_800, failed: 0, imageSets: 12 },
    failuresByType: [],
    apiCalls: { ListObjectsV2: 12, StartDICOMImportJob: 2, ListDICOMImportJobs: 9 },
  };
}

/** Markup everywhere a value from S3 or HealthImaging can appear. */
export const INJECTION = '<script>alert(1)</script><img src=x onerror=alert(2)>';

export function failedBatchWithMarkup(): BatchReport {
  return {
    batchId: 'batch-20260401-080000-failed',
    datastoreId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    region: 'eu-west-1',
    sandbox: false,
    inputS3Uri: 's3://hospital-archive/pacs-export/',
    outputS3Uri: 's3://hospital-archive/ahi-output/',
    dataAccessRoleArn: 'arn:aws:iam::210987654321:role/AhiImport',
    stageTo: 's3://hospital-archive/staged/',
    limits: { ...DEFAULT_BATCH_LIMITS, maxFiles: 10_000 },
    concurrency: 100,
    startedAt: '2026-04-01T08:00:00.000Z',
    endedAt: '2026-04-02T10:30:00.000Z',
    state: 'failed',
    jobs: [
      {
        inputS3Uri: `s3://hospital-archive/pacs-export/${INJECTION}/`,
        jobId: '00000000000000000000000000000001',
        status: 'FAILED',
        state: 'FAILED',
        files: 10,
        bytes: 5_000,
        message: `Role could not be assumed ${INJECTION}`,
        submittedAt: '2026-04-01T08:00:05.000Z',
        endedAt: '2026-04-01T08:01:00.000Z',
        attempts: 2,
      },
      {
        inputS3Uri: 's3://hospital-archive/pacs-export/ok|pipe*md_[x](http://evil.example)/',
        jobId: '00000000000000000000000000000002',
        status: 'COMPLETED',
        state: 'COMPLETED',
        files: 9_000,
        bytes: 9_000_000_000,
        scanned: 9_000,
        imported: 8_999,
        failed: 1,
        imageSets: 40,
        attempts: 1,
      },
    ],
    totals: { scanned: 9_000, imported: 8_999, failed: 1, imageSets: 40 },
    failuresByType: [{ type: `Odd${INJECTION}Exception`, count: 1, examples: [`pacs-export/${INJECTION}.dcm`] }],
    apiCalls: { ListDICOMImportJobs: 2_880, StartDICOMImportJob: 3, [`Op${INJECTION}`]: 1 },
  };
}

export const BATCH_SCENARIOS: Record<string, () => BatchReport> = {
  'batch-completed-with-errors': completedWithErrorsBatch,
  'batch-running': runningBatch,
  'batch-failed-markup': failedBatchWithMarkup,
};
