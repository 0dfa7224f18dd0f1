/**
 * The runs a host (the app's main process, one `ahi-onboard` command) drives: start, resume,
 * cancel, the registry of active runs, and what happens after a run ends (the import's results are
 * read and recorded, then `onSettled` hears the run's one outcome). Both adapters call this; they
 * only translate requests in and events, messages and exit codes out.
 */
import type { AwsSession } from '../aws/session';
import type { ImportResults, RunContext, RunEndedEvent, RunEvent, RunPreflight } from '../engine/events';
import { resumeRun, startRun, type RunHandle, type StartRunOptions } from '../engine/run';
import type { PollingOption } from '../engine/polling';
import type { WorkflowDocument } from '../arazzo/types';
import { classifyRunOutcome, type RunOutcomeCode } from '../runs/outcome';
import { recordImportResults } from '../runs/record-import-results';
import type { RunStore } from '../runs/run-store';

export interface ActiveRun {
  readonly runId: string;
  readonly handle: RunHandle;
  readonly session: AwsSession;
}

/** A run that ended, with what its import really did: the input of every "how did it go" view. */
export interface SettledRun {
  runId: string;
  ended: RunEndedEvent;
  importResults?: ImportResults;
  outcome: RunOutcomeCode;
}

export interface RunServiceOptions {
  store: RunStore;
  /** Every event, once it is durable in the run log. */
  onEvent(event: RunEvent): void;
  /** After a run ended and its import results (if any) were recorded. */
  onSettled?(settled: SettledRun): void;
  product?: { name: string; version: string };
  /** Aborted when the host stops: ends the import-results reader's retries. */
  signal?: AbortSignal;
}

/** What a run needs beyond its inputs: the document, the session and the polling. */
export interface RunPlan {
  session: AwsSession;
  document: WorkflowDocument;
  documentText: string;
  polling?: PollingOption;
  /** The run's context; default: the session's, after an attempt to learn the caller's account. */
  context?: RunContext;
}

export class RunAlreadyActiveError extends Error {
  override name = 'RunAlreadyActiveError';
  constructor(readonly runId: string) {
    super(`Run ${runId} is already running in this app.`);
  }
}

export class RunNotActiveError extends Error {
  override name = 'RunNotActiveError';
  constructor(readonly runId: string) {
    super(`Run ${runId} is not running in this app (it may have ended; see History).`);
  }
}

export interface RunService {
  start(plan: RunPlan & { workflowId: string; inputs: Record<string, unknown>; preflight?: RunPreflight }): Promise<ActiveRun>;
  /**
   * Resumes a run. The run is marked active before the first `await`, so a second resume of the
   * same run in this process is refused at once; `prepare` then loads what the run needs.
   */
  resume(runId: string, prepare: () => Promise<RunPlan>): Promise<ActiveRun>;
  get(runId: string): ActiveRun | undefined;
  /** The active run or RunNotActiveError. */
  require(runId: string): ActiveRun;
  list(): ActiveRun[];
  /** Resolves once the run ended and its results were recorded (never rejects). */
  settled(runId: string): Promise<SettledRun> | undefined;
  isReserved(runId: string): boolean;
  usesSession(session: AwsSession): boolean;
  /** Cancels every active run and waits for each to end (their logs stay resumable). */
  stopAll(reason: string): Promise<void>;
}

/** Knowing the caller's account makes reports useful; a failure here is the run's first error. */
async function contextOf(plan: RunPlan): Promise<RunContext> {
  if (plan.context) return plan.context;
  await plan.session.identity().catch(() => undefined);
  return plan.session.describe();
}

export function createRunService(opts: RunServiceOptions): RunService {
  const active = new Map<string, ActiveRun>();
  const reserved = new Set<string>();
  const settling = new Map<string, Promise<SettledRun>>();
  /** Callers waiting for a run's first recorded event (so its log exists when they answer). */
  const firstEvent = new Map<string, () => void>();

  const onEvent = (event: RunEvent) => {
    firstEvent.get(event.runId)?.();
    firstEvent.delete(event.runId);
    opts.onEvent(event);
  };

  /** After the run: read what the import really did and record it. Never changes the run's result. */
  const settle = async (run: ActiveRun, ended: RunEndedEvent): Promise<SettledRun> => {
    // No longer active once it ended: History shows it as ended while its results are read.
    active.delete(run.runId);
    let importResults: ImportResults | undefined;
    // A cancelled run (the user, a signal, the app closing) stops here: nothing more is sent.
    if (ended.status !== 'cancelled' && !opts.signal?.aborted) {
      try {
        const event = await recordImportResults(opts.store, run.session, ended, opts.signal ? { signal: opts.signal } : {});
        if (event) {
          importResults = event.results;
          opts.onEvent(event);
        }
      } catch {
        // Best effort: the run's outcome stands, and the report says the results could not be read.
      }
    }
    const settled: SettledRun = {
      runId: run.runId,
      ended,
      ...(importResults ? { importResults } : {}),
      outcome: classifyRunOutcome({ status: ended.status, jobStatus: ended.outputs['jobStatus'], ...(importResults ? { importResults } : {}) }),
    };
    try {
      opts.onSettled?.(settled);
    } catch {
      // A listener's failure must not lose the settlement for the others.
    }
    return settled;
  };

  /** Registers a started or resumed run and waits until its first event is on disk. */
  const track = async (handle: RunHandle, session: AwsSession): Promise<ActiveRun> => {
    const run: ActiveRun = { runId: handle.runId, handle, session };
    active.set(handle.runId, run);
    const recorded = new Promise<void>((resolve) => firstEvent.set(handle.runId, resolve));
    settling.set(
      handle.runId,
      handle.done.then((ended) => settle(run, ended)),
    );
    await Promise.race([recorded, handle.done]);
    firstEvent.delete(handle.runId);
    return run;
  };

  const common = (plan: RunPlan, context: RunContext): Omit<StartRunOptions, 'inputs' | 'workflowId'> => ({
    document: plan.document,
    documentText: plan.documentText,
    binding: plan.session.binding,
    store: opts.store,
    context,
    onEvent,
    ...(opts.product ? { product: opts.product } : {}),
    ...(plan.polling ? { polling: plan.polling } : {}),
  });

  return {
    async start(plan) {
      const context = await contextOf(plan);
      const handle = startRun({ ...common(plan, context), workflowId: plan.workflowId, inputs: plan.inputs, ...(plan.preflight ? { preflight: plan.preflight } : {}) });
      return track(handle, plan.session);
    },

    async resume(runId, prepare) {
      if (active.has(runId) || reserved.has(runId)) throw new RunAlreadyActiveError(runId);
      reserved.add(runId);
      try {
        const plan = await prepare();
        const context = await contextOf(plan);
        const handle = await resumeRun({ ...common(plan, context), runId });
        return await track(handle, plan.session);
      } finally {
        reserved.delete(runId);
      }
    },

    get: (runId) => active.get(runId),
    require(runId) {
      const run = active.get(runId);
      if (!run) throw new RunNotActiveError(runId);
      return run;
    },
    list: () => [...active.values()],
    settled: (runId) => settling.get(runId),
    isReserved: (runId) => reserved.has(runId) || active.has(runId),
    usesSession: (session) => [...active.values()].some((r) => r.session === session),

    async stopAll(reason) {
      const runs = [...active.values()];
      for (const run of runs) run.handle.cancel(reason);
      await Promise.all(runs.map((run) => run.handle.done.catch(() => undefined)));
    },
  };
}
