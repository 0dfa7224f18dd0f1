/**
 * One run of a workflow: walks the steps as the document says, sends each request through the
 * OperationBinding, evaluates criteria and actions, and records every event in the run store
 * before the next request goes out. startRun/resumeRun (run.ts) create and drive it.
 *
 * Decisions beyond the Arazzo text (see ../../shared/docs/arazzo.md):
 * - A step with an action that loops to itself is a polling step: it waits by its PollingPolicy
 *   between polls; when none of its success actions matches (DELETING...), the run fails naming the
 *   status instead of falling through to the next step.
 * - Throttled and transient answers (5xx, network) never reach the criteria: the engine backs off
 *   and asks again; transient ones end the run (status 'error') only when they persist past the
 *   step's errorBudgetMs. Credentials faults pause the run until continue().
 * - The run status when the workflow ends follows outcome.ts.
 */
import { formatDuration } from '../text/duration';
import type { FailureAction, Step, SuccessAction, Workflow } from '../arazzo/types';
import { evaluateValue, type ExpressionContext } from '../arazzo/expression';
import { compileCriterion } from '../arazzo/criteria';
import { observedStatusOf } from '../healthimaging/statuses';
import type { RunStore } from '../runs/run-store';
import type { OperationBinding, OperationRequest, OperationResponse } from './binding';
import type { Clock } from './clock';
import type { RunError, RunEvent, RunEventDraft, RunEndedEvent, RunStatus, StepEndedEvent, WaitReason } from './events';
import { outcomeOfEnding } from './outcome';
import { redactEvent } from './redact';
import { backoffDelay, PollSchedule, resolvePollingPolicy, type PollingOption, type PollingPolicy } from './polling';

export type RunState = 'running' | 'waiting' | 'paused' | 'ended';

/** Where a (resumed) execution starts and what it already knows. */
export interface ExecutionStart {
  stepIndex: number;
  /** A create/start whose answer was never recorded: re-send it with this client token. */
  pendingClientToken?: string;
}

export interface ExecutionInit {
  runId: string;
  workflow: Workflow;
  binding: OperationBinding;
  store: RunStore;
  clock: Clock;
  polling?: PollingOption;
  inputs: Record<string, unknown>;
  onEvent?: (e: RunEvent) => void;
  /** Last seq already in the log (0 for a new run). */
  seq: number;
  stepOutputs?: Record<string, Record<string, unknown>>;
  attempts?: Record<string, number>;
  entries?: Record<string, number>;
}

/** Thrown inside the loop to end the run; caught once at the top. */
class RunStop {
  constructor(
    readonly status: RunStatus,
    readonly error: RunError | undefined,
    readonly resumable: boolean,
  ) {}
}
class Cancelled {
  constructor(readonly reason: string) {}
}
const WOKEN = Symbol('woken');

export class RunLogWriteError extends Error {
  override name = 'RunLogWriteError';
}

type Decision = { kind: 'next' } | { kind: 'goto'; stepIndex: number } | { kind: 'end' };

const RESUMABLE_ERROR = (code: string) => !['ValidationException', 'MissingValue', 'BindingError', 'InvalidPollingPolicy'].includes(code);


function isSelfLoop(step: Step): boolean {
  return [...(step.onSuccess ?? []), ...(step.onFailure ?? [])].some((a) => a.type === 'goto' && a.stepId === step.stepId);
}

export class RunExecution {
  readonly runId: string;
  private readonly workflow: Workflow;
  private readonly binding: OperationBinding;
  private readonly store: RunStore;
  private readonly clock: Clock;
  private readonly pollingOption: PollingOption | undefined;
  private readonly inputs: Record<string, unknown>;
  private readonly onEvent: ((e: RunEvent) => void) | undefined;
  private seq: number;
  private readonly stepOutputs: Record<string, Record<string, unknown>>;
  private readonly attempts: Record<string, number>;
  private readonly entries: Record<string, number>;

  private readonly abort = new AbortController();
  private cancelReason: string | undefined;
  private wakeController: AbortController | undefined;
  private wakePending = false;
  private resumeWaiter: { resolve: () => void } | undefined;
  private currentState: RunState = 'running';
  /** The step entered and not yet left (for a step-ended on cancel). */
  private openStep: { stepId: string; observedStatus?: string } | undefined;

