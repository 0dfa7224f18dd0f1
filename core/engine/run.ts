/**
 * The engine's entry points: startRun checks everything before anything is sent or recorded, then
 * drives a RunExecution; resumeRun rebuilds a run from its log and continues it.
 */
import { PRODUCT } from '../product';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { selectWorkflow } from '../arazzo/document';
import type { Workflow, WorkflowDocument } from '../arazzo/types';
import { acquireRunLock, RunInUseError, type RunLock } from '../runs/run-lock';
import { assertRunId, RunStoreError, type RunHeader, type RunStore } from '../runs/run-store';
import type { OperationBinding } from './binding';
import { systemClock, type Clock } from './clock';
import type { RunContext, RunEndedEvent, RunEvent, RunPreflight } from './events';
import { RunExecution, runLogWriteFailure, type RunState } from './execution';
import { InvalidInputsError, validateInputs } from './inputs';
import { resolvePollingPolicy, type PollingOption, type PollingPolicy } from './polling';
import { replayRun, RunNotResumableError } from './replay';

export const DEFAULT_PRODUCT = PRODUCT;

export interface StartRunOptions {
  document: WorkflowDocument;
  documentText: string;
  workflowId?: string;
  inputs: Record<string, unknown>;
  binding: OperationBinding;
  store: RunStore;
  context: RunContext;
  polling?: Partial<PollingPolicy> | ((stepId: string, operationId: string) => Partial<PollingPolicy>);
  clock?: Clock;
  runId?: string;
  signal?: AbortSignal;
  onEvent?: (e: RunEvent) => void;
  product?: { name: string; version: string };
  /** The preflight's results, recorded in run-started. */
  preflight?: RunPreflight;
}

export type ResumeRunOptions = Omit<StartRunOptions, 'inputs' | 'runId' | 'context' | 'preflight'> & { runId: string; context?: RunContext };

export interface RunHandle {
  runId: string;
  /** Resolves when the run ends, whatever the status (never rejects). */
  done: Promise<RunEndedEvent>;
  cancel(reason?: string): void;
  /** Ends the current wait at once so the next poll goes now. */
  pollNow(): void;
  /** Continues a run paused for credentials (after the user signed in again). */
  continue(): void;
  readonly state: RunState;
}

export class RunResumeError extends Error {
  override name = 'RunResumeError';
}

export { RunNotResumableError, RunInUseError };

/** Sortable and unique: 20260101T120000Z-3f9a1c. */
export function newRunId(now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export function documentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Runs claimed in this process, so the same run is never driven twice at once. A claim is taken
 * synchronously, before the first await, so two calls in the same tick cannot both pass; the run
 * folder's lock file (core/runs/run-lock.ts) then keeps other processes out.
 */
const claimed = new Set<string>();

/** Claims the run in this process or throws RunInUseError; returns the release. */
function claimRun(runId: string): () => void {
  if (claimed.has(runId)) throw new RunInUseError(runId, { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() });
  claimed.add(runId);
  return () => claimed.delete(runId);
}

/** Releases the lock and the claim, in that order; never throws (a run's `done` never rejects). */
async function letGo(lock: RunLock | undefined, unclaim: () => void): Promise<void> {
  await lock?.release().catch(() => undefined);
  unclaim();
}

function handleFor(execution: RunExecution, done: Promise<RunEndedEvent>, signal: AbortSignal | undefined): RunHandle {
  if (signal) {
    if (signal.aborted) execution.cancel(String(signal.reason ?? 'aborted'));
    else signal.addEventListener('abort', () => execution.cancel(typeof signal.reason === 'string' ? signal.reason : 'aborted'), { once: true });
  }
  return {
    runId: execution.runId,
    done,
    cancel: (reason) => execution.cancel(reason),
    pollNow: () => execution.pollNow(),
    continue: () => execution.continue(),
    get state() {
      return execution.state;
    },
  };
}

function checkPolicies(workflow: Workflow, polling: PollingOption | undefined): void {
  for (const s of workflow.steps) if (s.operationId) resolvePollingPolicy(s.stepId, s.operationId, polling);
}

/**
 * Validates inputs (throws InvalidInputsError), polling settings and the workflow choice before
 * anything is sent or recorded, then starts the run in the background.
 */
export function startRun(opts: StartRunOptions): RunHandle {
  const workflow = selectWorkflow(opts.document, opts.workflowId);
  const { inputs, issues } = validateInputs(workflow, opts.inputs);
  if (issues.length > 0) throw new InvalidInputsError(issues);
  checkPolicies(workflow, opts.polling);
  const clock = opts.clock ?? systemClock;
  const runId = opts.runId ?? newRunId(clock.now());
  assertRunId(runId);
  const product = opts.product ?? DEFAULT_PRODUCT;
  const workflowHash = documentHash(opts.documentText);

  const execution = new RunExecution({
    runId,
    workflow,
    binding: opts.binding,
    store: opts.store,
    clock,
    ...(opts.polling ? { polling: opts.polling } : {}),
    inputs,
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    seq: 0,
  });
  const unclaim = claimRun(runId);

  let lock: RunLock | undefined;
  const done = (async (): Promise<RunEndedEvent> => {
    try {
      const header: RunHeader = {
        formatVersion: 1,
        runId,
        createdAt: new Date(clock.now()).toISOString(),
        workflowId: workflow.workflowId,
        workflowHash,
        ...(opts.document.path ? { workflowPath: opts.document.path } : {}),
        workflowText: opts.documentText,
        inputs,
        context: opts.context,
        product,
      };
      try {
        // The lock comes first, so a second process with the same run id never writes the log.
        const runDir = join(opts.store.dir, runId);
        await mkdir(runDir, { recursive: true });
        lock = await acquireRunLock(runDir, runId);
        await opts.store.create(runId, header);
        await execution.emit({
          type: 'run-started',
          workflowId: workflow.workflowId,
          workflowHash,
          ...(opts.document.info.title ? { workflowTitle: opts.document.info.title } : {}),
          inputs,
          context: opts.context,
          steps: workflow.steps.map((s) => ({
            stepId: s.stepId,
            operationId: s.operationId!,
            ...(s.description ? { description: s.description } : {}),
            polling: [...(s.onSuccess ?? []), ...(s.onFailure ?? [])].some((a) => a.type === 'goto' && a.stepId === s.stepId),
          })),
          product,
          ...(opts.preflight ? { preflight: opts.preflight } : {}),
        });
      } catch (e) {
        const ended: RunEndedEvent = {
          type: 'run-ended',
          runId,
          seq: 1,
          at: new Date(clock.now()).toISOString(),
          status: 'error',
          outputs: {},
          error:
            e instanceof RunInUseError
              ? { code: e.name, message: e.message }
              : (e as Error)?.name === 'DiskFullError'
                ? { ...runLogWriteFailure(e, ''), action: `Free space on the disk holding ${opts.store.dir}, then start again.` }
                : { code: 'RunLogWriteFailed', message: `could not record the run in ${opts.store.dir}: ${(e as Error).message}`, action: 'Check the runs directory, then start again.' },
          resumable: false,
        };
        opts.onEvent?.(ended);
        return ended;
      }
      return await execution.execute({ stepIndex: 0 });
    } finally {
      await letGo(lock, unclaim);
    }
  })();
  return handleFor(execution, done, opts.signal);
}

/** Rebuilds a run from its log and continues it where it stopped; appends run-resumed first. */
export async function resumeRun(opts: ResumeRunOptions): Promise<RunHandle> {
  const { runId, store } = opts;
  assertRunId(runId);
  // Claimed before the first await: a second resume in this process fails here, synchronously.
  const unclaim = claimRun(runId);
  let lock: RunLock | undefined;
  try {
    lock = await acquireRunLock(join(store.dir, runId), runId).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'ENOENT' ? new RunStoreError(`no run ${runId} in ${store.dir}`) : e;
    });
    return await continueRun(opts, lock, unclaim);
  } catch (e) {
    await letGo(lock, unclaim);
    throw e;
  }
}

