/**
 * A Clock that tests and benchmarks drive by hand: time moves only when told, so nothing sleeps.
 * `auto: true` makes every sleep advance time by its duration at once (a whole run in microseconds).
 */
import type { Clock } from './clock';

interface Sleeper {
  until: number;
  resolve: () => void;
  reject: (e: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

export interface ManualClock extends Clock {
  /** Moves time forward, waking sleeps that are due (in order). */
  advance(ms: number): Promise<void>;
  /** Resolves once at least `count` sleeps are pending. */
  sleeping(count?: number): Promise<void>;
  /** Every sleep requested so far, in ms. */
  readonly sleeps: number[];
  pending(): number;
}

export function createManualClock(opts: { start?: number; auto?: boolean } = {}): ManualClock {
  let now = opts.start ?? Date.parse('2026-03-01T09:00:00.000Z');
  const sleepers: Sleeper[] = [];
  const sleeps: number[] = [];
  const watchers: Array<{ count: number; resolve: () => void }> = [];
  const notify = () => {
    for (const w of [...watchers]) if (sleepers.length >= w.count) {
      watchers.splice(watchers.indexOf(w), 1);
      w.resolve();
    }
  };
  const flush = () => new Promise<void>((r) => setImmediate(r));

  return {
    sleeps,
    now: () => now,
    pending: () => sleepers.length,
    sleep(ms, signal) {
      sleeps.push(ms);
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (opts.auto) {
        now += Math.max(0, ms);
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        const s: Sleeper = {
          until: now + Math.max(0, ms),
          resolve,
          reject,
          signal,
          onAbort: () => {
            sleepers.splice(sleepers.indexOf(s), 1);
            reject(signal!.reason);
          },
        };
        signal?.addEventListener('abort', s.onAbort, { once: true });
        sleepers.push(s);
        notify();
      });
    },
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        sleepers.sort((a, b) => a.until - b.until);
        const next = sleepers[0];
        if (!next || next.until > target) break;
        sleepers.shift();
        now = Math.max(now, next.until);
        next.signal?.removeEventListener('abort', next.onAbort);
        next.resolve();
        await flush();
      }
      now = target;
      await flush();
    },
    sleeping(count = 1) {
      if (sleepers.length >= count) return Promise.resolve();
      return new Promise<void>((resolve) => watchers.push({ count, resolve }));
    },
  };
}
