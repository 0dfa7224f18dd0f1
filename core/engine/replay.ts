/**
 * Rebuilds what a run knows from its event log, so resumeRun can continue where it stopped:
 * inputs (client tokens included), every step's latest outputs (ids learned), request counts, the
 * step to continue in, and a create/start whose answer was never recorded (to re-send with the
 * same client token, which the service's idempotency turns into the same resource).
 */
import type { Workflow } from '../arazzo/types';
import type { RunContext, RunEndedEvent, RunEvent, RunStartedEvent } from './events';

export interface ReplayedRun {
  started: RunStartedEvent;
  lastSeq: number;
  inputs: Record<string, unknown>;
  context: RunContext;
  stepOutputs: Record<string, Record<string, unknown>>;
  attempts: Record<string, number>;
  entries: Record<string, number>;
  /** The last run-ended after the last (re)start, if any. */
  ended?: RunEndedEvent;
  /** Where execution continues. */
  stepIndex: number;
  /** The client token of a create/start sent but never answered in the log. */
  pendingClientToken?: string;
  /** Why the run stopped, in words, for run-resumed.reason. */
  interruption: string;
}

export class RunNotResumableError extends Error {
  override name = 'RunNotResumableError';
}

export function replayRun(events: readonly RunEvent[], workflow: Workflow): ReplayedRun {
  const started = events.find((e): e is RunStartedEvent => e.type === 'run-started');
  if (!started) throw new RunNotResumableError('the run log has no run-started event: nothing to resume');
  const indexOf = (stepId: string) => workflow.steps.findIndex((s) => s.stepId === stepId);
  const stepOutputs: Record<string, Record<string, unknown>> = {};
  const attempts: Record<string, number> = {};
  const entries: Record<string, number> = {};
  let ended: RunEndedEvent | undefined;
  let resumeAt: string | undefined;
  let lastSeq = 0;
  // The last request per step and whether it was answered.
  const lastRequest: Record<string, { attempt: number; clientToken?: string; answered: boolean }> = {};
  let context = started.context;

  for (const e of events) {
    lastSeq = Math.max(lastSeq, e.seq);
    switch (e.type) {
      case 'run-resumed':
        ended = undefined;
        if (e.context) context = e.context;
        break;
      case 'step-started':
        entries[e.stepId] = (entries[e.stepId] ?? 0) + 1;
        resumeAt = e.stepId;
        break;
      case 'request-sent':
        attempts[e.stepId] = Math.max(attempts[e.stepId] ?? 0, e.attempt);
        lastRequest[e.stepId] = { attempt: e.attempt, ...(e.clientToken ? { clientToken: e.clientToken } : {}), answered: false };
        break;
      case 'response-received': {
        const req = lastRequest[e.stepId];
        if (req && req.attempt === e.attempt) req.answered = true;
        if (!e.error && e.outputs) stepOutputs[e.stepId] = { ...e.outputs };
        break;
      }
      case 'step-ended':
        // A decision moves on; an interruption (no action, or the run stopped) stays in the step.
        if (e.action?.type === 'goto' || e.action?.type === 'retry') resumeAt = e.action.stepId ?? e.stepId;
        else if (e.action?.type === 'next') {
          const next = workflow.steps[indexOf(e.stepId) + 1];
          resumeAt = next ? next.stepId : e.stepId;
        } else resumeAt = e.stepId;
        break;
      case 'run-ended':
        ended = e;
        break;
      default:
        break;
    }
  }
  if (ended && !ended.resumable)
    throw new RunNotResumableError(`run ${started.runId} already ended (${ended.status}${ended.error ? `: ${ended.error.message}` : ''}) and cannot be resumed`);
  const stepId = resumeAt ?? workflow.steps[0]!.stepId;
  const stepIndex = indexOf(stepId);
  if (stepIndex < 0) throw new RunNotResumableError(`the run stopped in step "${stepId}", which the workflow no longer has`);
  const pending = lastRequest[stepId];
  const pendingClientToken = pending && !pending.answered ? pending.clientToken : undefined;
  const interruption = ended
    ? `${ended.status}${ended.error ? ` (${ended.error.code})` : ''}`
    : pending && !pending.answered
      ? 'interrupted while a request was in flight (no answer recorded)'
      : 'interrupted (no end recorded)';
  return {
    started,
    lastSeq,
    inputs: started.inputs,
    context,
    stepOutputs,
    attempts,
    entries,
    ...(ended ? { ended } : {}),
    stepIndex,
    ...(pendingClientToken ? { pendingClientToken } : {}),
    interruption,
  };
}
