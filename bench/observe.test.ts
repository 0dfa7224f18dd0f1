import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../core/engine/index';
import { median, RunObserver } from './observe';
import { sandboxDrivenClock } from './sandbox-clock';

const T0 = Date.parse('2026-03-01T09:00:00.000Z');
let seq = 0;
/** A minimal event at T0 + ms (only the fields the observer reads matter). */
function ev(ms: number, fields: Record<string, unknown>): RunEvent {
  seq += 1;
  return { runId: 'r', seq, at: new Date(T0 + ms).toISOString(), ...fields } as unknown as RunEvent;
}
const answer = (ms: number, op: string, status?: string, stepId = 'poll') =>
  ev(ms, { type: 'response-received', stepId, operationId: op, attempt: 1, httpStatus: 200, durationMs: 1, ...(status ? { observedStatus: status } : {}) });
const wait = (ms: number, delayMs: number, reason = 'poll', stepId = 'poll') => ev(ms, { type: 'waiting', stepId, reason, delayMs, nextAttemptAt: '' });

describe('RunObserver', () => {
  it('measures a change from the service moment to the first event showing it, with the interval then in force', () => {
    const o = new RunObserver();
    o.serviceChanged({ kind: 'datastore', id: 'd', status: 'CREATING', at: T0 + 50 });
    o.serviceChanged({ kind: 'datastore', id: 'd', status: 'ACTIVE', at: T0 + 1_000 });
    for (const e of [
      ev(0, { type: 'run-started' }),
      ev(10, { type: 'step-started', stepId: 'create', operationId: 'CreateDatastore' }),
      answer(60, 'CreateDatastore', 'CREATING', 'create'),
      ev(70, { type: 'step-started', stepId: 'poll', operationId: 'GetDatastore' }),
      answer(100, 'GetDatastore', 'CREATING'),
      wait(110, 5_000),
      answer(5_120, 'GetDatastore', 'ACTIVE'),
      answer(5_200, 'GetDatastore', 'ACTIVE'), // later sightings do not count
      ev(5_300, { type: 'run-ended', status: 'succeeded' }),
    ])
      o.event(e);
    const f = o.figures();
    // The creation answered by CreateDatastore is not a change; CREATING -> ACTIVE is.
    expect(f.changes).toEqual([{ kind: 'datastore', from: 'CREATING', to: 'ACTIVE', changedAt: T0 + 1_000, intoPhaseMs: 950, delayMs: 4_120, intervalMs: 5_000 }]);
    expect(f.endings).toEqual([{ status: 'succeeded', at: T0 + 5_300 }]);
    expect(f.endedAt! - f.startedAt!).toBe(5_300);
  });

  it('reports a change the engine never saw without a delay, and every ending of a resumed run', () => {
    const o = new RunObserver();
    o.serviceChanged({ kind: 'job', id: 'j', status: 'SUBMITTED', at: T0 });
    o.serviceChanged({ kind: 'job', id: 'j', status: 'IN_PROGRESS', at: T0 + 10 });
    o.event(ev(0, { type: 'run-started' }));
    o.event(answer(5, 'GetDICOMImportJob', 'SUBMITTED'));
    o.event(ev(8, { type: 'run-ended', status: 'timed_out', error: { code: 'DeadlineExceeded', message: 'late' } }));
    o.event(ev(9, { type: 'run-started' })); // never happens on resume, but must not move the start
    o.event(ev(20, { type: 'run-ended', status: 'cancelled' }));
    const f = o.figures();
    expect(f.changes).toEqual([{ kind: 'job', from: 'SUBMITTED', to: 'IN_PROGRESS', changedAt: T0 + 10, intoPhaseMs: 10 }]);
    expect(f.endings.map((e) => e.status)).toEqual(['timed_out', 'cancelled']);
    expect(f.endings[0]!.error).toEqual({ code: 'DeadlineExceeded', message: 'late' });
    expect(f.startedAt).toBe(T0);
  });

  it('counts requests per operation and the processing a poll cycle adds to its wait, skipping back-off cycles', () => {
    const o = new RunObserver();
    for (const e of [
      ev(0, { type: 'step-started', stepId: 'poll', operationId: 'GetDatastore' }),
      ev(1, { type: 'request-sent', stepId: 'poll', operationId: 'GetDatastore' }),
      answer(10, 'GetDatastore', 'CREATING'),
      wait(12, 5_000),
      ev(5_012, { type: 'request-sent', stepId: 'poll', operationId: 'GetDatastore' }),
      answer(5_030, 'GetDatastore', 'CREATING'), // 20 ms beyond the wait
      wait(5_031, 5_000),
      answer(10_070, 'GetDatastore', 'CREATING'), // 40 ms beyond
      wait(10_071, 10_000, 'throttled'), // a back-off: not a poll cycle
      answer(20_500, 'GetDatastore', 'CREATING'),
    ])
      o.event(e);
    const f = o.figures();
    expect(f.engineRequests).toEqual(new Map([['GetDatastore', 2]]));
    expect(f.cycleOverheadMs).toEqual({ mean: 30, max: 40, cycles: 2 });
  });

  it('takes the median of odd and even counts', () => {
    expect(median([])).toBeUndefined();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('sandboxDrivenClock', () => {
  it('advances the shared time by each wait, less the idle time the bench used', async () => {
    let now = 1_000;
    const clock = sandboxDrivenClock({ now: () => now, advance: (ms) => (now += ms) });
    await clock.sleep(5_000);
    expect(clock.now()).toBe(6_000);
    clock.creditIdle(30);
    await clock.sleep(5_000);
    expect(clock.now()).toBe(10_970);
    await clock.sleep(5_000); // the credit is used once
    expect(clock.now()).toBe(15_970);
  });

  it('rejects with the signal reason when aborted, without moving time', async () => {
    let now = 0;
    const clock = sandboxDrivenClock({ now: () => now, advance: (ms) => (now += ms) });
    const ac = new AbortController();
    ac.abort(new Error('cancelled'));
    await expect(clock.sleep(1_000, ac.signal)).rejects.toThrow('cancelled');
    expect(now).toBe(0);
  });
});
