import { describe, expect, it } from 'vitest';
import { successfulRun } from './__fixtures__/events';
import { appendToRunLog, emptyRunLog } from './runLog';
import { buildTimeline } from './timeline';

describe('run log merge', () => {
  const events = successfulRun();

  it('appends live events incrementally', () => {
    let log = emptyRunLog();
    for (let i = 0; i < events.length; i += 5) log = appendToRunLog(log, events.slice(i, i + 5));
    expect(log.events).toHaveLength(events.length);
    expect(log.view).toEqual(buildTimeline(events));
  });

  it('merges history that arrives after live pushes (reload): no duplicates, same timeline', () => {
    const live = appendToRunLog(emptyRunLog(), events.slice(20));
    const merged = appendToRunLog(live, events.slice(0, 25)); // overlaps 20..24
    expect(merged.events.map((e) => e.seq)).toEqual(events.map((e) => e.seq));
    expect(merged.view).toEqual(buildTimeline(events));
  });

  it('returns the same object when nothing is new', () => {
    const log = appendToRunLog(emptyRunLog(), events);
    expect(appendToRunLog(log, events.slice(3, 9))).toBe(log);
    expect(appendToRunLog(log, [])).toBe(log);
  });
});
