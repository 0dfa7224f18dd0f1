/**
 * Streams a run's events and the service's status changes into the benchmark's figures, in
 * constant memory (nothing per poll is kept, so the observer does not inflate the heap figures).
 *
 * Delay of a change = (time of the engine's first response-received event showing the new status)
 * − (the moment the service's status changed, from the sandbox's onStatusChange). Both are in the
 * one clock the engine and the sandbox share (see sandbox-clock.ts).
 */
import type { RunEvent, RunStatus } from '../core/engine/index';

/** What the sandbox reports through onStatusChange (kept structural so this module stays plain). */
export interface ServiceStatusChange {
  kind: 'datastore' | 'job';
  id: string;
  status: string;
  at: number;
}

export type ResourceKind = ServiceStatusChange['kind'];

/** Which resource an operation's observed status belongs to. */
const KIND_OF_OPERATION: Record<string, ResourceKind> = {
  CreateDatastore: 'datastore',
  GetDatastore: 'datastore',
  StartDICOMImportJob: 'job',
  GetDICOMImportJob: 'job',
};

interface Sighting {
  /** Engine (= service) time of the response-received event. */
  at: number;
  /** The poll wait that ended right before this request (0 when no wait preceded it in its step). */
  intervalMs: number;
}

export interface ChangeFigure {
  kind: ResourceKind;
  from: string;
  to: string;
  changedAt: number;
  /** How far into the phase (since the previous status began) the change fell. */
  intoPhaseMs: number;
  /** Absent when the engine never saw the new status. */
  delayMs?: number;
  /** The poll interval in force when the change happened (the wait before the observing request). */
  intervalMs?: number;
}

export interface RunEnding {
  status: RunStatus;
  at: number;
  error?: { code: string; message: string };
}

export interface RunFigures {
  /** Every run-ended in order: more than one when the run was resumed. The last is the outcome. */
  endings: RunEnding[];
  startedAt?: number;
  endedAt?: number;
  /** request-sent events per operation (what the engine decided to send). */
  engineRequests: Map<string, number>;
  /**
   * How much longer a poll cycle (response to next response) took than the wait between them:
   * request, response, the fsync'd events. A change that lands just after the service answered a
   * poll is seen only after the wait plus this.
   */
  cycleOverheadMs: { mean: number; max: number; cycles: number };
  changes: ChangeFigure[];
}

export class RunObserver {
  private readonly requests = new Map<string, number>();
  private readonly firstSeen = new Map<string, Sighting>();
  private readonly lastWait = new Map<string, number>();
  private readonly serviceChanges: ServiceStatusChange[] = [];
  /** Per step: time of the last answer, and the one poll wait since then (null: not a single poll wait). */
  private readonly lastAnswerAt = new Map<string, number>();
  private readonly waitSinceAnswer = new Map<string, number | null>();
  private overhead = { sum: 0, max: 0, cycles: 0 };
  private readonly endings: RunEnding[] = [];
  private startedAt: number | undefined;
  private endedAt: number | undefined;

  /** Called with every engine event (onEvent). */
  event(e: RunEvent): void {
    const at = Date.parse(e.at);
    switch (e.type) {
      case 'run-started':
        this.startedAt ??= at;
        break;
      case 'step-started':
        this.lastWait.set(e.stepId, 0);
        this.lastAnswerAt.delete(e.stepId);
        break;
      case 'waiting':
        this.lastWait.set(e.stepId, e.delayMs);
        this.waitSinceAnswer.set(e.stepId, e.reason === 'poll' && !this.waitSinceAnswer.has(e.stepId) ? e.delayMs : null);
        break;
      case 'request-sent':
        this.requests.set(e.operationId, (this.requests.get(e.operationId) ?? 0) + 1);
        break;
      case 'response-received': {
        const previous = this.lastAnswerAt.get(e.stepId);
        const waited = this.waitSinceAnswer.get(e.stepId);
        if (previous !== undefined && typeof waited === 'number') {
          const extra = at - previous - waited;
          this.overhead = { sum: this.overhead.sum + extra, max: Math.max(this.overhead.max, extra), cycles: this.overhead.cycles + 1 };
        }
        this.lastAnswerAt.set(e.stepId, at);
        this.waitSinceAnswer.delete(e.stepId);
        const kind = KIND_OF_OPERATION[e.operationId];
        if (kind && e.observedStatus) {
          const key = `${kind}:${e.observedStatus}`;
          if (!this.firstSeen.has(key)) this.firstSeen.set(key, { at, intervalMs: this.lastWait.get(e.stepId) ?? 0 });
        }
        break;
      }
      case 'run-ended':
        this.endedAt = at;
        this.endings.push({ status: e.status, at, ...(e.error ? { error: { code: e.error.code, message: e.error.message } } : {}) });
        break;
      default:
        break;
    }
  }

  /** Called with every status change the service reports (sandbox onStatusChange). */
  serviceChanged(change: ServiceStatusChange): void {
    this.serviceChanges.push({ ...change });
  }

  /** The figures so far. A resource's first status is its creation (answered by the create call), not a change. */
  figures(): RunFigures {
    const changes: ChangeFigure[] = [];
    for (const kind of ['datastore', 'job'] as const) {
      const timeline = this.serviceChanges.filter((c) => c.kind === kind).sort((a, b) => a.at - b.at);
      for (let i = 1; i < timeline.length; i++) {
        const prev = timeline[i - 1]!;
        const change = timeline[i]!;
        const seen = this.firstSeen.get(`${kind}:${change.status}`);
        changes.push({
          kind,
          from: prev.status,
          to: change.status,
          changedAt: change.at,
          intoPhaseMs: change.at - prev.at,
          ...(seen ? { delayMs: seen.at - change.at, intervalMs: seen.intervalMs } : {}),
        });
      }
    }
    changes.sort((a, b) => a.changedAt - b.changedAt);
    return {
      endings: [...this.endings],
      ...(this.startedAt !== undefined ? { startedAt: this.startedAt } : {}),
      ...(this.endedAt !== undefined ? { endedAt: this.endedAt } : {}),
      engineRequests: new Map(this.requests),
      cycleOverheadMs: { mean: this.overhead.cycles ? this.overhead.sum / this.overhead.cycles : 0, max: this.overhead.max, cycles: this.overhead.cycles },
      changes,
    };
  }
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
