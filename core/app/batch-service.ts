/**
 * The app's batch runner (core/app/batch-service-types.ts) over core/app/batches.ts: it starts,
 * steers and takes over batches in the background of a long-lived process, and tells listeners of
 * every change. The ledger on disk stays the one truth: list and report read it, so a batch driven
 * here, by the CLI or by nobody (interrupted) is seen alike.
 *
 * Steering is through the runner's BatchControl (pause: nothing new is started; cancel: nothing
 * more, then the batch ends 'cancelled') and an AbortController per batch (stopAll: the process
 * stops driving, jobs already started run on in HealthImaging, the batch stays resumable).
 */
import { SANDBOX_PROFILE, type BatchSummary, type RunTarget } from '../../contract/ipc';
import type { AwsSession } from '../aws/session';
import type { BatchJobRecord, BatchProgress, BatchReport } from '../batch/batch-types';
import { foldLedger, progressOf } from '../batch/fold';
import { BatchLedgerError, readLedger } from '../batch/ledger';
import { planArchiveFromS3 } from '../batch/list-archive';
import type { BatchPlan, PlannedJob } from '../batch/plan';
import type { BatchPacing } from '../batch/runner';
import type { BatchProgressUpdate, BatchService, BatchStartRequest } from './batch-service-types';
import { BatchNeedsStagingError, batchReport, batchTarget, listBatches, resumeBatch, startBatch, type BatchControl, type BatchDriveOptions, type BatchOutcome } from './batches';
import { BatchPreflightError, batchPreflight } from './batch-preflight';
import { stageArchive } from './batch-staging';
import { blockingProblem } from './preflight';
import { DEMO_POLLING } from './sandbox-host';

/** --stage-to in the app: the same server-side copies as the CLI's (core/app/batch-staging.ts). */
const defaultStage: StageArchive = async ({ s3, plan, stageTo, signal }) => (await stageArchive(s3, plan, stageTo, { signal })).jobs;

/** Copies a plan's unsplittable folders under stageTo (core/batch/stage.ts executeStaging): the jobs to add. */
export type StageArchive = (opts: { s3: AwsSession['s3']; plan: BatchPlan; stageTo: string; signal: AbortSignal }) => Promise<PlannedJob[]>;

export interface BatchServiceOptions {
  /** Where the app keeps runs; batches live under <runsDir>/batches/ (the ledger's layout). */
  runsDir: string;
  /** The app's sessions (one per profile+region, one for the sandbox): never closed here. */
  sessions: { sessionFor(target: RunTarget): Promise<AwsSession> };
  /** The runner's pace against AWS; default the runner's (30 s polls, 1 start a second). */
  pacing?: BatchPacing;
  /** Against the sandbox; default one suited to its demo time scale (a batch ends in seconds). */
  sandboxPacing?: BatchPacing;
  /** The --stage-to step; default: core/app/batch-staging.ts (S3 CopyObject, server side). */
  stage?: StageArchive;
  /** Told of a batch this process drove ending, or stopping on an error (not of stopAll): notifications. */
  onEnded?(batchId: string, outcome: BatchOutcome['outcome'] | 'error', report?: BatchReport): void;
  /** Errors of background drives that reached nothing else (default: console.error). */
  log?(message: string): void;
}

/**
 * At the sandbox's demo pace (DEMO_TIME_SCALE) a job takes seconds: polls as often as a demo run's
 * (DEMO_POLLING.maxDelayMs) and starts not held a second each, as `ahi-onboard batch run --sandbox`.
 */
export const SANDBOX_BATCH_PACING: BatchPacing = { pollIntervalMs: DEMO_POLLING.maxDelayMs, resultDelayMs: DEMO_POLLING.maxDelayMs, startsPerSecond: 20, startBurst: 5 };

/** What every drive is given; start and resume add their own. */
type DriveCommon = BatchDriveOptions & { onStarted(batchId: string): void };

interface Driven {
  control: BatchControl;
  abort: AbortController;
  session: AwsSession;
  done: Promise<void>;
}

export class BatchNotDrivenError extends Error {
  override name = 'BatchNotDrivenError';
}

export interface AppBatchService extends BatchService {
  /** Whether a batch driven here signs with this session (the registry must not close it). */
  usesSession(session: AwsSession): boolean;
  /** Batches this process drives now. */
  readonly activeCount: number;
  /**
   * Stops driving every batch without ending it, the service staying open (the window is closed
   * with "Stop"): no job starts any more, jobs already started run on in HealthImaging, and each
   * batch waits in History, resumable.
   */
  interruptAll(reason: string): Promise<void>;
  /** interruptAll, and no batch starts or resumes afterwards (the app quits). */
  stopAll(reason: string): Promise<void>;
}

