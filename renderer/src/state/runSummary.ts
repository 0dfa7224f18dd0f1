/** A History row's state in words, with the status indicator type Cloudscape draws it with. */
import type { RunSummary } from '../../../contract/ipc';
import { ATTACH_WORKFLOW_ID, IMPORT_INTO_WORKFLOW_ID } from '../../../core/healthimaging/workflows';
import { OUTCOME_LABELS } from '../../../core/runs/outcome';

export type SummaryTone = 'in-progress' | 'warning' | 'stopped' | 'success' | 'error';

export function runStateStatus(run: Pick<RunSummary, 'state' | 'jobStatus'> & Pick<Partial<RunSummary>, 'failedFiles'>): { type: SummaryTone; text: string } {
  switch (run.state) {
    case 'running':
      return { type: 'in-progress', text: 'Running' };
    case 'paused':
      return { type: 'warning', text: 'Paused' };
    case 'interrupted':
      return { type: 'stopped', text: 'Interrupted' };
    case 'succeeded':
      // A workflow that "ended" through a FAILED job is not a success for the user.
      if (run.jobStatus === 'FAILED') return { type: 'error', text: 'Import failed' };
      // A COMPLETED job with failed files: the same words as the Done screen, the report and the CLI.
      if ((run.failedFiles ?? 0) > 0) return { type: 'warning', text: OUTCOME_LABELS.completed_with_errors };
      return { type: 'success', text: OUTCOME_LABELS.succeeded };
    case 'failed':
      return { type: 'error', text: 'Failed' };
    case 'cancelled':
      return { type: 'stopped', text: 'Cancelled' };
    case 'timed_out':
      return { type: 'error', text: 'Timed out' };
    case 'error':
      return { type: 'error', text: 'Error' };
  }
}

/** What the run did with its data store, when it is not an onboarding that created it. */
export function runKindText(run: Pick<RunSummary, 'workflowId'>): string | undefined {
  if (run.workflowId === ATTACH_WORKFLOW_ID) return 'Watched an import job (not started by this run)';
  return run.workflowId === IMPORT_INTO_WORKFLOW_ID ? 'More data into an existing data store' : undefined;
}

/** Newest first. */
export function sortRuns(runs: readonly RunSummary[]): RunSummary[] {
  return [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
