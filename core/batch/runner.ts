/**
 * The batch runner: drives HealthImaging at its limits, prefix by prefix, from the batch ledger.
 *
 * - Submits queued prefixes while fewer than `concurrency` of ours are starting or running, and no
 *   faster than StartDICOMImportJob's request rate (a token bucket). `job-submitting` is on disk
 *   before each start, `job-submitted` after; a prefix found "submitting" (a kill in between) is
 *   settled by sending the same client token again, which returns the job already started.
 * - Watches the running set with ListDICOMImportJobs filtered to SUBMITTED and IN_PROGRESS (one
 *   call covers up to 50 jobs), not a GetDICOMImportJob per job per poll. A job of ours missing from
 *   both lists has ended: one GetDICOMImportJob (its status and output folder) and its results
 *   (job-output-manifest.json, failure.ndjson) are read and recorded.
 * - Throttling and 5xx back off (core/engine/polling.ts backoffDelay). A 402 ServiceQuotaExceeded
 *   start puts the prefix back at the head of the queue and lowers the concurrency to what runs now
 *   (someone else's jobs use the quota); it creeps back up once jobs end. Expired credentials pause
 *   the batch with an event and are retried until they work again. Nothing is ever dropped.
 * - FAILED prefixes are retried only when asked (`retryFailed`): a new attempt with a new token.
 * - Cancelling (the signal) stops sending and leaves running jobs running in AWS; a resume picks
 *   them up from the ledger.
 */
