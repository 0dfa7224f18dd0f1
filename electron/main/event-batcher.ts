/**
 * Collects run events and delivers them in batches, at most one batch per run per interval
 * (50 ms by default), so a burst of thousands of events costs the window a handful of messages.
 * The first event after a quiet period waits at most one interval. No electron import.
 */
import type { RunEvent } from '../../contract/ipc';

export interface EventBatcher {
  add(event: RunEvent): void;
  /** Delivers everything pending now (before a run ends, before quitting). */
  flush(): void;
  dispose(): void;
}

export function createEventBatcher(
  deliver: (runId: string, events: RunEvent[]) => void,
  intervalMs = 50,
): EventBatcher {
  const pending = new Map<string, RunEvent[]>();
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batches = [...pending.entries()];
    pending.clear();
    for (const [runId, events] of batches) {
      if (events.length > 0) deliver(runId, events);
    }
  };

  return {
    add(event) {
      const list = pending.get(event.runId);
      if (list) list.push(event);
      else pending.set(event.runId, [event]);
      if (!timer) timer = setTimeout(flush, intervalMs);
    },
    flush,
    dispose() {
      flush();
    },
  };
}
