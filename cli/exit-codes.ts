import type { RunOutcomeCode } from '../core/runs/outcome';

/** The command's exit codes, exactly as issue 3 specifies them. Scripts depend on these numbers. */
export const EXIT = {
  /** The job COMPLETED (the run succeeded). */
  completed: 0,
  /** The workflow ended in a failure state: CREATE_FAILED, job FAILED, a status the document does not name. */
  workflowFailed: 1,
  /** Bad usage or invalid inputs; nothing was sent. */
  usage: 2,
  /** An AWS error that persisted (access denied, credentials, not found, quota), or the disk holding the runs folder is full. */
  awsError: 3,
  /** A deadline passed; `resume` can finish the run. */
  deadline: 4,
  /** The job COMPLETED but some files failed to import ("completed with errors"); failure.ndjson lists them. */
  completedWithErrors: 5,
  /** The run is in use by another process (its run.lock names the pid): nothing was sent or recorded. */
  runInUse: 6,
  /** Interrupted by SIGINT or SIGTERM; `resume` can finish the run. */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A problem with how the command was called or with its inputs: exit 2, nothing sent. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/**
 * The exit code for how a run ended. `error` with an HTTP status (4xx, or 5xx/no answer past the
 * error budget) is an AWS error that persisted: 3, as is a full disk under the runs folder (DiskFull). Any other error (a document that cannot be
 * evaluated) and every failure state of the workflow: 1. A COMPLETED job with failed files: 5.
 * A run whose lock another process holds: 6.
 */
export function exitCodeForRun(ended: { status: RunOutcomeCode; error?: { code?: string; httpStatus?: number } }): ExitCode {
  switch (ended.status) {
    case 'succeeded':
      return EXIT.completed;
    case 'completed_with_errors':
      return EXIT.completedWithErrors;
    case 'interrupted':
      return EXIT.interrupted;
    case 'timed_out':
      return EXIT.deadline;
    case 'cancelled':
      return EXIT.interrupted;
    case 'failed':
      return EXIT.workflowFailed;
    case 'error':
      if (ended.error?.code === 'RunInUseError') return EXIT.runInUse;
      // A full disk is like a persisting AWS error: nothing to fix in the workflow, resume once it is cleared.
      return ended.error?.httpStatus !== undefined || ended.error?.code === 'DiskFull' ? EXIT.awsError : EXIT.workflowFailed;
  }
}
