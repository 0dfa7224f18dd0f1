import { describe, expect, it } from 'vitest';
import { createFrameBatcher, type FrameScheduler } from './frameBatcher';

function manualScheduler() {
  const callbacks = new Map<number, () => void>();
  let next = 1;
  const scheduler: FrameScheduler = {
    request(cb) {
      callbacks.set(next, cb);
      return next++;
    },
    cancel(h) {
      callbacks.delete(h);
    },
  };
  const frame = () => {
    const due = [...callbacks.values()];
    callbacks.clear();
    due.forEach((cb) => cb());
  };
  return { scheduler, frame, scheduled: () => callbacks.size };
}

describe('frame batcher', () => {
  it('delivers any number of pushes in one call per frame, in order', () => {
    const { scheduler, frame, scheduled } = manualScheduler();
    const deliveries: number[][] = [];
    const batcher = createFrameBatcher<number>((items) => deliveries.push(items), scheduler);
    for (let i = 0; i < 1000; i++) batcher.push(i);
    expect(scheduled()).toBe(1);
    expect(deliveries).toHaveLength(0);
    expect(batcher.pending()).toBe(1000);
    frame();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    frame();
    expect(deliveries).toHaveLength(1); // nothing queued: no empty delivery
    batcher.push(1000, 1001);
    frame();
    expect(deliveries[1]).toEqual([1000, 1001]);
  });

  it('flushNow delivers at once and cancels the pending frame', () => {
    const { scheduler, frame, scheduled } = manualScheduler();
    const deliveries: string[][] = [];
    const batcher = createFrameBatcher<string>((items) => deliveries.push(items), scheduler);
    batcher.push('a');
    batcher.flushNow();
    expect(deliveries).toEqual([['a']]);
    expect(scheduled()).toBe(0);
    frame();
    expect(deliveries).toHaveLength(1);
  });

  it('drops everything after dispose', () => {
    const { scheduler, frame } = manualScheduler();
    const deliveries: string[][] = [];
    const batcher = createFrameBatcher<string>((items) => deliveries.push(items), scheduler);
    batcher.push('a');
    batcher.dispose();
    batcher.push('b');
    frame();
    expect(deliveries).toEqual([]);
  });
});
