/**
 * `--stage-to` as a use case: the folders of a plan that no prefix can take apart are copied (S3
 * CopyObject, server side, core/batch/stage.ts) into parts within the limits, and the parts come
 * back as jobs for startBatch. Copying is idempotent (a target already holding its object is
 * skipped), so staging again after an interruption copies only what is missing; the batch itself
 * starts only once every copy is in place, so no job ever sees half a part.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { BatchPlan, PlannedJob } from '../batch/plan';
import { executeStaging, planStaging, StagingError, type StagingProgress, type StagingResult } from '../batch/stage';

export interface StageArchiveOptions {
  signal?: AbortSignal;
  expectedSourceOwner?: string;
  onPlanned?(parts: number, files: number): void;
  onProgress?(progress: StagingProgress): void;
}

export interface StagedArchive {
  /** The parts as jobs, to pass to startBatch as `stagedJobs`. */
  jobs: PlannedJob[];
  result: StagingResult;
}

export async function stageArchive(s3: S3Client, plan: BatchPlan, stageTo: string, opts: StageArchiveOptions = {}): Promise<StagedArchive> {
  const owner = opts.expectedSourceOwner ? { expectedSourceOwner: opts.expectedSourceOwner } : {};
  const staging = await planStaging(s3, plan, stageTo, { ...owner, ...(opts.signal ? { signal: opts.signal } : {}) });
  const uncopyable = staging.folders.flatMap((f) => f.uncopyable);
  if (uncopyable.length > 0) {
    const first = uncopyable[0]!;
    throw new StagingError(`${uncopyable.length} ${uncopyable.length === 1 ? 'object cannot' : 'objects cannot'} be staged with CopyObject (first: ${first.key}: ${first.detail}). Nothing was copied.`);
  }
  opts.onPlanned?.(staging.jobs.length, staging.totals.files);
  const result = await executeStaging(s3, staging, { ...owner, ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
  return { jobs: result.jobs, result };
}
