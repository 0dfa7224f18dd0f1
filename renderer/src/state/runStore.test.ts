import { describe, expect, it } from 'vitest';
import { successfulRun } from './__fixtures__/events';
import type { FrameScheduler } from './frameBatcher';
import { RunStore } from './runStore';
import { buildTimeline } from './timeline';

function manual() {
  let pending: (() => void) | undefined;
  const scheduler: FrameScheduler = { request: (cb) => ((pending = cb), 1), cancel: () => (pending = undefined) };
  return { scheduler, frame: () => { const cb = pending; pending = undefined; cb?.(); } };
}

describe('run store', () => {
  it('applies a burst of pushes on the next frame with one notification', () => {
    const { scheduler, frame } = manual();
    const store = new RunStore(scheduler);
    let notified = 0;
    store.subscribe(() => notified++);
    const events = successfulRun('r1');
    for (const e of events) store.push({ runId: 'r1', events: [e] });
    expect(store.get('r1').events).toHaveLength(0);
    frame();
    expect(notified).toBe(1);
    expect(store.get('r1').view).toEqual(buildTimeline(events));
  });

  it('merges a history load with pushes that came first (window reload)', () => {
    const { scheduler, frame } = manual();
    const store = new RunStore(scheduler);
    const events = successfulRun('r1');
    store.push({ runId: 'r1', events: events.slice(30) });
    frame();
    store.load('r1', events.slice(0, 31));
    expect(store.get('r1').events.map((e) => e.seq)).toEqual(events.map((e) => e.seq));
  });

  it('keeps runs apart and gives a stable empty log for unknown runs', () => {
    const { scheduler, frame } = manual();
    const store = new RunStore(scheduler);
    store.push({ runId: 'a', events: successfulRun('a') });
    store.push({ runId: 'b', events: successfulRun('b').slice(0, 3) });
    frame();
    expect(store.get('a').view.phase).toBe('ended');
    expect(store.get('b').view.phase).toBe('running');
    expect(store.get('zzz')).toBe(store.get(undefined));
  });
});
