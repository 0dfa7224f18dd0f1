/**
 * What a run means, decided once. The engine only knows how the workflow ended (RunStatus); the
 * user cares whether their files are in HealthImaging. A COMPLETED import job with failed files is
 * "completed with errors", never a clean success. The report, the CLI's words and exit code, and
 * the app's Done screen and History all use this one spelling (renderer-safe: types and pure
 * functions only, no Node imports).
 */
import type { ImportResults, RunStatus } from '../engine/events';

export type RunOutcomeCode = 'succeeded' | 'completed_with_errors' | 'failed' | 'cancelled' | 'timed_out' | 'error' | 'interrupted';

export const OUTCOME_LABELS: Readonly<Record<RunOutcomeCode, string>> = {
  succeeded: 'Succeeded',
  completed_with_errors: 'Completed with errors',
  failed: 'Failed',
  cancelled: 'Cancelled',
  timed_out: 'Timed out',
  error: 'Error',
  interrupted: 'Interrupted',
};

/** Files the import could not take: customer errors plus server errors, 0 when results were not read. */
export function failedFileCount(results: ImportResults | undefined): number {
  if (!results || results.state !== 'read') return 0;
  return (results.numberOfFilesWithCustomerError ?? 0) + (results.numberOfFilesWithServerError ?? 0);
}

/**
 * The outcome of an ended run. `jobStatus` is the last import job status seen (if any): a run the
 * engine calls succeeded whose job COMPLETED with failed files is completed_with_errors.
 */
export function classifyRunOutcome(ended: { status: RunStatus; jobStatus?: unknown; importResults?: ImportResults }): RunOutcomeCode {
  if (ended.status !== 'succeeded') return ended.status;
  if (ended.jobStatus === 'COMPLETED' && failedFileCount(ended.importResults) > 0) return 'completed_with_errors';
  return 'succeeded';
}

/** The outcome in words with the import's counts: "Completed with errors: 4 of 7 files imported, 3 failed". */
export function outcomeSentence(outcome: RunOutcomeCode, results: ImportResults | undefined): string {
  const label = OUTCOME_LABELS[outcome];
  if (!results || results.state !== 'read') return label;
  return `${label}: ${results.numberOfImportedFiles ?? '?'} of ${results.numberOfScannedFiles ?? '?'} files imported, ${failedFileCount(results)} failed`;
}