/** resumeRun once the run is this process's: replay the log, then drive it on. */
async function continueRun(opts: ResumeRunOptions, lock: RunLock, unclaim: () => void): Promise<RunHandle> {
  const { runId, store } = opts;
  const events = await store.read(runId);
  const started = events.find((e) => e.type === 'run-started');
  if (!started || started.type !== 'run-started') throw new RunNotResumableError(`run ${runId} has no run-started event: nothing to resume`);
  const hash = documentHash(opts.documentText);
  if (hash !== started.workflowHash)
    throw new RunResumeError(
      `the workflow document differs from the one run ${runId} started with (sha256 ${started.workflowHash.slice(0, 12)}..., given ${hash.slice(0, 12)}...); resume with the document stored in the run's header.json`,
    );
  const workflow = selectWorkflow(opts.document, started.workflowId);
  const replay = replayRun(events, workflow);
  // Inputs come from the header, written before anything was sent and never redacted: an event's
  // copy passed through the defensive redactor, which may mask a value that merely looks secret.
  const header = await store.readHeader(runId).catch(() => undefined);
  if (header?.inputs) replay.inputs = header.inputs;
  checkPolicies(workflow, opts.polling);
  const clock = opts.clock ?? systemClock;

  const execution = new RunExecution({
    runId,
    workflow,
    binding: opts.binding,
    store,
    clock,
    ...(opts.polling ? { polling: opts.polling } : {}),
    inputs: replay.inputs,
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
    seq: replay.lastSeq,
    stepOutputs: replay.stepOutputs,
    attempts: replay.attempts,
    entries: replay.entries,
  });
  const stepId = workflow.steps[replay.stepIndex]!.stepId;
  const done = (async (): Promise<RunEndedEvent> => {
    try {
      try {
        await execution.emit({
          type: 'run-resumed',
          stepId,
          reason: `resumed after: ${replay.interruption}${replay.pendingClientToken ? '; re-sending the unanswered request with the same client token' : ''}`,
          ...(opts.context ? { context: opts.context } : {}),
        });
      } catch (e) {
        const ended: RunEndedEvent = {
          type: 'run-ended',
          runId,
          seq: replay.lastSeq + 1,
          at: new Date(clock.now()).toISOString(),
          status: 'error',
          outputs: {},
          error: runLogWriteFailure(e, 'Check free space and permissions of the runs directory, then resume the run.'),
          resumable: true,
        };
        opts.onEvent?.(ended);
        return ended;
      }
      return await execution.execute({ stepIndex: replay.stepIndex, ...(replay.pendingClientToken ? { pendingClientToken: replay.pendingClientToken } : {}) });
    } finally {
      await letGo(lock, unclaim);
    }
  })();
  return handleFor(execution, done, opts.signal);
}
