/** Engine waits move a manual-clock sandbox's clock, so data stores and imports take their time at once. */
import type { Clock } from '../clock';

export function sandboxDrivenClock(sb: { clock: { now(): number; advance(ms: number): void } }): Clock {
  return {
    now: () => sb.clock.now(),
    async sleep(ms: number, signal?: AbortSignal) {
      if (signal?.aborted) throw signal.reason;
      await new Promise((r) => setImmediate(r));
      if (signal?.aborted) throw signal.reason;
      sb.clock.advance(ms);
    },
  };
}
