/**
 * The run timeline as a pure reducer: RunEvent[] in, one view model per workflow step out.
 * DOM-free on purpose so it runs in Vitest's node environment and can replay a 10,000-event log
 * from History exactly as the live stream built it.
 */
import type { RunError, RunEvent, RunStatus } from '../../../contract/ipc';
import { ATTACH_WORKFLOW_ID, IMPORT_INTO_WORKFLOW_ID } from '../../../core/healthimaging/workflows';
import { failedFileCount } from '../../../core/runs/outcome';
import type { ImportResults, RunContext, WaitReason } from './eventTypes';

export type StepState = 'pending' | 'running' | 'waiting' | 'paused' | 'succeeded' | 'failed' | 'cancelled';

export interface StatusRun {
  status: string;
  count: number;
}

export interface StepWait {
  reason: WaitReason;
  delayMs: number;
  nextAttemptAt: string;
}

export interface StepView {
  stepId: string;
  operationId: string;
  description?: string;
  polling: boolean;
  state: StepState;
  /** First time the step started in this run (kept across poll loops and resumes). */
  startedAt?: string;
  /** Set when the step left for good (not on a goto to itself). */
  endedAt?: string;
  /** Requests sent (the engine's attempt counter, polls included). */
  requests: number;
  /** Responses received: the polls made, for a polling step. */
  responses: number;
  lastStatus?: string;
  /** Observed statuses, consecutive repeats compressed: CREATING x14 -> ACTIVE. */
  statusHistory: StatusRun[];
  /** Ids and other outputs learned from responses (datastoreId, jobId...). */
  outputs: Record<string, string>;
  /** The most recent request ids, newest last (at most REQUEST_IDS_KEPT). */
  requestIds: string[];
  waiting?: StepWait;
  /** An error answer the step got and may still recover from (throttling, 5xx). */
  lastResponseError?: { code: string; message: string; httpStatus: number };
  /** Why the step failed, in words, with the next action. */
  error?: RunError;
}

export type RunPhase = 'not-started' | 'running' | 'paused' | 'ended';

export interface TimelineView {
  runId?: string;
  /** Highest seq applied; events at or below it are duplicates (reload, replay overlap). */
  lastSeq: number;
  eventCount: number;
  workflowId?: string;
  workflowTitle?: string;
  product?: { name: string; version: string };
  context?: RunContext;
  inputs: Record<string, unknown>;
  steps: StepView[];
  phase: RunPhase;
  startedAt?: string;
  endedAt?: string;
  status?: RunStatus;
  outputs: Record<string, unknown>;
  error?: RunError;
  resumable: boolean;
  /** Set while the run is paused (credentials expired). */
  pause?: { stepId: string; error: RunError };
  importResults?: ImportResults;
  /** Step the engine is currently on, if any. */
  currentStepId?: string;
}

export const REQUEST_IDS_KEPT = 5;

export function emptyTimeline(): TimelineView {
  return { lastSeq: 0, eventCount: 0, inputs: {}, steps: [], phase: 'not-started', outputs: {}, resumable: false };
}

/** Apply events in order. Returns the same object when nothing applied (cheap equality for React). */
export function reduceTimeline(view: TimelineView, events: readonly RunEvent[]): TimelineView {
  let next: TimelineView | undefined;
  for (const event of events) {
    const base = next ?? view;
    if (event.seq <= base.lastSeq) continue;
    if (base.runId !== undefined && event.runId !== base.runId) continue;
    if (!next) next = { ...view, steps: view.steps.slice() };
    applyEvent(next, event);
    next.lastSeq = event.seq;
    next.eventCount += 1;
    next.runId ??= event.runId;
  }
  return next ?? view;
}

export function buildTimeline(events: readonly RunEvent[]): TimelineView {
  return reduceTimeline(emptyTimeline(), events);
}

