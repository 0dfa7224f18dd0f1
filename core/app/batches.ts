/**
 * Batches (an archive imported as many import jobs) as the CLI and the app drive them: start one
 * from a plan, resume one from its ledger, list them, report one. Both adapters call this; they only
 * translate arguments in and progress, messages and exit codes out.
 */
import type { BatchJobRecord, BatchProgress, BatchReport } from '../batch/batch-types';
import { foldLedger, reportOf } from '../batch/fold';
import { BatchLedger, batchIsDriven, listBatchIds, newBatchId, readLedger, type BatchInputs, type BatchTarget } from '../batch/ledger';
import { defaultConcurrency } from '../batch/pacing';
import type { BatchPlan, PlannedJob } from '../batch/plan';
import { runBatch, type BatchControl, type BatchPacing, type BatchRunnerEvent, type BatchRunResult, type RunnerSession } from '../batch/runner';

export type { BatchControl };
import type { Clock } from '../engine/clock';

export { defaultConcurrency };

/** The plan has folders no prefix can take apart, and no staging was asked for: nothing is started. */
export class BatchNeedsStagingError extends Error {
  override name = 'BatchNeedsStagingError';
  constructor(readonly prefixes: BatchPlan['unsplittable']) {
    super(needsStagingMessage(prefixes));
  }
}

function needsStagingMessage(prefixes: BatchPlan['unsplittable']): string {
  const stageable = prefixes.filter((p) => p.stageable);
  return (
    `${prefixes.length === 1 ? '1 prefix is' : `${prefixes.length} prefixes are`} not covered by any import job: ${prefixes.map((p) => `${p.prefix} (${p.files.toLocaleString('en-US')} files: ${p.reason})`).join('; ')}. ` +
    (stageable.length > 0
      ? 'Run again with --stage-to s3://BUCKET/PREFIX/ to copy them into sub-prefixes within the limits (server-side CopyObject), then import those.'
      : 'These files cannot be imported as they are (each is over the per-file limit).')
  );
}

export interface BatchDriveOptions {
  session: RunnerSession;
  runsDir: string;
  clock?: Clock;
  signal?: AbortSignal;
  pacing?: BatchPacing;
  watch?: 'list' | 'get-per-job';
  retryFailed?: boolean;
  /** Pause / cancel from outside (the app): see BatchControl. */
  control?: BatchControl;
  /** Every change, with every prefix's state as the runner sees it (the app pushes both). */
  onProgress?(progress: BatchProgress, jobs: readonly BatchJobRecord[]): void;
  onEvent?(event: BatchRunnerEvent): void;
}

export interface StartBatchOptions extends BatchDriveOptions {
  plan: BatchPlan;
  inputs: BatchInputs;
  target: BatchTarget;
  /** Default: the region's concurrency quota. */
  concurrency?: number;
  /**
   * The --stage-to hook: sub-prefixes the unsplittable folders were staged into
   * (core/batch/stage.ts executeStaging). With them, the plan's unsplittable folders are covered.
   */
  stagedJobs?: PlannedJob[];
  batchId?: string;
  /** Called once the ledger exists, before anything is sent: the CLI prints the batch id here. */
  onStarted?(batchId: string): void;
}

export interface BatchOutcome extends BatchRunResult {
  batchId: string;
  report: BatchReport;
}

