/**
 * The rule that turns the way a workflow ended into a run status (arazzo.md trap 3):
 *
 *   A run that reaches an `end` action, or leaves its last step, has SUCCEEDED only when the step
 *   that ended it met its successCriteria AND the last status observed in that step's answer is not
 *   a failure status (CREATE_FAILED, FAILED, DELETING, DELETED, any *_FAILED). Otherwise it FAILED.
 *
 * So the seed's `datastoreFailed` and `jobFailed` end actions end the run as failed, `jobCompleted`
 * as succeeded, and a document with other operations or action names is judged the same way.
 */
import { isFailureStatus, serviceMessageOf } from '../healthimaging/statuses';
import type { RunError, RunStatus } from './events';

export interface EndingFacts {
  stepId: string;
  /** True when the ending step's successCriteria held. */
  stepSucceeded: boolean;
  observedStatus?: string;
  /** The end action's name, when the run ended through one. */
  actionName?: string;
  body?: unknown;
}

export function outcomeOfEnding(f: EndingFacts): { status: RunStatus; error?: RunError } {
  if (f.stepSucceeded && !isFailureStatus(f.observedStatus)) return { status: 'succeeded' };
  if (!f.stepSucceeded) return { status: 'failed' };
  const how = f.actionName ? ` ended the workflow through "${f.actionName}"` : ' ended the workflow';
  const service = serviceMessageOf(f.body);
  return {
    status: 'failed',
    error: {
      code: 'FailureStatus',
      message: `Step "${f.stepId}"${how} with status ${f.observedStatus}.${service ? ` The service says: ${service}` : ''}`,
      stepId: f.stepId,
    },
  };
}