/** Mutates `view` (a private copy made by reduceTimeline); steps are replaced, never mutated. */
function applyEvent(view: TimelineView, event: RunEvent): void {
  switch (event.type) {
    case 'run-started':
      view.workflowId = event.workflowId;
      view.workflowTitle = event.workflowTitle;
      view.product = event.product;
      view.context = event.context;
      view.inputs = event.inputs;
      view.startedAt = event.at;
      view.phase = 'running';
      view.steps = event.steps.map((s) => ({
        stepId: s.stepId,
        operationId: s.operationId,
        description: s.description,
        polling: s.polling,
        state: 'pending',
        requests: 0,
        responses: 0,
        statusHistory: [],
        outputs: {},
        requestIds: [],
      }));
      return;
    case 'run-resumed':
      view.phase = 'running';
      view.status = undefined;
      view.error = undefined;
      view.endedAt = undefined;
      view.pause = undefined;
      view.resumable = false;
      view.currentStepId = event.stepId;
      updateStep(view, event.stepId, (s) => ({ ...s, state: 'running', endedAt: undefined, error: undefined, waiting: undefined }));
      return;
    case 'step-started':
      view.currentStepId = event.stepId;
      updateStep(view, event.stepId, (s) => ({
        ...s,
        state: 'running',
        startedAt: s.startedAt ?? event.at,
        endedAt: undefined,
        waiting: undefined,
        error: undefined,
      }));
      return;
    case 'request-sent':
      view.currentStepId = event.stepId;
      updateStep(view, event.stepId, (s) => ({
        ...s,
        state: s.state === 'paused' ? 'paused' : 'running',
        startedAt: s.startedAt ?? event.at,
        requests: Math.max(s.requests + 1, event.attempt),
        waiting: undefined,
      }));
      return;
    case 'response-received':
      updateStep(view, event.stepId, (s) => {
        const learned = stringOutputs(event.outputs);
        return {
          ...s,
          responses: s.responses + 1,
          lastStatus: event.observedStatus ?? s.lastStatus,
          statusHistory: event.observedStatus ? pushStatus(s.statusHistory, event.observedStatus) : s.statusHistory,
          outputs: learned ? { ...s.outputs, ...learned } : s.outputs,
          requestIds: event.requestId ? [...s.requestIds, event.requestId].slice(-REQUEST_IDS_KEPT) : s.requestIds,
          lastResponseError: event.error ? { ...event.error, httpStatus: event.httpStatus } : undefined,
        };
      });
      return;
    case 'waiting':
      updateStep(view, event.stepId, (s) => ({
        ...s,
        state: s.state === 'paused' ? 'paused' : 'waiting',
        waiting: { reason: event.reason, delayMs: event.delayMs, nextAttemptAt: event.nextAttemptAt },
      }));
      return;
    case 'step-ended': {
      // A polling step loops by a goto to itself: that is one more poll, not the step's end.
      const loops = event.action?.type === 'goto' && event.action.stepId === event.stepId && event.outcome === 'succeeded';
      updateStep(view, event.stepId, (s) => {
        const learned = stringOutputs(event.outputs);
        const outputs = learned ? { ...s.outputs, ...learned } : s.outputs;
        const lastStatus = event.observedStatus ?? s.lastStatus;
        if (loops) return { ...s, outputs, lastStatus };
        return {
          ...s,
          state: event.outcome,
          endedAt: event.at,
          waiting: undefined,
          outputs,
          lastStatus,
          error: event.error ?? (event.outcome === 'failed' ? s.error : undefined),
        };
      });
      return;
    }
    case 'run-paused':
      view.phase = 'paused';
      view.pause = { stepId: event.stepId, error: event.error };
      updateStep(view, event.stepId, (s) => ({ ...s, state: 'paused', waiting: undefined }));
      return;
    case 'run-continued':
      view.phase = 'running';
      view.pause = undefined;
      updateStep(view, event.stepId, (s) => ({ ...s, state: 'running' }));
      return;
    case 'run-ended': {
      view.phase = 'ended';
      view.status = event.status;
      view.outputs = event.outputs;
      view.error = event.error;
      view.resumable = event.resumable;
      view.endedAt = event.at;
      view.pause = undefined;
      view.currentStepId = undefined;
      const unfinished: StepState = event.status === 'cancelled' ? 'cancelled' : 'failed';
      view.steps = view.steps.map((s) => {
        if (s.state !== 'running' && s.state !== 'waiting' && s.state !== 'paused') return s;
        const error = s.error ?? (event.error && (!event.error.stepId || event.error.stepId === s.stepId) ? event.error : undefined);
        return { ...s, state: unfinished, endedAt: event.at, waiting: undefined, error };
      });
      return;
    }
    case 'import-results':
      view.importResults = event.results;
      return;
  }
}

function updateStep(view: TimelineView, stepId: string, update: (s: StepView) => StepView): void {
  const index = view.steps.findIndex((s) => s.stepId === stepId);
  if (index < 0) return; // an event for a step the run-started list did not name: ignore, never crash
  const step = view.steps[index];
  if (step) view.steps[index] = update(step);
}

