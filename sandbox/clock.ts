/**
 * Sandbox time. Lifecycles are computed lazily from timestamps against this clock, so a manual
 * clock (tests advance it, never sleep) and a scaled real clock (demos: 60 = a minute per second)
 * share one code path.
 */
export interface SandboxClock {
  now(): number;
  advance(ms: number): void;
}

export function createClock(options: { manual: boolean; timeScale: number; startAt: number }): SandboxClock {
  const { manual, timeScale } = options;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new Error(`timeScale must be a positive number, got ${timeScale}`);
  let offset = 0; // added by advance()
  if (manual) {
    let current = options.startAt;
    return {
      now: () => current,
      advance: (ms) => {
        if (!(ms >= 0)) throw new Error(`clock.advance needs a non-negative number of ms, got ${ms}`);
        current += ms;
      },
    };
  }
  const realStart = Date.now();
  return {
    now: () => options.startAt + (Date.now() - realStart) * timeScale + offset,
    advance: (ms) => {
      if (!(ms >= 0)) throw new Error(`clock.advance needs a non-negative number of ms, got ${ms}`);
      offset += ms;
    },
  };
}
