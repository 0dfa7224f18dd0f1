import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_POLLING, InvalidPollingPolicyError, PollSchedule, resolvePollingPolicy } from './polling';

describe('polling policy', () => {
  it('has per-operation defaults suited to the service', () => {
    expect(resolvePollingPolicy('p', 'GetDatastore')).toMatchObject({ initialDelayMs: 4500, maxDelayMs: 30_000, stepTimeoutMs: 30 * 60_000 });
    expect(resolvePollingPolicy('p', 'GetDICOMImportJob')).toMatchObject({ initialDelayMs: 4500, maxDelayMs: 60_000, stepTimeoutMs: 48 * 3600_000 });
    expect(resolvePollingPolicy('p', 'Unknown').initialDelayMs).toBe(5000);
  });

  it('takes overrides as an object or per step, and checks them', () => {
    expect(resolvePollingPolicy('p', 'GetDatastore', { initialDelayMs: 1000 }).initialDelayMs).toBe(1000);
    expect(resolvePollingPolicy('p', 'GetDatastore', (step, op) => (op === 'GetDatastore' ? { maxDelayMs: 2000 } : {}))).toMatchObject({ maxDelayMs: 2000, initialDelayMs: 2000 });
    expect(() => resolvePollingPolicy('p', 'GetDatastore', { multiplier: 0.5 })).toThrow(InvalidPollingPolicyError);
    expect(() => resolvePollingPolicy('p', 'GetDatastore', { initialDelayMs: 10_000, maxDelayMs: 1000 })).toThrow(/maxDelayMs must be at least initialDelayMs/);
    expect(() => resolvePollingPolicy('p', 'GetDatastore', { stepTimeoutMs: -1 })).toThrow(/stepTimeoutMs/);
  });

  it('polls at the first delay through the fast phase, restarts it on a status change, then grows to the cap', () => {
    const s = new PollSchedule({ initialDelayMs: 5000, multiplier: 2, maxDelayMs: 30_000, stepTimeoutMs: 1e9, errorBudgetMs: 1e9, fastPhaseMs: 60_000 }, 0);
    const delays: number[] = [];
    const times: number[] = [];
    let t = 0;
    for (let i = 0; i < 18; i++) {
      const status = t < 100_000 ? 'SUBMITTED' : 'IN_PROGRESS';
      const d = s.next(t, status);
      delays.push(d);
      times.push(t);
      t += d;
    }
    // 12 polls at 5 s (the 60 s fast phase), then growth 5, 10, 20 s, capped at 30 s...
    expect(delays.slice(0, 16)).toEqual([...Array(12).fill(5000), 5000, 10_000, 20_000, 30_000]);
    // ...until the status changes (first poll at or after 100 s): back to 5 s.
    const change = times.findIndex((x) => x >= 100_000);
    expect(delays.slice(change, change + 2)).toEqual([5000, 5000]);
  });

  it('keeps a 6-hour import within 600 calls and early changes within 5 s with the default import policy', () => {
    const policy = DEFAULT_POLLING.GetDICOMImportJob!;
    const s = new PollSchedule(policy, 0);
    let t = 0;
    let calls = 0;
    let worstEarlyGap = 0;
    while (t < 6 * 3600_000) {
      const status = t < 120_000 ? 'SUBMITTED' : 'IN_PROGRESS';
      const d = s.next(t, status);
      if (t < 120_000 + 5 * 60_000) worstEarlyGap = Math.max(worstEarlyGap, d);
      t += d;
      calls += 1;
    }
    expect(calls).toBeLessThanOrEqual(600);
    expect(worstEarlyGap).toBeLessThanOrEqual(5000);
  });

  it('backs off by doubling, at least Retry-After, at most twice the cap', () => {
    const p = { initialDelayMs: 1000, multiplier: 1.5, maxDelayMs: 4000, stepTimeoutMs: 1e9, errorBudgetMs: 1e9 };
    expect(backoffDelay(1000, p)).toBe(2000);
    expect(backoffDelay(2000, p, 7000)).toBe(7000);
    expect(backoffDelay(6000, p)).toBe(8000);
    expect(backoffDelay(1000, p, 60_000)).toBe(8000);
  });
});