const targetOf = (request: Pick<BatchStartRequest, 'profile' | 'region'>): RunTarget => ({ profile: request.profile, region: request.region });

export function createBatchService(opts: BatchServiceOptions): AppBatchService {
  const driven = new Map<string, Driven>();
  const listeners = new Set<(update: BatchProgressUpdate) => void>();
  const log = opts.log ?? ((m: string) => console.error(`[batches] ${m}`));
  let closed = false;

  const emit = (update: BatchProgressUpdate) => {
    for (const listener of listeners) {
      try {
        listener(update);
      } catch {
        /* a listener's fault is its own */
      }
    }
  };
  // Copies: the runner keeps mutating its records, the listeners keep what they were given.
  const updateOf = (progress: BatchProgress, jobs: readonly BatchJobRecord[]): BatchProgressUpdate => ({ batchId: progress.batchId, progress: { ...progress }, jobs: jobs.map((j) => ({ ...j })) });

  /** The state on disk as an update: after a pause or resume, before the runner's next change. */
  const emitFromLedger = async (batchId: string, paused: boolean) => {
    const { records } = await readLedger(opts.runsDir, batchId);
    const f = foldLedger(records);
    emit(updateOf(progressOf(f, Date.now(), paused), f.jobs));
  };

  const pacingFor = (session: AwsSession): BatchPacing | undefined => (session.sandbox ? (opts.sandboxPacing ?? SANDBOX_BATCH_PACING) : opts.pacing);

  /**
   * Runs a drive (start or resume) in the background; resolves with the batch id once its ledger is
   * ours (onStarted), rejects, with nothing driven, when it fails before that.
   */
  function launch(session: AwsSession, control: BatchControl, run: (common: DriveCommon) => Promise<BatchOutcome>): Promise<string> {
    const entry: Driven = { control, abort: new AbortController(), session, done: Promise.resolve() };
    let started: string | undefined;
    return new Promise<string>((resolve, reject) => {
      const pacing = pacingFor(session);
      entry.done = run({
        session,
        runsDir: opts.runsDir,
        signal: entry.abort.signal,
        control,
        ...(pacing ? { pacing } : {}),
        onProgress: (progress, jobs) => emit(updateOf(progress, jobs)),
        onStarted: (batchId) => {
          started = batchId;
          driven.set(batchId, entry);
          resolve(batchId);
        },
      })
        .then(
          (outcome) => {
            if (outcome.error) log(`batch ${outcome.batchId} stopped: ${outcome.error.message}`);
            // Stopped by stopAll (the app quits): not news, the batch waits in History.
            if (!entry.abort.signal.aborted) opts.onEnded?.(outcome.batchId, outcome.outcome, outcome.report);
          },
          (error: unknown) => {
            if (started === undefined) return reject(error);
            log(`batch ${started} stopped: ${(error as Error).message}`);
            opts.onEnded?.(started, 'error');
          },
        )
        .finally(() => {
          if (started === undefined) return;
          if (driven.get(started) === entry) driven.delete(started);
          // The state it was left in (ended, interrupted), for any view still showing it.
          return emitFromLedger(started, false).catch(() => undefined);
        });
    });
  }

  /** Takes over a batch nobody drives (interrupted), from its ledger: no prefix starts twice. */
  async function takeOver(batchId: string, control: BatchControl): Promise<void> {
    const where = await known(batchId, () => batchTarget(opts.runsDir, batchId));
    if (where.ended) throw new BatchNotDrivenError(`Batch ${batchId} has ended; there is nothing to resume.`);
    const session = await opts.sessions.sessionFor(where.target.sandbox ? { profile: SANDBOX_PROFILE, region: where.target.region } : { profile: where.target.profile ?? 'default', region: where.target.region });
    await launch(session, control, (common) => resumeBatch({ ...common, batchId }));
  }

  /** An id with no ledger here, in the app's words (the runs dir is not the user's business). */
  const known = async <T>(batchId: string, read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (e) {
      if (e instanceof BatchLedgerError && /^no batch /.test(e.message)) throw new BatchLedgerError(`No batch ${batchId} is recorded in this app.`);
      throw e;
    }
  };

  async function interruptAll(reason: string): Promise<void> {
    const all = [...driven.values()];
    for (const d of all) d.abort.abort(new Error(reason));
    await Promise.all(all.map((d) => d.done.catch(() => undefined)));
  }

  const assertOpen = () => {
    if (closed) throw new Error('The app is closing: no batch starts now.');
  };

  return {
    async start(request) {
      assertOpen();
      const session = await opts.sessions.sessionFor(targetOf(request));
      // A wrong role or output location stops here, in seconds, not as every job FAILED.
      const preflight = await batchPreflight(session, {
        datastoreId: request.datastoreId,
        inputS3Uri: request.inputS3Uri,
        outputS3Uri: request.outputS3Uri,
        dataAccessRoleArn: request.dataAccessRoleArn,
      });
      if (blockingProblem(preflight)) throw new BatchPreflightError(preflight);
      // The plan the user saw may be stale: the archive is listed again and this plan is what runs.
      const plan = await planArchiveFromS3(session.s3, request.inputS3Uri, request.limits ? { limits: request.limits } : {});
      let stagedJobs: PlannedJob[] | undefined;
      if (plan.unsplittable.length > 0) {
        if (!request.stageTo || plan.unsplittable.some((u) => !u.stageable)) throw new BatchNeedsStagingError(plan.unsplittable);
        const stage = opts.stage ?? defaultStage;
        stagedJobs = await stage({ s3: session.s3, plan, stageTo: request.stageTo, signal: new AbortController().signal });
      }
      assertOpen();
      const control: BatchControl = { paused: false, cancelled: false };
      const batchId = await launch(session, control, (common) =>
          startBatch({
            ...common,
            plan,
            inputs: {
              datastoreId: request.datastoreId,
              inputS3Uri: request.inputS3Uri,
              outputS3Uri: request.outputS3Uri,
              dataAccessRoleArn: request.dataAccessRoleArn,
              ...(request.stageTo ? { stageTo: request.stageTo } : {}),
            },
            target: { region: session.region, sandbox: session.sandbox, ...(session.profile ? { profile: session.profile } : {}) },
            ...(request.concurrency !== undefined ? { concurrency: request.concurrency } : {}),
            ...(stagedJobs ? { stagedJobs } : {}),
          }),
      );
      return { batchId };
    },

    async pause(batchId) {
      const d = driven.get(batchId);
      if (!d) {
        await known(batchId, () => batchTarget(opts.runsDir, batchId)); // an unknown id says so
        throw new BatchNotDrivenError(`Batch ${batchId} is not running in this app, so there is nothing to pause.`);
      }
      if (d.control.cancelled) return;
      d.control.paused = true;
      await emitFromLedger(batchId, true).catch(() => undefined);
    },

    async resume(batchId) {
      const d = driven.get(batchId);
      if (d) {
        if (!d.control.paused) return;
        d.control.paused = false;
        await emitFromLedger(batchId, false).catch(() => undefined);
        return;
      }
      assertOpen();
      await takeOver(batchId, { paused: false, cancelled: false });
    },

    async cancel(batchId) {
      const d = driven.get(batchId);
      if (d) {
        d.control.cancelled = true;
        d.control.paused = false;
        return;
      }
      // Interrupted: taken over only to record the started jobs' ends, then ended 'cancelled'.
      assertOpen();
      await takeOver(batchId, { paused: false, cancelled: true });
    },

    async list(): Promise<BatchSummary[]> {
      return (await listBatches(opts.runsDir)).map((b) => ({
        batchId: b.batchId,
        datastoreId: b.datastoreId,
        region: b.region,
        sandbox: b.sandbox,
        inputS3Uri: b.inputS3Uri,
        startedAt: b.startedAt,
        ...(b.endedAt ? { endedAt: b.endedAt } : {}),
        state: b.state,
        paused: driven.get(b.batchId)?.control.paused ?? false,
        jobs: b.jobs,
        filesPlanned: b.filesPlanned,
        filesImported: b.imported,
        filesFailed: b.failed,
      }));
    },

    async report(batchId) {
      return known(batchId, () => batchReport(opts.runsDir, batchId));
    },

    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    usesSession: (session) => [...driven.values()].some((d) => d.session === session),

    get activeCount() {
      return driven.size;
    },

    interruptAll,

    async stopAll(reason) {
      closed = true;
      await interruptAll(reason);
    },
  };
}
