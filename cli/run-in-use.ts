/**
 * `resume` of a run another process drives: exit 6 with who holds it. The early check spares
 * starting the sandbox and signing in when the answer is already known; the engine's lock decides.
 */
import { join } from 'node:path';
import { assertRunNotInUse, RunInUseError } from '../core/runs/run-lock';
import { EXIT } from './exit-codes';

export { RunInUseError };

/** Throws RunInUseError when a live process holds the run's lock (a check, not a lock). */
export function checkRunNotInUse(runsDir: string, runId: string): Promise<void> {
  return assertRunNotInUse(join(runsDir, runId), runId);
}

/** The exit code, the report's error and the words for stderr. */
export function runInUseFailure(e: RunInUseError): { code: typeof EXIT.runInUse; error: { code: string; message: string; action?: string }; text: string } {
  const hint = e.hint;
  return {
    code: EXIT.runInUse,
    error: { code: e.name, message: e.message, ...(hint ? { action: hint } : {}) },
    text: `${e.message}\n${hint ? `${hint}\n` : ''}`,
  };
}
