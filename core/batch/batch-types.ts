/**
 * The shapes a batch (an archive imported as many import jobs) is seen through: the runner writes
 * them, the CLI prints them, the app shows them, the reports render them. Types only, so the
 * renderer may import them. Nothing here can carry a credential.
 */
import type { BatchLimits } from './plan';

/** Where one planned prefix is in its life. 'queued' and 'submitting' are ours; the rest are HealthImaging's job statuses. */
export type BatchJobState = 'queued' | 'submitting' | 'SUBMITTED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

export interface BatchJobRecord {
  /** The planned prefix (or a staged sub-prefix): s3://BUCKET/PREFIX/. */
  inputS3Uri: string;
  /** Files and bytes the plan counted under the prefix. */
  files: number;
  bytes: number;
  state: BatchJobState;
  /** Set once StartDICOMImportJob answered. */
  jobId?: string;
  /** Derived from the batch id and the prefix, so a resume never starts a prefix twice. */
  clientToken: string;
  submittedAt?: string;
  endedAt?: string;
  /** From the job's results (job-output-manifest.json) once it ended. */
  scanned?: number;
  imported?: number;
  failed?: number;
  imageSets?: number;
  /** FAILED jobs: HealthImaging's message. */
  message?: string;
  /** Attempts at this prefix (> 1 only when FAILED prefixes were retried on request). */
  attempts: number;
}

export interface BatchTotals {
  scanned: number;
  imported: number;
  failed: number;
  imageSets: number;
}

export interface BatchFailureGroup {
  type: string;
  count: number;
  examples: string[];
}

/** The report of a batch; `ahi-onboard batch report --format json` prints exactly this. */
export interface BatchReport {
  batchId: string;
  datastoreId: string;
  region: string;
  sandbox: boolean;
  inputS3Uri: string;
  outputS3Uri: string;
  dataAccessRoleArn: string;
  /** Where unsplittable folders were copied to, when --stage-to was used. */
  stageTo?: string;
  limits: BatchLimits;
  concurrency: number;
  startedAt: string;
  endedAt?: string;
  /** 'running' while a process drives it; 'interrupted' when its ledger has no end and nothing drives it. */
  state: 'running' | 'interrupted' | 'completed' | 'completed_with_errors' | 'failed' | 'cancelled';
  jobs: Array<Pick<BatchJobRecord, 'inputS3Uri' | 'jobId' | 'state' | 'files' | 'bytes' | 'scanned' | 'imported' | 'failed' | 'imageSets' | 'message' | 'submittedAt' | 'endedAt' | 'attempts'> & { status: BatchJobState }>;
  totals: BatchTotals;
  /** Failures across all jobs grouped by exception type (from each job's FAILURE/failure.ndjson). */
  failuresByType: BatchFailureGroup[];
  /** API calls the batch made so far, by operation (evidence of pacing). */
  apiCalls: Record<string, number>;
}

/** A live view of a running batch, pushed to the app and printed by the CLI. */
export interface BatchProgress {
  batchId: string;
  jobs: { total: number; queued: number; running: number; completed: number; failed: number };
  files: { planned: number; imported: number; failed: number };
  bytes: { planned: number };
  /** Estimated end, ISO time; absent until a job has ended. */
  eta?: string;
  paused: boolean;
}