function pushStatus(history: StatusRun[], status: string): StatusRun[] {
  const last = history[history.length - 1];
  if (last && last.status === status) return [...history.slice(0, -1), { status, count: last.count + 1 }];
  return [...history, { status, count: 1 }];
}

function stringOutputs(outputs: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!outputs) return undefined;
  const out: Record<string, string> = {};
  let any = false;
  for (const [key, value] of Object.entries(outputs)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      out[key] = String(value);
      any = true;
    }
  }
  return any ? out : undefined;
}

/** "CREATING x14 -> ACTIVE" */
export function formatStatusHistory(history: readonly StatusRun[]): string {
  return history.map((r) => (r.count > 1 ? `${r.status} ×${r.count}` : r.status)).join(' → ');
}

/** Milliseconds a step has been (or was) active; undefined before it started. */
export function stepElapsedMs(step: StepView, nowMs: number): number | undefined {
  if (!step.startedAt) return undefined;
  const start = Date.parse(step.startedAt);
  const end = step.endedAt ? Date.parse(step.endedAt) : nowMs;
  return Math.max(0, end - start);
}

/** Seconds until the next check, rounded up, never negative. */
export function secondsUntil(iso: string, nowMs: number): number {
  return Math.max(0, Math.ceil((Date.parse(iso) - nowMs) / 1000));
}

/** True for a run of import-into-datastore (more data into an existing data store), or a watch of a job started elsewhere. */
export function isImportRun(view: Pick<TimelineView, 'workflowId'>): boolean {
  return view.workflowId === IMPORT_INTO_WORKFLOW_ID || view.workflowId === ATTACH_WORKFLOW_ID;
}

/** True for a watch of an import job started elsewhere (job:attach): stopping it leaves the job running. */
export function isWatchRun(view: Pick<TimelineView, 'workflowId'>): boolean {
  return view.workflowId === ATTACH_WORKFLOW_ID;
}

/** What the user started, in words: "import" or "onboarding". */
export function runNoun(view: Pick<TimelineView, 'workflowId'>): 'import' | 'onboarding' {
  return isImportRun(view) ? 'import' : 'onboarding';
}

export type Outcome =
  | { kind: 'in-progress' }
  | { kind: 'paused'; error: RunError }
  | { kind: 'completed' }
  | { kind: 'completed_with_errors'; failedFiles: number; importedFiles?: number }
  | {
      kind: 'failed' | 'cancelled' | 'timed_out' | 'error';
      title: string;
      message: string;
      /** The engine's own wording, when the message above is ours (service-reported failures). */
      detail?: string;
      action?: string;
      resumable: boolean;
    };

/**
 * The outcome in words. A run that "ended" through CREATE_FAILED or a FAILED job is a failure for
 * the user even if the engine reported the workflow as ended normally; a COMPLETED job with failed
 * files is "completed with errors", never a clean success.
 */
export function runOutcome(view: TimelineView): Outcome {
  if (view.phase === 'paused' && view.pause) return { kind: 'paused', error: view.pause.error };
  if (view.phase !== 'ended' || !view.status) return { kind: 'in-progress' };
  const jobStatus = stringValue(view.outputs.jobStatus) ?? lastStatusOf(view, 'GetDICOMImportJob');
  const datastoreStatus = lastStatusOf(view, 'GetDatastore');
  if (view.status === 'succeeded' || view.status === 'failed') {
    // Name the failure by what the service reported, whichever way the engine classed the ending.
    if (datastoreStatus === 'CREATE_FAILED') {
      return serviceFailure('The data store could not be created', 'HealthImaging reported the data store as CREATE_FAILED: no data was imported.', view, 'Check the KMS key and service quotas, then start a new onboarding.');
    }
    // An import into an existing data store reads it once and stops unless it is ACTIVE.
    if (view.status === 'failed' && isImportRun(view) && datastoreStatus && datastoreStatus !== 'ACTIVE') {
      return serviceFailure(
        'The data store is not ACTIVE',
        `HealthImaging reports the data store as ${datastoreStatus}: no import job was started and nothing was changed.`,
        view,
        'Import into a data store that is ACTIVE (check its status in the AWS console), or start a new onboarding.',
      );
    }
    if (jobStatus === 'FAILED') {
      return serviceFailure('The import job failed', 'HealthImaging reported the import job as FAILED.', view, 'Check the data-access role (trust policy and S3 permissions) and the input location, then import again.');
    }
  }
  if (view.status === 'succeeded') {
    const failed = failedFiles(view.importResults);
    if (failed > 0) return { kind: 'completed_with_errors', failedFiles: failed, importedFiles: view.importResults?.numberOfImportedFiles };
    return { kind: 'completed' };
  }
  const noun = runNoun(view);
  const titles: Record<Exclude<RunStatus, 'succeeded'>, string> = {
    failed: `The ${noun} failed`,
    cancelled: `The ${noun} was cancelled`,
    timed_out: `The ${noun} timed out`,
    error: `The ${noun} stopped on an error`,
  };
  return failure(view.status, titles[view.status], view.error?.message ?? defaultMessage(view), view, view.error?.action);
}