import { GetDICOMImportJobCommand, ListDICOMImportJobsCommand, StartDICOMImportJobCommand, type JobStatus, type MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import type { S3Client } from '@aws-sdk/client-s3';
import { classifyAwsError, type AwsErrorClassification } from '../aws/errors';
import { systemClock, type Clock } from '../engine/clock';
import { backoffDelay, type PollingPolicy } from '../engine/polling';
import type { ImportResults } from '../engine/events';
import { readImportResults } from '../report/import-results';
import type { BatchJobRecord, BatchProgress } from './batch-types';
import { applyRecord, foldLedger, outcomeOf, progressOf, type FoldedBatch } from './fold';
import { clientTokenFor, type BatchLedger, type JobResultCounts, type NewLedgerRecord } from './ledger';
import { TokenBucket } from './pacing';
import type { PlannedJob } from './plan';

export interface RunnerSession {
  medicalImaging: MedicalImagingClient;
  s3: S3Client;
  profile?: string;
  /** Drop cached credentials so the next request reads them again (after a sign-in). */
  refreshCredentials?(): void;
}

export type BatchRunnerEvent =
  | { type: 'submitted'; inputS3Uri: string; jobId: string; resent: boolean; atMs: number }
  | { type: 'job-ended'; inputS3Uri: string; jobId: string; status: 'COMPLETED' | 'FAILED'; imported?: number; failed?: number; message?: string; atMs: number }
  | { type: 'quota'; inputS3Uri: string; message: string; concurrency: number; atMs: number }
  | { type: 'backoff'; operation: string; code: string; message: string; delayMs: number; atMs: number }
  | { type: 'paused'; reason: 'credentials'; message: string; action?: string; atMs: number }
  | { type: 'unpaused'; atMs: number };

export interface BatchPacing {
  /** StartDICOMImportJob requests per second (default 1, with a burst of 1). */
  startsPerSecond?: number;
  startBurst?: number;
  /** Between two looks at the running set (default 30 s). */
  pollIntervalMs?: number;
  /** Between two tries while credentials are expired (default 30 s). */
  credentialRetryMs?: number;
  /** Tries (and pause) while a just-ended job's manifest is not there yet. */
  resultAttempts?: number;
  resultDelayMs?: number;
}

/**
 * Steering a running batch from outside (the app's Pause and Cancel): read by the runner at each
 * wake (at most one poll interval later). Paused: no new job is started, the running ones are still
 * watched and recorded. Cancelled: nothing more is started; once the started jobs have ended the
 * batch ends 'cancelled' (the queued prefixes stay unstarted).
 */
export interface BatchControl {
  paused: boolean;
  cancelled: boolean;
}

export interface RunBatchOptions {
  ledger: BatchLedger;
  session: RunnerSession;
  /** Our jobs starting or running at once: the data store's quota unless asked for fewer. */
  concurrency: number;
  retryFailed?: boolean;
  /** More prefixes to import (the --stage-to hook: the staged sub-prefixes); recorded once. */
  extraJobs?: PlannedJob[];
  clock?: Clock;
  signal?: AbortSignal;
  pacing?: BatchPacing;
  /** How the running set is watched; 'get-per-job' only to measure what the list saves (bench). */
  watch?: 'list' | 'get-per-job';
  control?: BatchControl;
  /** Every change; `jobs` is the runner's own view of every prefix (read it now, do not keep it). */
  onProgress?(progress: BatchProgress, jobs: readonly BatchJobRecord[]): void;
  onEvent?(event: BatchRunnerEvent): void;
}

export interface BatchRunResult {
  /** 'interrupted': the signal stopped it, or a persisting error; the batch is resumable. */
  outcome: 'completed' | 'completed_with_errors' | 'failed' | 'cancelled' | 'interrupted';
  folded: FoldedBatch;
  /** Set when a persisting AWS error stopped the batch. */
  error?: AwsErrorClassification;
  apiCalls: Record<string, number>;
}

/** Back-off bounds for throttling and 5xx (the engine's, at batch scale). */
const BACKOFF: PollingPolicy = { initialDelayMs: 2_000, multiplier: 2, maxDelayMs: 5 * 60_000, stepTimeoutMs: Number.MAX_SAFE_INTEGER, errorBudgetMs: Number.MAX_SAFE_INTEGER };
/** After a 402, the concurrency is not raised again for this long. */
const QUOTA_HOLD_MS = 60_000;
const RESULT_READERS = 8;

class PersistingError extends Error {
  constructor(readonly classification: AwsErrorClassification) {
    super(classification.message);
  }
}

/** The jobName of a prefix: its last folders, within jobName's pattern and 64 characters, the same on every resend. */
export function jobNameFor(inputS3Uri: string): string {
  const tail = inputS3Uri.replace(/^s3:\/\/[^/]+\//, '').replace(/[^A-Za-z0-9._/#-]/g, '_').replace(/\/+$/, '');
  const name = tail.length > 58 ? tail.slice(-58) : tail;
  return `batch-${name || 'root'}`.replace(/^batch-\/+/, 'batch-');
}

export async function runBatch(opts: RunBatchOptions): Promise<BatchRunResult> {
  const { ledger, session } = opts;
  const clock = opts.clock ?? systemClock;
  const signal = opts.signal ?? new AbortController().signal;
  const pacing = { startsPerSecond: 1, startBurst: 1, pollIntervalMs: 30_000, credentialRetryMs: 30_000, resultAttempts: 5, resultDelayMs: 3_000, ...opts.pacing };
  const f = foldLedger(ledger.records);
  const inputs = f.started.inputs;
  const calls: Record<string, number> = {};
  let unrecordedCalls: Record<string, number> = {};
  const count = (op: string) => {
    calls[op] = (calls[op] ?? 0) + 1;
    unrecordedCalls[op] = (unrecordedCalls[op] ?? 0) + 1;
  };
  const record = async (r: NewLedgerRecord) => applyRecord(f, await ledger.append(r));
  const flushCalls = async () => {
    if (Object.keys(unrecordedCalls).length === 0) return;
    const c = unrecordedCalls;
    unrecordedCalls = {};
    await record({ type: 'api-calls', calls: c });
  };
  const emit = (e: BatchRunnerEvent) => opts.onEvent?.(e);
  const progress = () => opts.onProgress?.(progressOf(f, Date.now(), paused || (opts.control?.paused ?? false)), f.jobs);
  const classify = (e: unknown, operation: string) => classifyAwsError(e, { operation, ...(session.profile ? { profile: session.profile } : {}) });

  if (opts.extraJobs?.length) {
    const fresh = opts.extraJobs.filter((j) => !f.byUri.has(j.inputS3Uri));
    if (fresh.length) await record({ type: 'jobs-added', source: 'staging', jobs: fresh });
  }

  // The queue, in plan order: never-started and requeued prefixes, then FAILED ones when asked.
  const queue: BatchJobRecord[] = f.jobs.filter((j) => j.state === 'queued');
  const retries = new Set<BatchJobRecord>();
  if (opts.retryFailed)
    for (const j of f.jobs)
      if (j.state === 'FAILED') {
        queue.push(j);
        retries.add(j);
      }
  // Prefixes a kill left between job-submitting and job-submitted: resent first, same token.
  const unsettled: BatchJobRecord[] = f.jobs.filter((j) => j.state === 'submitting');
  const running = () => f.jobs.filter((j) => j.jobId && (j.state === 'SUBMITTED' || j.state === 'IN_PROGRESS'));
  const inFlight = () => f.jobs.filter((j) => j.state === 'submitting' || j.state === 'SUBMITTED' || j.state === 'IN_PROGRESS').length;

  const bucket = new TokenBucket(pacing.startsPerSecond, pacing.startBurst, () => clock.now());
  let effective = Math.max(1, opts.concurrency);
  let quotaHoldUntil = 0;
  let nextStartAt = 0;
  let startBackoff = 0;
  let nextPollAt = 0;
  let pollBackoff = 0;
  // A new drive starts unpaused: its first request tells whether the credentials work.
  let paused = false;
  let pauseRetryAt = 0;

  /** A credential fault pauses (one record and event); any other persisting fault ends this drive. */
  const onFault = async (c: AwsErrorClassification, operation: string): Promise<'backoff' | 'paused'> => {
    if (c.fault === 'credentials') {
      if (!paused) {
        paused = true;
        await record({ type: 'batch-paused', reason: 'credentials', message: c.message, ...(c.action ? { action: c.action } : {}) });
        emit({ type: 'paused', reason: 'credentials', message: c.message, ...(c.action ? { action: c.action } : {}), atMs: clock.now() });
        progress();
      }
      pauseRetryAt = clock.now() + pacing.credentialRetryMs;
      return 'paused';
    }
    if (c.fault === 'throttled' || c.fault === 'transient') {
      if (operation === 'StartDICOMImportJob') {
        startBackoff = backoffDelay(Math.max(startBackoff, BACKOFF.initialDelayMs / 2), BACKOFF, c.retryAfterMs);
        nextStartAt = clock.now() + startBackoff;
        emit({ type: 'backoff', operation, code: c.code, message: c.message, delayMs: startBackoff, atMs: clock.now() });
      } else {
        pollBackoff = backoffDelay(Math.max(pollBackoff, BACKOFF.initialDelayMs / 2), BACKOFF, c.retryAfterMs);
        nextPollAt = clock.now() + pollBackoff;
        emit({ type: 'backoff', operation, code: c.code, message: c.message, delayMs: pollBackoff, atMs: clock.now() });
      }
      return 'backoff';
    }
    throw new PersistingError(c);
  };

  const worked = async () => {
    if (!paused) return;
    paused = false;
    await record({ type: 'batch-unpaused' });
    emit({ type: 'unpaused', atMs: clock.now() });
  };

  /** One StartDICOMImportJob: 'ok', 'quota' (requeued), or 'retry' (throttled/paused: try again later). */
  const start = async (job: BatchJobRecord, resend: boolean): Promise<'ok' | 'quota' | 'retry'> => {
    if (!resend) {
      const attempt = retries.has(job) ? job.attempts + 1 : Math.max(1, job.attempts);
      retries.delete(job);
      await record({ type: 'job-submitting', inputS3Uri: job.inputS3Uri, clientToken: clientTokenFor(f.started.batchId, job.inputS3Uri, attempt), attempt });
    }
    count('StartDICOMImportJob');
    try {
      const out = await session.medicalImaging.send(
        new StartDICOMImportJobCommand({
          datastoreId: inputs.datastoreId,
          dataAccessRoleArn: inputs.dataAccessRoleArn,
          inputS3Uri: job.inputS3Uri,
          outputS3Uri: inputs.outputS3Uri,
          clientToken: job.clientToken,
          jobName: jobNameFor(job.inputS3Uri),
          ...(inputs.inputOwnerAccountId ? { inputOwnerAccountId: inputs.inputOwnerAccountId } : {}),
        }),
        { abortSignal: signal },
      );
      if (!out.jobId) throw new Error('StartDICOMImportJob answered without a jobId');
      await worked();
      startBackoff = 0;
      await record({ type: 'job-submitted', inputS3Uri: job.inputS3Uri, clientToken: job.clientToken, jobId: out.jobId, ...(out.submittedAt ? { submittedAt: out.submittedAt.toISOString() } : {}) });
      emit({ type: 'submitted', inputS3Uri: job.inputS3Uri, jobId: out.jobId, resent: resend, atMs: clock.now() });
      // A job now runs: the app's batch view shows it at once, not at its end.
      progress();
      return 'ok';
    } catch (e) {
      if (signal.aborted) throw e;
      const c = classify(e, 'StartDICOMImportJob');
      if (c.code === 'ServiceQuotaExceededException' || c.httpStatus === 402) {
        await record({ type: 'job-requeued', inputS3Uri: job.inputS3Uri, reason: 'quota', message: c.message });
        effective = Math.max(1, running().length);
        quotaHoldUntil = clock.now() + QUOTA_HOLD_MS;
        // Not again before the next look at the running set: a slot frees only when a job ends.
        nextStartAt = clock.now() + pacing.pollIntervalMs;
        emit({ type: 'quota', inputS3Uri: job.inputS3Uri, message: c.message, concurrency: effective, atMs: clock.now() });
        return 'quota';
      }
      await onFault(c, 'StartDICOMImportJob');
      return 'retry';
    }
  };

  /** A job of ours has ended (or may have): its status, then its results; recorded once. */
  const finish = async (job: BatchJobRecord, known?: { status: JobStatus; endedAt?: Date; message?: string; outputS3Uri?: string }): Promise<void> => {
    const jobId = job.jobId!;
    let props = known;
    if (!props) {
      count('GetDICOMImportJob');
      const out = await session.medicalImaging.send(new GetDICOMImportJobCommand({ datastoreId: inputs.datastoreId, jobId }), { abortSignal: signal });
      const p = out.jobProperties;
      props = { status: p?.jobStatus ?? 'SUBMITTED', ...(p?.endedAt ? { endedAt: p.endedAt } : {}), ...(p?.message ? { message: p.message } : {}), ...(p?.outputS3Uri ? { outputS3Uri: p.outputS3Uri } : {}) };
    }
    if (props.status !== 'COMPLETED' && props.status !== 'FAILED') {
      // Not ended after all (a list that lagged): note a change of status, look again next poll.
      if (props.status !== job.state) await record({ type: 'job-status', inputS3Uri: job.inputS3Uri, jobId, status: props.status });
      return;
    }
    const results = await readImportResults(session.s3, props.outputS3Uri ?? { outputS3Uri: inputs.outputS3Uri, datastoreId: inputs.datastoreId, jobId }, {
      attempts: props.status === 'FAILED' ? 1 : pacing.resultAttempts,
      delayMs: pacing.resultDelayMs,
      signal,
      sleep: (ms) => clock.sleep(ms, signal),
    });
    if (signal.aborted) throw signal.reason;
    const counts = countsOf(results);
    await record({
      type: 'job-ended',
      inputS3Uri: job.inputS3Uri,
      jobId,
      status: props.status,
      ...(props.endedAt ? { endedAt: props.endedAt.toISOString() } : {}),
      ...(props.message ? { message: props.message } : {}),
      results: counts,
    });
    emit({ type: 'job-ended', inputS3Uri: job.inputS3Uri, jobId, status: props.status, ...(counts.imported !== undefined ? { imported: counts.imported } : {}), ...(counts.failed !== undefined ? { failed: counts.failed } : {}), ...(props.message ? { message: props.message } : {}), atMs: clock.now() });
    if (clock.now() >= quotaHoldUntil && effective < opts.concurrency) effective++;
    await flushCalls();
    progress();
  };

  /** Looks at the running set: two filtered lists (paged), then the ended ones. */
  const poll = async (): Promise<void> => {
    const ours = running();
    if (ours.length === 0) return;
    const ended: Array<[BatchJobRecord, Parameters<typeof finish>[1]]> = [];
    let statusChanged = false;
    if (opts.watch === 'get-per-job') {
      for (const job of ours) {
        count('GetDICOMImportJob');
        const p = (await session.medicalImaging.send(new GetDICOMImportJobCommand({ datastoreId: inputs.datastoreId, jobId: job.jobId! }), { abortSignal: signal })).jobProperties;
        const status = p?.jobStatus ?? 'SUBMITTED';
        if (status === 'COMPLETED' || status === 'FAILED') ended.push([job, { status, ...(p?.endedAt ? { endedAt: p.endedAt } : {}), ...(p?.message ? { message: p.message } : {}), ...(p?.outputS3Uri ? { outputS3Uri: p.outputS3Uri } : {}) }]);
        else if (status !== job.state) {
          await record({ type: 'job-status', inputS3Uri: job.inputS3Uri, jobId: job.jobId!, status });
          statusChanged = true;
        }
      }
    } else {
      const live = new Map<string, JobStatus>();
      for (const status of ['IN_PROGRESS', 'SUBMITTED'] as const) {
        let nextToken: string | undefined;
        do {
          count('ListDICOMImportJobs');
          const page = await session.medicalImaging.send(new ListDICOMImportJobsCommand({ datastoreId: inputs.datastoreId, jobStatus: status, maxResults: 50, ...(nextToken ? { nextToken } : {}) }), { abortSignal: signal });
          for (const s of page.jobSummaries ?? []) if (s.jobId && s.jobStatus) live.set(s.jobId, s.jobStatus);
          nextToken = page.nextToken;
        } while (nextToken);
      }
      for (const job of ours) {
        const status = live.get(job.jobId!);
        if (status === undefined) ended.push([job, undefined]);
        else if (status !== job.state && (status === 'SUBMITTED' || status === 'IN_PROGRESS')) {
          await record({ type: 'job-status', inputS3Uri: job.inputS3Uri, jobId: job.jobId!, status });
          statusChanged = true;
        }
      }
    }
    if (statusChanged) progress();
    await worked();
    pollBackoff = 0;
    // Results are read a few at a time: one slow manifest must not hold up the others.
    for (let i = 0; i < ended.length; i += RESULT_READERS) await Promise.all(ended.slice(i, i + RESULT_READERS).map(([job, known]) => finish(job, known)));
  };

  const done = () => (queue.length === 0 || opts.control?.cancelled === true) && unsettled.length === 0 && inFlight() === 0;
  const holding = () => opts.control?.paused === true || opts.control?.cancelled === true;
  let error: AwsErrorClassification | undefined;
  progress();
  try {
    while (!done()) {
      signal.throwIfAborted();
      const now = clock.now();
      if (paused && now < pauseRetryAt) {
        await clock.sleep(pauseRetryAt - now, signal);
        session.refreshCredentials?.();
        // Let one request find out whether the credentials work again.
        nextPollAt = 0;
        nextStartAt = 0;
      }
      // Starts: unsettled first (same token), then the queue, within concurrency and rate.
      while ((unsettled.length > 0 || (queue.length > 0 && inFlight() < effective && !holding())) && clock.now() >= nextStartAt) {
        const wait = bucket.take();
        if (wait > 0) {
          nextStartAt = clock.now() + wait;
          break;
        }
        const resend = unsettled.length > 0;
        const job = resend ? unsettled[0]! : queue[0]!;
        const r = await start(job, resend);
        if (r === 'retry') {
          // Keeps its place; a start recorded as submitting is resent with the same token.
          if (!resend && job.state === 'submitting') {
            queue.shift();
            unsettled.push(job);
          }
          break;
        }
        (resend ? unsettled : queue).shift();
        if (r === 'quota') {
          // Back at the head of the queue, retried at the same token once a job of ours ends.
          queue.unshift(job);
          break;
        }
      }
      if (clock.now() >= nextPollAt) {
        try {
          await poll();
          if (nextPollAt <= clock.now()) nextPollAt = clock.now() + pacing.pollIntervalMs;
        } catch (e) {
          if (signal.aborted) throw signal.reason;
          if (e instanceof PersistingError) throw e;
          await onFault(classify(e, 'ListDICOMImportJobs'), 'ListDICOMImportJobs');
        }
      }
      if (done()) break;
      // Sleep until the next thing to do: a poll, or a start the rate or a back-off held back.
      const canStart = unsettled.length > 0 || (queue.length > 0 && inFlight() < effective && !holding());
      const wakeAt = paused ? pauseRetryAt : canStart ? Math.min(nextPollAt, Math.max(nextStartAt, clock.now())) : nextPollAt;
      const ms = wakeAt - clock.now();
      if (ms > 0) await clock.sleep(ms, signal);
    }
  } catch (e) {
    await flushCalls().catch(() => undefined);
    if (e instanceof PersistingError) {
      error = e.classification;
      await record({ type: 'batch-stopped', reason: 'error', message: e.classification.message });
    } else if (signal.aborted) {
      await record({ type: 'batch-stopped', reason: 'interrupted' });
    } else throw e;
    progress();
    return { outcome: 'interrupted', folded: f, ...(error ? { error } : {}), apiCalls: calls };
  }
  await flushCalls();
  const outcome = opts.control?.cancelled && queue.length > 0 ? 'cancelled' : (outcomeOf(f.jobs) ?? 'failed');
  await record({ type: 'batch-ended', state: outcome });
  progress();
  return { outcome, folded: f, apiCalls: calls };
}

function countsOf(r: ImportResults): JobResultCounts {
  if (r.state !== 'read') return { state: r.state, ...(r.message ? { message: r.message } : {}) };
  const failed = (r.numberOfFilesWithCustomerError ?? 0) + (r.numberOfFilesWithServerError ?? 0);
  return {
    state: 'read',
    ...(r.numberOfScannedFiles !== undefined ? { scanned: r.numberOfScannedFiles } : {}),
    ...(r.numberOfImportedFiles !== undefined ? { imported: r.numberOfImportedFiles } : {}),
    failed,
    ...(r.numberOfGeneratedImageSets !== undefined ? { imageSets: r.numberOfGeneratedImageSets } : {}),
    ...(r.failuresByType?.length ? { failuresByType: r.failuresByType.map((g) => ({ type: g.type, count: g.count, examples: g.examples.slice(0, 5) })) } : {}),
  };
}
