/**
 * Statuses computed from timestamps: a resource's timeline is a list of (status, at) points and
 * its status is the last point at or before "now". No timers are needed, so a manual clock and a
 * scaled real clock behave the same.
 */
import type { DatastoreRecord, DatastoreStatus, JobRecord, JobStatus, StatusOverride } from './state';

export interface TimelinePoint<S extends string> {
  status: S;
  at: number;
}

function applyOverrides<S extends string>(base: TimelinePoint<S>[], overrides: StatusOverride<S>[]): TimelinePoint<S>[] {
  let points = base;
  for (const o of [...overrides].sort((a, b) => a.at - b.at)) {
    points = points.filter((p) => p.at < o.at);
    points.push(...o.statuses.map((s) => ({ status: s.status, at: o.at + s.offsetMs })));
  }
  return points;
}

export function datastoreTimeline(ds: DatastoreRecord): TimelinePoint<DatastoreStatus>[] {
  return applyOverrides<DatastoreStatus>(
    [
      { status: 'CREATING', at: ds.createdAt },
      { status: ds.createOutcome, at: ds.createdAt + ds.createMs },
    ],
    ds.overrides,
  );
}

export function jobEndsAt(job: JobRecord): number {
  return job.submittedAt + job.submittedMs + job.runMs;
}

/** The final point uses the outcome once known; callers process the job before exposing it. */
export function jobTimeline(job: JobRecord): TimelinePoint<JobStatus>[] {
  return [
    { status: 'SUBMITTED', at: job.submittedAt },
    { status: 'IN_PROGRESS', at: job.submittedAt + job.submittedMs },
    { status: job.outcome?.status ?? 'COMPLETED', at: Math.max(jobEndsAt(job), job.outcome?.endedAt ?? 0) },
  ];
}

export function statusAt<S extends string>(timeline: TimelinePoint<S>[], now: number): TimelinePoint<S> {
  let current = timeline[0]!;
  for (const p of timeline) if (p.at <= now) current = p;
  return current;
}