export async function startBatch(opts: StartBatchOptions): Promise<BatchOutcome> {
  const stageable = opts.plan.unsplittable.filter((u) => u.stageable);
  if (opts.plan.unsplittable.length > 0 && !(opts.stagedJobs && opts.stagedJobs.length > 0 && stageable.length === opts.plan.unsplittable.length)) throw new BatchNeedsStagingError(opts.plan.unsplittable);
  const concurrency = opts.concurrency ?? defaultConcurrency(opts.target.region);
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a whole number of at least 1 (got ${concurrency}).`);
  const batchId = opts.batchId ?? newBatchId();
  const ledger = await BatchLedger.create(opts.runsDir, batchId, {
    inputs: opts.inputs,
    target: opts.target,
    limits: opts.plan.limits,
    concurrency,
    plan: { jobs: opts.plan.jobs, unsplittable: opts.plan.unsplittable, totals: opts.plan.totals },
  });
  try {
    opts.onStarted?.(batchId);
    return await drive(ledger, concurrency, { ...opts, ...(opts.stagedJobs ? { extraJobs: opts.stagedJobs } : {}) });
  } finally {
    await ledger.close();
  }
}

export interface ResumeBatchOptions extends BatchDriveOptions {
  batchId: string;
  /** Default: the concurrency the batch was started with. */
  concurrency?: number;
  /** Called once the ledger is ours (its lock taken) and the resume recorded, before anything is sent. */
  onStarted?(batchId: string): void;
}

/** What a resume needs to know before it opens a session: where the batch runs. */
export async function batchTarget(runsDir: string, batchId: string): Promise<{ target: BatchTarget; inputs: BatchInputs; ended: boolean }> {
  const { records } = await readLedger(runsDir, batchId);
  const f = foldLedger(records);
  return { target: f.started.target, inputs: f.started.inputs, ended: f.ended !== undefined };
}

export async function resumeBatch(opts: ResumeBatchOptions): Promise<BatchOutcome> {
  const ledger = await BatchLedger.open(opts.runsDir, opts.batchId);
  try {
    const f = foldLedger(ledger.records);
    const concurrency = opts.concurrency ?? f.started.concurrency;
    // A batch that ended is only driven again to retry its FAILED prefixes.
    if (f.ended && !opts.retryFailed) return { batchId: opts.batchId, outcome: f.ended.state, folded: f, apiCalls: {}, report: reportOf(f, false) };
    await ledger.append({ type: 'batch-resumed', pid: process.pid, retryFailed: opts.retryFailed ?? false, concurrency });
    opts.onStarted?.(opts.batchId);
    return await drive(ledger, concurrency, opts);
  } finally {
    await ledger.close();
  }
}

async function drive(ledger: BatchLedger, concurrency: number, opts: BatchDriveOptions & { extraJobs?: PlannedJob[] }): Promise<BatchOutcome> {
  const result = await runBatch({
    ledger,
    session: opts.session,
    concurrency,
    ...(opts.retryFailed ? { retryFailed: true } : {}),
    ...(opts.extraJobs ? { extraJobs: opts.extraJobs } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.pacing ? { pacing: opts.pacing } : {}),
    ...(opts.watch ? { watch: opts.watch } : {}),
    ...(opts.control ? { control: opts.control } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  return { ...result, batchId: ledger.batchId, report: reportOf(result.folded, false) };
}

/** The report of a batch from its ledger on disk ('running' while a live process holds its lock). */
export async function batchReport(runsDir: string, batchId: string): Promise<BatchReport> {
  const { records } = await readLedger(runsDir, batchId);
  return reportOf(foldLedger(records), await batchIsDriven(runsDir, batchId));
}

export interface BatchSummary {
  batchId: string;
  state: BatchReport['state'];
  datastoreId: string;
  region: string;
  sandbox: boolean;
  inputS3Uri: string;
  startedAt: string;
  endedAt?: string;
  jobs: number;
  /** Files the plan (and any staged prefixes) counted. */
  filesPlanned: number;
  done: number;
  imported: number;
  failed: number;
}

/** Every batch under the runs dir, newest first; a batch whose ledger cannot be read is left out. */
export async function listBatches(runsDir: string): Promise<BatchSummary[]> {
  const out: BatchSummary[] = [];
  for (const id of await listBatchIds(runsDir)) {
    try {
      const r = await batchReport(runsDir, id);
      out.push({
        batchId: id,
        state: r.state,
        datastoreId: r.datastoreId,
        region: r.region,
        sandbox: r.sandbox,
        inputS3Uri: r.inputS3Uri,
        startedAt: r.startedAt,
        ...(r.endedAt ? { endedAt: r.endedAt } : {}),
        jobs: r.jobs.length,
        filesPlanned: r.jobs.reduce((n, j) => n + j.files, 0),
        done: r.jobs.filter((j) => j.status === 'COMPLETED' || j.status === 'FAILED').length,
        imported: r.totals.imported,
        failed: r.totals.failed,
      });
    } catch {
      /* not a readable batch: skipped */
    }
  }
  return out;
}