/** What to say when the engine recorded no error text: for a cancel, what was kept. */
function defaultMessage(view: TimelineView): string {
  if (view.status !== 'cancelled') return 'No further detail was recorded.';
  const kept = [
    stringValue(view.outputs.datastoreId) ? `data store ${stringValue(view.outputs.datastoreId)}` : undefined,
    stringValue(view.outputs.jobId) ? `import job ${stringValue(view.outputs.jobId)}` : undefined,
  ].filter(Boolean);
  return kept.length > 0
    ? `The run was cancelled. Nothing was deleted: the ${kept.join(' and the ')} it created ${kept.length > 1 ? 'are' : 'is'} kept.`
    : 'The run was cancelled before anything was created.';
}

function failure(
  kind: 'failed' | 'cancelled' | 'timed_out' | 'error',
  title: string,
  message: string,
  view: TimelineView,
  action?: string,
): Outcome {
  return { kind, title, message: view.error?.message ?? message, action: view.error?.action ?? action, resumable: view.resumable };
}

/** A failure the service reported by status: our plain sentence first, the engine's words as detail. */
function serviceFailure(title: string, message: string, view: TimelineView, action: string): Outcome {
  const detail = view.error?.message && view.error.message !== message ? view.error.message : undefined;
  return { kind: 'failed', title, message, ...(detail ? { detail } : {}), action: view.error?.action ?? action, resumable: view.resumable };
}

/** The Done screen's title: "Completed", "Completed with errors", or the failure in words. */
export function outcomeTitle(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'completed':
      return 'Completed';
    case 'completed_with_errors':
      return 'Completed with errors';
    case 'cancelled':
      return 'Cancelled';
    case 'failed':
    case 'timed_out':
    case 'error':
      return outcome.title;
    case 'paused':
      return 'Paused';
    case 'in-progress':
      return 'In progress';
  }
}

/** One rule with the report and the CLI (core/runs/outcome, pure). */
export const failedFiles = failedFileCount;

function lastStatusOf(view: TimelineView, operationId: string): string | undefined {
  return view.steps.find((s) => s.operationId === operationId)?.lastStatus;
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** All ids the run learned, across steps and workflow outputs (datastoreId, jobId, jobStatus...). */
export function learnedOutputs(view: TimelineView): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const step of view.steps) Object.assign(merged, step.outputs);
  for (const [key, value] of Object.entries(view.outputs)) {
    if (typeof value === 'string' || typeof value === 'number') merged[key] = String(value);
  }
  return merged;
}

/** The data store's name: an onboarding's input, or what an import learned from GetDatastore. */
export function datastoreNameOf(view: TimelineView): string | undefined {
  if (typeof view.inputs.datastoreName === 'string') return view.inputs.datastoreName;
  return view.steps.map((s) => s.outputs.datastoreName).find((n) => n);
}

/**
 * What a screen reader hears as the run moves: the step and the status it last observed, or the
 * outcome. Deliberately not the waiting/running flip or the countdown, which change every second.
 */
export function progressAnnouncement(view: TimelineView, titleOf: (step: StepView) => string): string {
  const outcome = runOutcome(view);
  const Noun = isImportRun(view) ? 'Import' : 'Onboarding';
  switch (outcome.kind) {
    case 'completed':
      return `${Noun} completed.`;
    case 'completed_with_errors':
      return `${Noun} completed with errors: ${outcome.failedFiles} files failed to import.`;
    case 'paused':
      return `Run paused: ${outcome.error.message}`;
    case 'in-progress':
      break;
    default:
      return `${outcome.title}. ${outcome.message}`;
  }
  if (view.phase === 'not-started') return '';
  const index = view.steps.findIndex((s) => s.stepId === view.currentStepId);
  const step = view.steps[index];
  if (!step) return `${Noun} started.`;
  const status = step.lastStatus ? `, status ${step.lastStatus}` : '';
  return `Step ${index + 1} of ${view.steps.length}: ${titleOf(step)}${status}.`;
}
