/**
 * One run's event log plus its timeline, merged from three sources that overlap: the history a
 * view loads ('run:active', 'runs:events') and the live 'run:events' pushes. Events are kept in seq
 * order without duplicates, so a reload or a replay never double-counts a poll.
 */
import type { RunEvent } from '../../../contract/ipc';
import { buildTimeline, emptyTimeline, reduceTimeline, type TimelineView } from './timeline';

export interface RunLog {
  events: readonly RunEvent[];
  view: TimelineView;
}

export function emptyRunLog(): RunLog {
  return { events: [], view: emptyTimeline() };
}

/** Add events (any order, duplicates allowed). Returns the same object when nothing is new. */
export function appendToRunLog(log: RunLog, incoming: readonly RunEvent[]): RunLog {
  if (incoming.length === 0) return log;
  const lastSeq = log.events.length > 0 ? log.events[log.events.length - 1]!.seq : 0;
  const inOrder = isStrictlyIncreasing(incoming) && (incoming[0]?.seq ?? 0) > lastSeq;
  if (inOrder) {
    // The live path: new events after everything known, applied incrementally.
    return { events: log.events.concat(incoming), view: reduceTimeline(log.view, incoming) };
  }
  // History arriving after pushes (or overlapping them): merge by seq and rebuild once.
  const bySeq = new Map<number, RunEvent>();
  for (const e of log.events) bySeq.set(e.seq, e);
  let added = false;
  for (const e of incoming) {
    if (!bySeq.has(e.seq)) {
      bySeq.set(e.seq, e);
      added = true;
    }
  }
  if (!added) return log;
  const events = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return { events, view: buildTimeline(events) };
}

function isStrictlyIncreasing(events: readonly RunEvent[]): boolean {
  for (let i = 1; i < events.length; i++) if (events[i]!.seq <= events[i - 1]!.seq) return false;
  return true;
}
