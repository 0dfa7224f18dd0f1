/**
 * The sandbox's shared state and clock-driven behaviour: status lookups, the sweep that processes
 * finished imports and reports status transitions, and persistence after each change.
 */
import type { SandboxClock } from './clock';
import type { FaultState } from './faults';
import { dataAccessFor } from './data-access';
import { importSteps, jobOutputUri, safeMessage } from './import-processor';
import { datastoreTimeline, jobEndsAt, jobTimeline, statusAt, type TimelinePoint } from './lifecycle';
import type { S3Store } from './s3-store';
import type { DatastoreRecord, DatastoreStatus, JobOutcome, JobRecord, JobStatus, SandboxState, StatePersistence } from './state';

/** Slices of an import run at once when its job is due: 500 files, a few milliseconds. */
const SYNC_STEPS = 5;

export interface SandboxTimings {
  datastoreCreateMs: number;
  datastoreDeleteMs: number;
  importSubmittedMs: number;
  importBaseMs: number;
  importPerFileMs: number;
}

/** At time scale 1 these resemble the real service: a store in ~2 minutes, an import in ~1 minute + per file. */
export const DEFAULT_TIMINGS: SandboxTimings = {
  datastoreCreateMs: 120_000,
  datastoreDeleteMs: 60_000,
  importSubmittedMs: 10_000,
  importBaseMs: 60_000,
  importPerFileMs: 500,
};

export interface StatusChange {
  kind: 'datastore' | 'job';
  id: string;
  status: string;
  at: number;
}

export class SandboxCore {
  private readonly emitted = new Set<string>();
  private readonly listeners = new Set<(change: StatusChange) => void>();
  /** Import jobs one data store may run at once (SUBMITTED or IN_PROGRESS); undefined: the region's quota. */
  maxConcurrentImports: number | undefined;

  constructor(
    readonly state: SandboxState,
    readonly clock: SandboxClock,
    readonly store: S3Store,
    readonly faults: FaultState,
    readonly timings: SandboxTimings,
    readonly region: string,
    readonly accountId: string,
    private readonly persistence: StatePersistence,
  ) {
    // Transitions that already happened before this start are history, not news.
    const now = clock.now();
    for (const ds of Object.values(state.datastores))
      for (const p of datastoreTimeline(ds)) if (p.at <= now) this.emitted.add(`datastore:${ds.id}:${p.status}@${p.at}`);
    for (const job of Object.values(state.jobs))
      for (const p of jobTimeline(job))
        // An unprocessed job's final status is not known yet: that one is still news.
        if (p.at <= now && (job.outcome || p.at < jobEndsAt(job))) this.emitted.add(`job:${job.id}:${p.status}@${p.at}`);
  }

  now(): number {
    return this.clock.now();
  }

  save(): void {
    this.state.clockMs = Math.max(this.state.clockMs, this.now());
    this.persistence.save(this.state);
  }

  onStatusChange(listener: (change: StatusChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  datastoreStatus(ds: DatastoreRecord): TimelinePoint<DatastoreStatus> {
    return statusAt(datastoreTimeline(ds), this.now());
  }

  /**
   * Processes the job first if it has ended, so COMPLETED is never reported before its outputs
   * exist. A job whose files are not all processed yet is still IN_PROGRESS (as a real import is
   * until it has written its outputs).
   */
  jobStatus(job: JobRecord): TimelinePoint<JobStatus> {
    this.finishIfDue(job);
    if (!job.outcome && jobEndsAt(job) <= this.now()) return { status: 'IN_PROGRESS', at: job.submittedAt + job.submittedMs };
    return statusAt(jobTimeline(job), this.now());
  }

  /** Jobs whose files are being processed a slice at a time, by id. */
  private readonly processing = new Set<string>();
  private stopped = false;

  /**
   * A due job's import: a small one (up to SYNC_STEPS slices) at once, as before; a larger one
   * goes on in slices between requests (setImmediate), so many jobs of 5,000 files ending together
   * never block the server, and only the slices' own result lines are in memory.
   */
  private finishIfDue(job: JobRecord): void {
    if (job.outcome || jobEndsAt(job) > this.now() || this.processing.has(job.id) || this.stopped) return;
    const steps = importSteps(job, this.state, this.store, dataAccessFor(this, job, jobOutputUri(job)));
    const settle = (outcome: JobOutcome) => {
      const now = this.now();
      // Outputs written later than the planned end: the job ended when they were.
      job.outcome = now > jobEndsAt(job) + 1 && this.processing.has(job.id) ? { ...outcome, endedAt: now } : outcome;
      this.processing.delete(job.id);
      this.save();
    };
    const fail = (e: unknown): JobOutcome => ({ status: 'FAILED', message: safeMessage(`Internal error while importing: ${e instanceof Error ? e.message : String(e)}`) });
    try {
      for (let i = 0; i < SYNC_STEPS; i++) {
        const r = steps.next();
        if (r.done) return settle(r.value);
      }
    } catch (e) {
      return settle(fail(e));
    }
    this.processing.add(job.id);
    const step = () => {
      if (this.stopped) return void this.processing.delete(job.id);
      try {
        const r = steps.next();
        if (r.done) {
          settle(r.value);
          this.sweep();
        } else setImmediate(step);
      } catch (e) {
        settle(fail(e));
      }
    };
    setImmediate(step);
  }

  /** Stops processing in slices (the sandbox is closing); unfinished jobs are processed at the next start. */
  stop(): void {
    this.stopped = true;
  }

  /** Finishes due imports and tells listeners about every transition up to now, in time order. */
  sweep(): void {
    const now = this.now();
    const changes: StatusChange[] = [];
    for (const ds of Object.values(this.state.datastores)) {
      for (const p of datastoreTimeline(ds)) {
        const key = `datastore:${ds.id}:${p.status}@${p.at}`;
        if (p.at <= now && !this.emitted.has(key)) {
          this.emitted.add(key);
          changes.push({ kind: 'datastore', id: ds.id, status: p.status, at: p.at });
        }
      }
    }
    for (const job of Object.values(this.state.jobs)) {
      this.finishIfDue(job);
      for (const p of jobTimeline(job)) {
        const key = `job:${job.id}:${p.status}@${p.at}`;
        // The final status only once the outputs are written (a large import is processed in slices).
        if (p.at <= now && (job.outcome || p.status === 'SUBMITTED' || p.status === 'IN_PROGRESS') && !this.emitted.has(key)) {
          this.emitted.add(key);
          changes.push({ kind: 'job', id: job.id, status: p.status, at: p.at });
        }
      }
    }
    changes.sort((a, b) => a.at - b.at);
    for (const c of changes)
      for (const l of this.listeners) {
        try {
          l(c);
        } catch {
          // a listener's failure must not break the sandbox
        }
      }
  }
}