  constructor(init: ExecutionInit) {
    this.runId = init.runId;
    this.workflow = init.workflow;
    this.binding = init.binding;
    this.store = init.store;
    this.clock = init.clock;
    this.pollingOption = init.polling;
    this.inputs = init.inputs;
    this.onEvent = init.onEvent;
    this.seq = init.seq;
    this.stepOutputs = { ...(init.stepOutputs ?? {}) };
    this.attempts = { ...(init.attempts ?? {}) };
    this.entries = { ...(init.entries ?? {}) };
  }

  get state(): RunState {
    return this.currentState;
  }

  cancel(reason = 'cancelled by the user'): void {
    if (this.currentState === 'ended' || this.abort.signal.aborted) return;
    this.cancelReason = reason;
    this.abort.abort(new Cancelled(reason));
    this.resumeWaiter = undefined;
  }

  pollNow(): void {
    if (this.wakeController) this.wakeController.abort(WOKEN);
    else if (this.currentState !== 'ended') this.wakePending = true;
  }

  continue(): void {
    const waiter = this.resumeWaiter;
    this.resumeWaiter = undefined;
    waiter?.resolve();
  }

  /** Stamps, redacts defensively, appends durably, then tells the listener. */
  async emit(draft: RunEventDraft): Promise<RunEvent> {
    const event = redactEvent({ ...draft, runId: this.runId, seq: this.seq + 1, at: new Date(this.clock.now()).toISOString() } as RunEvent);
    try {
      await this.store.append(this.runId, event);
    } catch (e) {
      throw new RunLogWriteError(`could not record the run's progress in ${this.store.dir}: ${(e as Error).message}`);
    }
    this.seq += 1;
    try {
      this.onEvent?.(event);
    } catch {
      /* a listener's failure must not stop the run */
    }
    return event;
  }

  private throwIfCancelled(): void {
    if (this.abort.signal.aborted) throw new Cancelled(this.cancelReason ?? 'cancelled');
  }

  /** Waits `delayMs` (emitting `waiting` first); pollNow() ends it early, cancel() aborts it. */
  private async wait(stepId: string, reason: WaitReason, delayMs: number): Promise<void> {
    this.throwIfCancelled();
    const ms = Math.max(0, Math.round(delayMs));
    await this.emit({ type: 'waiting', stepId, reason, delayMs: ms, nextAttemptAt: new Date(this.clock.now() + ms).toISOString() });
    this.throwIfCancelled(); // a listener may have cancelled on the waiting event itself
    if (this.wakePending) {
      this.wakePending = false;
      return;
    }
    const wake = new AbortController();
    const onAbort = () => wake.abort(this.abort.signal.reason);
    this.abort.signal.addEventListener('abort', onAbort, { once: true });
    this.wakeController = wake;
    this.currentState = 'waiting';
    try {
      await this.clock.sleep(ms, wake.signal);
    } catch (e) {
      if (e !== WOKEN && wake.signal.reason !== WOKEN) throw this.abort.signal.aborted ? new Cancelled(this.cancelReason ?? 'cancelled') : e;
    } finally {
      this.abort.signal.removeEventListener('abort', onAbort);
      this.wakeController = undefined;
      if (this.currentState === 'waiting') this.currentState = 'running';
    }
    this.throwIfCancelled();
  }

  /** Pauses until continue() (or cancel); returns the time spent paused. */
  private async pause(stepId: string, error: RunError): Promise<number> {
    const pausedAt = this.clock.now();
    await this.emit({ type: 'run-paused', stepId, reason: 'credentials-expired', error });
    this.currentState = 'paused';
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(new Cancelled(this.cancelReason ?? 'cancelled'));
      if (this.abort.signal.aborted) return onAbort();
      this.abort.signal.addEventListener('abort', onAbort, { once: true });
      this.resumeWaiter = {
        resolve: () => {
          this.abort.signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
    });
    this.currentState = 'running';
    await this.emit({ type: 'run-continued', stepId });
    return this.clock.now() - pausedAt;
  }

  private context(response?: OperationResponse): ExpressionContext {
    const ctx: ExpressionContext = {
      inputs: this.inputs,
      steps: Object.fromEntries(Object.entries(this.stepOutputs).map(([id, outputs]) => [id, { outputs }])),
    };
    if (response) {
      ctx.statusCode = response.statusCode;
      ctx.response = { headers: response.headers, body: response.body };
    }
    return ctx;
  }

