/**
 * The window's one run store, fed by the 'run:events' push for the whole life of the page so no
 * event is missed between "run:start answered" and "the run view mounted".
 */
import { useSyncExternalStore } from 'react';
import { subscribe } from './api';
import { animationFrameScheduler } from './state/frameBatcher';
import type { RunLog } from './state/runLog';
import { RunStore } from './state/runStore';

export const runStore = new RunStore(animationFrameScheduler());

let connected = false;
export function connectRunEvents(): void {
  if (connected) return;
  connected = true;
  subscribe('run:events', (payload) => runStore.push(payload));
}

export function useRunLog(runId: string | undefined): RunLog {
  return useSyncExternalStore(runStore.subscribe, () => runStore.get(runId));
}

/**
 * One primitive fact about a run (sandbox? ended how?). The caller re-renders only when that fact
 * changes, not on every flush: the shell must not re-render the whole page per batch of polls.
 */
export function useRunFact<T extends string | number | boolean | undefined>(runId: string | undefined, select: (log: RunLog) => T): T {
  return useSyncExternalStore(runStore.subscribe, () => select(runStore.get(runId)));
}
