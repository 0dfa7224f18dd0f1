/**
 * Attaching to an import job that is already running, whoever started it: GetDICOMImportJob polled
 * with the engine's policy for it (fast phase after each status change, then growing to the cap;
 * throttling and transient faults back off within the error budget). Never creates anything.
 */
import { GetDICOMImportJobCommand, type DICOMImportJobProperties } from '@aws-sdk/client-medical-imaging';
import type { AwsSession } from '../aws/session';
import { AwsFaultError, classifyAwsError } from '../aws/errors';
import { backoffDelay, PollSchedule, resolvePollingPolicy, type PollingPolicy } from '../engine/polling';

export type WatchEvent =
  | { type: 'status'; job: DICOMImportJobProperties; previous?: string; polls: number }
  | { type: 'poll'; job: DICOMImportJobProperties; polls: number; nextInMs: number }
  | { type: 'waiting'; reason: 'throttled' | 'transient'; code: string; message: string; retryInMs: number };

export interface WatchOptions {
  datastoreId: string;
  jobId: string;
  onEvent?(e: WatchEvent): void;
  signal?: AbortSignal;
  /** Overrides of the GetDICOMImportJob policy (the sandbox's demo pace, tests). */
  polling?: Partial<PollingPolicy>;
  /** For tests: the clock and the pause. */
  now?(): number;
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
}

export type WatchEnd =
  | { kind: 'ended'; job: DICOMImportJobProperties; polls: number }
  | { kind: 'cancelled'; job?: DICOMImportJobProperties; polls: number }
  | { kind: 'timed-out'; job?: DICOMImportJobProperties; polls: number };

const ENDED = new Set(['COMPLETED', 'FAILED']);

function sleepFor(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Polls until the job is COMPLETED or FAILED, the signal aborts, or the policy's deadline passes. AWS errors that persist throw AwsFaultError. */
export async function watchImportJob(session: Pick<AwsSession, 'medicalImaging' | 'profile'>, opts: WatchOptions): Promise<WatchEnd> {
  const policy = resolvePollingPolicy('watch', 'GetDICOMImportJob', opts.polling);
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? sleepFor;
  const started = now();
  const schedule = new PollSchedule(policy, started);
  let polls = 0;
  let job: DICOMImportJobProperties | undefined;
  let faultSince: number | undefined;
  let lastBackoff = 0;
  const stopped = (): WatchEnd | undefined =>
    opts.signal?.aborted ? { kind: 'cancelled', ...(job ? { job } : {}), polls } : now() - started > policy.stepTimeoutMs ? { kind: 'timed-out', ...(job ? { job } : {}), polls } : undefined;

  for (;;) {
    const stop = stopped();
    if (stop) return stop;
    let delay: number;
    try {
      const out = await session.medicalImaging.send(new GetDICOMImportJobCommand({ datastoreId: opts.datastoreId, jobId: opts.jobId }), opts.signal ? { abortSignal: opts.signal } : {});
      polls++;
      faultSince = undefined;
      lastBackoff = 0;
      const previous = job?.jobStatus;
      job = out.jobProperties!;
      if (job.jobStatus !== previous) opts.onEvent?.({ type: 'status', job, ...(previous ? { previous } : {}), polls });
      if (ENDED.has(job.jobStatus ?? '')) return { kind: 'ended', job, polls };
      delay = schedule.next(now(), job.jobStatus);
      opts.onEvent?.({ type: 'poll', job, polls, nextInMs: delay });
    } catch (err) {
      if (opts.signal?.aborted) return { kind: 'cancelled', ...(job ? { job } : {}), polls };
      const c = classifyAwsError(err, { operation: 'GetDICOMImportJob', ...(session.profile ? { profile: session.profile } : {}) });
      if (c.fault !== 'throttled' && c.fault !== 'transient') throw new AwsFaultError(c);
      faultSince ??= now();
      // Throttling never ends a watch; transient faults do once they outlast the error budget.
      if (c.fault === 'transient' && now() - faultSince > policy.errorBudgetMs) throw new AwsFaultError(c);
      delay = backoffDelay(Math.max(lastBackoff, schedule.current()), policy, c.retryAfterMs);
      lastBackoff = delay;
      if (c.fault === 'throttled') schedule.raiseFloor(delay);
      opts.onEvent?.({ type: 'waiting', reason: c.fault, code: c.code, message: c.message, retryInMs: delay });
    }
    await sleep(delay, opts.signal);
  }
}
