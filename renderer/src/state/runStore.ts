/**
 * Every run this window knows about, fed by the live 'run:events' pushes (through a per-frame
 * batcher) and by history loads. React reads it with useSyncExternalStore; a flush notifies once per
 * frame however many events arrived. No DOM here: the frame scheduler is injected.
 */
import type { Pushes, RunEvent } from '../../../contract/ipc';
import { createFrameBatcher, type FrameBatcher, type FrameScheduler } from './frameBatcher';
import { appendToRunLog, emptyRunLog, type RunLog } from './runLog';

export class RunStore {
  private readonly logs = new Map<string, RunLog>();
  private readonly listeners = new Set<() => void>();
  private readonly batcher: FrameBatcher<Pushes['run:events']>;
  private readonly empty = emptyRunLog();

  constructor(scheduler: FrameScheduler) {
    this.batcher = createFrameBatcher((batches) => this.deliver(batches), scheduler);
  }

  /** A live push: queued, applied on the next frame. */
  push(payload: Pushes['run:events']): void {
    this.batcher.push(payload);
  }

  /** History (from 'run:active' or 'runs:events'): applied now, merged with anything pushed. */
  load(runId: string, events: readonly RunEvent[]): void {
    this.batcher.flushNow();
    this.apply(runId, events);
    this.notify();
  }

  get(runId: string | undefined): RunLog {
    return (runId && this.logs.get(runId)) || this.empty;
  }

  has(runId: string): boolean {
    return this.logs.has(runId);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispose(): void {
    this.batcher.dispose();
    this.listeners.clear();
  }

  private deliver(batches: Array<Pushes['run:events']>): void {
    const byRun = new Map<string, RunEvent[]>();
    for (const { runId, events } of batches) {
      const list = byRun.get(runId);
      if (list) for (const e of events) list.push(e);
      else byRun.set(runId, events.slice());
    }
    for (const [runId, events] of byRun) this.apply(runId, events);
    this.notify();
  }

  private apply(runId: string, events: readonly RunEvent[]): void {
    const current = this.logs.get(runId) ?? emptyRunLog();
    const next = appendToRunLog(current, events);
    if (next !== current || !this.logs.has(runId)) this.logs.set(runId, next);
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
