/**
 * The preflight of a batch: the same checks as a run's (core/preflight), before anything is listed
 * at length or started, so a wrong data-access role or output location stops the batch in seconds
 * instead of failing every job. The one-job input checks are not run: the batch planner cuts the
 * archive to the job limits, and listing a whole archive twice would be waste.
 */
import type { AwsSession } from '../aws/session';
import { runPreflight, type PreflightOptions, type PreflightReport } from '../preflight';
import { blockingProblem } from './preflight';

export interface BatchPreflightInputs {
  datastoreId: string;
  inputS3Uri: string;
  outputS3Uri: string;
  dataAccessRoleArn: string;
  inputOwnerAccountId?: string;
}

const PLANNER_CHECKS = 'Not checked for a batch: the planner cuts the archive into jobs within these limits.';

export const BATCH_PREFLIGHT_SKIPS: NonNullable<PreflightOptions['notRun']> = {
  'input-objects': PLANNER_CHECKS,
  'input-dicom': 'Not checked for a batch: each job reports the files that are not DICOM in its results.',
};

export function batchPreflight(session: AwsSession, inputs: BatchPreflightInputs, opts: Omit<PreflightOptions, 'notRun'> = {}): Promise<PreflightReport> {
  return runPreflight(session, inputs, { ...opts, notRun: BATCH_PREFLIGHT_SKIPS });
}

/** A batch refused by its preflight: the failing checks with what was found and the fix; nothing started. */
export class BatchPreflightError extends Error {
  override name = 'BatchPreflightError';
  constructor(readonly report: PreflightReport) {
    const failing = report.checks.filter((c) => c.status === 'fail').map((c) => ` ${c.title}: ${c.detail}${c.fix ? ` Fix: ${c.fix}` : ''}`);
    super(`${blockingProblem(report) ?? 'The preflight did not pass'}. Nothing was started.${failing.join('')}`);
  }
}