  private workflowOutputs(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const ctx = this.context();
    for (const [name, expr] of Object.entries(this.workflow.outputs ?? {})) {
      // Outputs of steps that never ran are simply absent.
      const v = evaluateValue(expr, ctx);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }

  private buildRequest(step: Step): { request: OperationRequest; missing: string[] } {
    const ctx = this.context();
    const request: OperationRequest = { operationId: step.operationId!, pathParameters: {}, query: {}, headers: {} };
    const missing: string[] = [];
    for (const p of step.parameters) {
      const v = evaluateValue(p.value, ctx);
      if (v === undefined) {
        if (p.in === 'path') missing.push(`path parameter "${p.name}" (${typeof p.value === 'string' ? p.value : JSON.stringify(p.value)})`);
        continue;
      }
      if (p.in === 'path') request.pathParameters[p.name] = v;
      else if (p.in === 'query') request.query[p.name] = v;
      else if (p.in === 'header') request.headers[p.name] = typeof v === 'string' ? v : JSON.stringify(v);
    }
    if (step.requestBody && step.requestBody.payload !== undefined) request.body = evaluateValue(step.requestBody.payload, ctx);
    return { request, missing };
  }

  /** Runs the workflow from `start` until it ends, is cancelled or fails; always emits run-ended. */
  async execute(start: ExecutionStart): Promise<RunEndedEvent> {
    let ending: RunStop;
    try {
      let index = start.stepIndex;
      let pending = start.pendingClientToken;
      let revisit = false;
      for (;;) {
        const step = this.workflow.steps[index]!;
        const decision = await this.runStep(step, pending, revisit);
        pending = undefined;
        if (decision.kind === 'end') throw new Error('unreachable: runStep ends runs by throwing RunStop');
        const nextIndex = decision.kind === 'next' ? index + 1 : decision.stepIndex;
        if (nextIndex >= this.workflow.steps.length) throw new Error('unreachable: the last step ends the run');
        index = nextIndex;
        // A goto back to a step already run closes a loop across steps: it waits like a poll.
        revisit = decision.kind === 'goto' && (this.entries[this.workflow.steps[index]!.stepId] ?? 0) > 0;
      }
    } catch (e) {
      if (e instanceof RunStop) ending = e;
      else if (e instanceof Cancelled) ending = new RunStop('cancelled', undefined, true);
      else if (e instanceof RunLogWriteError) return this.endWithoutLog(e);
      else ending = new RunStop('error', { code: 'EngineError', message: (e as Error)?.message ?? String(e) }, true);
    }
    try {
      if (this.openStep) {
        const open = this.openStep;
        this.openStep = undefined;
        await this.emit({
          type: 'step-ended',
          stepId: open.stepId,
          outcome: ending.status === 'cancelled' ? 'cancelled' : 'failed',
          ...(open.observedStatus ? { observedStatus: open.observedStatus } : {}),
          ...(this.stepOutputs[open.stepId] ? { outputs: this.stepOutputs[open.stepId] } : {}),
          ...(ending.error ? { error: ending.error } : {}),
        });
      }
      const ended = (await this.emit({
        type: 'run-ended',
        status: ending.status,
        outputs: this.workflowOutputs(),
        ...(ending.error ? { error: ending.error } : {}),
        resumable: ending.resumable,
      })) as RunEndedEvent;
      this.currentState = 'ended';
      return ended;
    } catch (e) {
      return this.endWithoutLog(e instanceof RunLogWriteError ? e : new RunLogWriteError((e as Error).message));
    }
  }

  /** The store failed: nothing more is sent; the caller still learns how the run ended. */
  private endWithoutLog(e: RunLogWriteError): RunEndedEvent {
    this.currentState = 'ended';
    const ended: RunEndedEvent = {
      type: 'run-ended',
      runId: this.runId,
      seq: this.seq + 1,
      at: new Date(this.clock.now()).toISOString(),
      status: 'error',
      outputs: this.workflowOutputs(),
      error: { code: 'RunLogWriteFailed', message: e.message, action: 'Check free space and permissions of the runs directory, then resume the run.' },
      resumable: true,
    };
    try {
      this.onEvent?.(ended);
    } catch {
      /* ignore */
    }
    return ended;
  }

  private stepIndex(stepId: string): number {
    return this.workflow.steps.findIndex((s) => s.stepId === stepId);
  }

  private async endStep(step: Step, outcome: StepEndedEvent['outcome'], action: StepEndedEvent['action'], observedStatus: string | undefined, error?: RunError): Promise<void> {
    this.openStep = undefined;
    const outputs = this.stepOutputs[step.stepId];
    await this.emit({
      type: 'step-ended',
      stepId: step.stepId,
      outcome,
      ...(action ? { action } : {}),
      ...(observedStatus ? { observedStatus } : {}),
      ...(outputs ? { outputs } : {}),
      ...(error ? { error } : {}),
    });
  }

  /** Executes one step entry (its polls and retries included) and says where to go next. */
  private async runStep(step: Step, pendingClientToken: string | undefined, revisit: boolean): Promise<Decision> {
    this.throwIfCancelled();
    const operationId = step.operationId!;
    let policy: PollingPolicy;
    try {
      policy = resolvePollingPolicy(step.stepId, operationId, this.pollingOption);
    } catch (e) {
      throw new RunStop('error', { code: 'InvalidPollingPolicy', message: (e as Error).message, stepId: step.stepId }, false);
    }
    const enteredAt = this.clock.now();
    await this.emit({ type: 'step-started', stepId: step.stepId, operationId });
    this.entries[step.stepId] = (this.entries[step.stepId] ?? 0) + 1;
    this.openStep = { stepId: step.stepId };
    const schedule = new PollSchedule(policy, enteredAt);
    const polling = isSelfLoop(step);
    // The document's timeout (Arazzo 1.1) can only shorten the engine's own step deadline.
    const docTimeout = step.timeoutMs !== undefined && step.timeoutMs < policy.stepTimeoutMs;
    const limitMs = docTimeout ? step.timeoutMs! : policy.stepTimeoutMs;
    let deadline = enteredAt + limitMs;
    let backoff = polling ? policy.initialDelayMs : policy.initialDelayMs / 2;
    let transientSince: number | undefined;
    let observedStatus: string | undefined;
    const retriesUsed = new Map<FailureAction, number>();

    /** Every wait respects the step deadline: at the deadline the step gets one last attempt. */
    const waitWithinDeadline = async (reason: WaitReason, delayMs: number) => {
      const now = this.clock.now();
      if (now >= deadline)
        throw new RunStop(
          'timed_out',
          {
            code: 'DeadlineExceeded',
            message: `Step "${step.stepId}" did not finish within ${docTimeout ? `its timeout of ${step.timeoutMs} ms` : formatDuration(policy.stepTimeoutMs)}${observedStatus ? ` (last status ${observedStatus})` : ''}. Resume the run to keep waiting.`,
            stepId: step.stepId,
          },
          true,
        );
      await this.wait(step.stepId, reason, Math.min(delayMs, deadline - now));
    };

    // A goto back to a step already run (a loop across steps) waits like a poll would.
    if (revisit) await waitWithinDeadline('poll', policy.initialDelayMs);

    for (;;) {
      this.throwIfCancelled();
      const { request, missing } = this.buildRequest(step);
      if (missing.length > 0)
        throw new RunStop(
          'error',
          { code: 'MissingValue', message: `Step "${step.stepId}" cannot send ${operationId}: ${missing.join(', ')} has no value.`, stepId: step.stepId },
          false,
        );
      const body = request.body !== null && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Record<string, unknown>) : undefined;
      if (pendingClientToken !== undefined && body && typeof body.clientToken === 'string' && body.clientToken !== pendingClientToken) {
        // The recorded token is what the service may already have seen: re-send exactly that.
        body.clientToken = pendingClientToken;
      }
      pendingClientToken = undefined;
      const clientToken = body && typeof body.clientToken === 'string' ? body.clientToken : undefined;
      const attempt = (this.attempts[step.stepId] ?? 0) + 1;
      this.attempts[step.stepId] = attempt;
      await this.emit({
        type: 'request-sent',
        stepId: step.stepId,
        operationId,
        attempt,
        input: { ...request.pathParameters, ...request.query, ...(body ?? (request.body !== undefined ? { body: request.body } : {})) },
        ...(clientToken ? { clientToken } : {}),
      });

      const sentAt = this.clock.now();
      let response: OperationResponse;
      try {
        response = await this.binding.send(request, this.abort.signal);
      } catch (e) {
        if (this.abort.signal.aborted) throw new Cancelled(this.cancelReason ?? 'cancelled');
        throw new RunStop('error', { code: 'BindingError', message: `${operationId} could not be sent: ${(e as Error)?.message ?? String(e)}`, stepId: step.stepId }, false);
      }
      this.throwIfCancelled();
      const durationMs = Math.max(0, this.clock.now() - sentAt);
      const fault = response.fault;
      const errorInfo = response.error ?? (fault !== 'none' ? { code: `HTTP${response.statusCode}`, message: `HTTP status ${response.statusCode}` } : undefined);
      const base = {
        type: 'response-received' as const,
        stepId: step.stepId,
        operationId,
        attempt,
        httpStatus: response.statusCode,
        ...(response.requestId ? { requestId: response.requestId } : {}),
        durationMs,
        ...(errorInfo ? { error: { code: errorInfo.code, message: errorInfo.message } } : {}),
      };

      if (fault === 'throttled' || fault === 'transient') {
        await this.emit(base);
        const now = this.clock.now();
        if (fault === 'transient') {
          transientSince ??= sentAt;
          if (now - transientSince >= policy.errorBudgetMs)
            throw new RunStop(
              'error',
              {
                code: errorInfo!.code,
                message: `${errorInfo!.message} (${operationId} kept failing for ${formatDuration(now - transientSince)}, past the error budget of ${formatDuration(policy.errorBudgetMs)}).`,
                stepId: step.stepId,
                httpStatus: response.statusCode,
                ...(response.requestId ? { requestId: response.requestId } : {}),
                action: 'Check the network and the service health, then resume the run.',
              },
              true,
            );
        }
        backoff = backoffDelay(Math.max(backoff, polling ? schedule.current() : 0), policy, response.retryAfterMs);
        if (fault === 'throttled' && polling) schedule.raiseFloor(backoff);
        await waitWithinDeadline(fault === 'throttled' ? 'throttled' : 'transient-error', backoff);
        continue;
      }
      if (fault === 'credentials') {
        await this.emit(base);
        const pausedMs = await this.pause(step.stepId, {
          code: errorInfo!.code,
          message: errorInfo!.message,
          ...(response.error?.action ? { action: response.error.action } : { action: 'Sign in again (refresh your credentials), then continue the run.' }),
          stepId: step.stepId,
          httpStatus: response.statusCode,
        });
        // Time spent waiting for the user is not the service's time.
        deadline += pausedMs;
        if (transientSince !== undefined) transientSince += pausedMs;
        continue;
      }

      // An answer: a 2xx or a client error. Criteria, outputs and actions decide.
      transientSince = undefined;
      backoff = polling ? policy.initialDelayMs : policy.initialDelayMs / 2;
      const ctx = this.context(response);
      if (fault === 'none') observedStatus = observedStatusOf(response.body);
      const outputs: Record<string, unknown> = {};
      for (const [name, expr] of Object.entries(step.outputs ?? {})) {
        const v = evaluateValue(expr, ctx);
        if (v !== undefined) outputs[name] = v;
      }
      if (fault === 'none') {
        this.stepOutputs[step.stepId] = outputs;
        this.openStep = { stepId: step.stepId, ...(observedStatus ? { observedStatus } : {}) };
      }
      await this.emit({ ...base, ...(fault === 'none' && observedStatus ? { observedStatus } : {}), ...(fault === 'none' ? { outputs } : {}) });

      const criteria = step.successCriteria ?? [];
      const failedAt = criteria.length > 0 ? criteria.findIndex((c) => !compileCriterion(c).evaluate(ctx)) : response.statusCode >= 200 && response.statusCode < 300 ? -1 : 0;
      const succeeded = failedAt < 0;
      const ctxNow = this.context(response);

      if (succeeded) {
        const actions: SuccessAction[] = step.onSuccess ?? [];
        const match = actions.find((a) => (a.criteria ?? []).every((c) => compileCriterion(c).evaluate(ctxNow)));
        if (match?.type === 'goto' && match.stepId === step.stepId) {
          await waitWithinDeadline('poll', schedule.next(this.clock.now(), observedStatus));
          continue;
        }
        if (match?.type === 'end' || (!match && this.stepIndex(step.stepId) === this.workflow.steps.length - 1 && !(polling && actions.length > 0))) {
          const outcome = outcomeOfEnding({ stepId: step.stepId, stepSucceeded: true, ...(observedStatus ? { observedStatus } : {}), ...(match ? { actionName: match.name } : {}), body: response.body });
          await this.endStep(step, outcome.status === 'succeeded' ? 'succeeded' : 'failed', match ? { type: 'end', name: match.name } : { type: 'next' }, observedStatus, outcome.error);
          throw new RunStop(outcome.status, outcome.error, false);
        }
        if (match?.type === 'goto') {
          await this.endStep(step, 'succeeded', { type: 'goto', name: match.name, stepId: match.stepId! }, observedStatus);
          return { kind: 'goto', stepIndex: this.stepIndex(match.stepId!) };
        }
        if (polling && actions.length > 0) {
          // Trap 2: a polling step never falls through on a status its document does not name.
          const names = actions.map((a) => a.name).join(', ');
          const nextStep = this.workflow.steps[this.stepIndex(step.stepId) + 1]?.stepId;
          const error: RunError = {
            code: 'UnnamedStatus',
            message: observedStatus
              ? `Step "${step.stepId}" received status ${observedStatus}, which none of its actions (${names}) names; the run stops here${nextStep ? ` instead of going on to "${nextStep}"` : ''}.`
              : `Step "${step.stepId}" received an answer that none of its actions (${names}) matches; the run stops here.`,
            stepId: step.stepId,
            httpStatus: response.statusCode,
            ...(response.requestId ? { requestId: response.requestId } : {}),
          };
          await this.endStep(step, 'failed', { type: 'stop' }, observedStatus, error);
          throw new RunStop('failed', error, false);
        }
        await this.endStep(step, 'succeeded', { type: 'next' }, observedStatus);
        return { kind: 'next' };
      }

      // The step failed: onFailure decides; with no matching action the run stops.
      const failure: RunError =
        fault === 'client' && errorInfo
          ? {
              code: errorInfo.code,
              message: errorInfo.message,
              ...(response.error?.action ? { action: response.error.action } : {}),
              stepId: step.stepId,
              httpStatus: response.statusCode,
              ...(response.requestId ? { requestId: response.requestId } : {}),
            }
          : {
              code: 'SuccessCriteriaNotMet',
              message:
                criteria.length > 0
                  ? `Step "${step.stepId}": success criterion ${failedAt + 1} (${criteria[failedAt]!.condition}) did not hold (HTTP ${response.statusCode}${observedStatus ? `, status ${observedStatus}` : ''}).`
                  : `Step "${step.stepId}": HTTP ${response.statusCode} is not a success.`,
              stepId: step.stepId,
              httpStatus: response.statusCode,
              ...(response.requestId ? { requestId: response.requestId } : {}),
            };
      const stopStatus: RunStatus = fault === 'client' ? 'error' : 'failed';
      let chosen: FailureAction | undefined;
      for (const a of step.onFailure ?? []) {
        if (!(a.criteria ?? []).every((c) => compileCriterion(c).evaluate(ctxNow))) continue;
        if (a.type === 'retry') {
          const used = retriesUsed.get(a) ?? 0;
          if (used >= (a.retryLimit ?? 1)) continue; // exhausted: the next matching action decides
          retriesUsed.set(a, used + 1);
        }
        chosen = a;
        break;
      }
      if (!chosen) {
        await this.endStep(step, 'failed', { type: 'stop' }, observedStatus, failure);
        throw new RunStop(stopStatus, failure, stopStatus === 'error' && RESUMABLE_ERROR(failure.code));
      }
      if (chosen.type === 'retry') {
        // A Retry-After header wins over the document's retryAfter.
        const delay = response.retryAfterMs ?? (chosen.retryAfter ?? 0) * 1000;
        await waitWithinDeadline('retry', delay);
        if (chosen.stepId && chosen.stepId !== step.stepId) {
          await this.endStep(step, 'failed', { type: 'retry', name: chosen.name, stepId: chosen.stepId }, observedStatus);
          return { kind: 'goto', stepIndex: this.stepIndex(chosen.stepId) };
        }
        continue;
      }
      if (chosen.type === 'goto') {
        if (chosen.stepId === step.stepId) {
          await waitWithinDeadline('poll', schedule.next(this.clock.now(), observedStatus));
          continue;
        }
        await this.endStep(step, 'failed', { type: 'goto', name: chosen.name, stepId: chosen.stepId! }, observedStatus, failure);
        return { kind: 'goto', stepIndex: this.stepIndex(chosen.stepId!) };
      }
      await this.endStep(step, 'failed', { type: 'end', name: chosen.name }, observedStatus, failure);
      throw new RunStop(stopStatus, failure, false);
    }
  }
}
