/**
 * The engine's Clock for the benchmark: engine time IS sandbox time, and every engine wait moves
 * the sandbox's clock forward by exactly its length instead of sleeping.
 *
 * Why this and not a high time scale: at `timeScale: 2000` every real millisecond the engine,
 * the SDK, HTTP and fsync spend would count as 2 s of service time, so the "delay until the engine
 * sees a change" would measure the machine's speed times 2000 rather than the polling policy, and
 * a slow moment on a shared 2-core box would read as a missed target. Here the sandbox runs its
 * real clock at scale 1 (so request handling, fsync and GC still take their true, unscaled time in
 * both the engine's and the service's view) and the waits, the only long part, are skipped by
 * advancing that same clock. The delays printed are therefore policy wait + real processing time,
 * in one time base, and a 24-hour import runs in seconds.
 */
import type { Clock } from '../core/engine/index';

export interface AdvanceableTime {
  now(): number;
  advance(ms: number): void;
}

export interface SandboxDrivenClock extends Clock {
  /**
   * Real time the benchmark itself spent while the engine was about to wait (a heap reading with
   * a full GC): the next sleep advances that much less, as if the work ran during an idle wait,
   * so the bench's own pauses never show up in the engine's figures.
   */
  creditIdle(ms: number): void;
}

export function sandboxDrivenClock(time: AdvanceableTime): SandboxDrivenClock {
  let credit = 0;
  return {
    now: () => time.now(),
    creditIdle(ms) {
      credit += Math.max(0, ms);
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason;
      // Let I/O and timers queued by the previous request run first, as a real sleep would.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw signal.reason;
      const wait = Math.max(0, ms);
      const used = Math.min(credit, wait);
      credit = 0;
      time.advance(wait - used);
    },
  };
}
