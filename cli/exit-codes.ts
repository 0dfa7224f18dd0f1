/** The command's exit codes, exactly as issue 3 specifies them. Scripts depend on these numbers. */
export const EXIT = {
  /** The job COMPLETED (the run succeeded). */
  completed: 0,
  /** The workflow ended in a failure state: CREATE_FAILED, job FAILED, a status the document does not name. */
  workflowFailed: 1,
  /** Bad usage or invalid inputs; nothing was sent. */
  usage: 2,
  /** An AWS error that persisted (access denied, credentials, not found, quota). */
  awsError: 3,
  /** A deadline passed; `resume` can finish the run. */
  deadline: 4,
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
