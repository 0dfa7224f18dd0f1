import { describe, expect, it } from 'vitest';
import { computeWindow, isScrolledToEnd, scrollTopForEnd } from './windowing';

describe('windowed list math', () => {
  const base = { itemCount: 10_000, itemHeight: 24, viewportHeight: 320 };

  it('renders only the visible rows plus overscan at the top', () => {
    const w = computeWindow({ ...base, scrollTop: 0, overscan: 5 });
    expect(w).toEqual({ start: 0, end: 20, offsetTop: 0, totalHeight: 240_000 });
  });

  it('keeps the rendered count constant anywhere in a 10,000-row list', () => {
    for (const scrollTop of [0, 1_000, 123_457, 239_680]) {
      const w = computeWindow({ ...base, scrollTop, overscan: 5 });
      expect(w.end - w.start).toBeLessThanOrEqual(Math.ceil(320 / 24) + 1 + 10);
      expect(w.offsetTop).toBe(w.start * 24);
      // the rows on screen are inside the rendered range
      expect(w.start * 24).toBeLessThanOrEqual(Math.min(scrollTop, 240_000 - 320));
      expect(w.end * 24).toBeGreaterThanOrEqual(Math.min(scrollTop + 320, 240_000));
    }
  });

  it('clamps scroll positions past either end', () => {
    expect(computeWindow({ ...base, scrollTop: -50 }).start).toBe(0);
    const w = computeWindow({ ...base, scrollTop: 10_000_000, overscan: 0 });
    expect(w.end).toBe(10_000);
    expect(w.start).toBe(Math.floor((240_000 - 320) / 24));
  });

  it('handles empty and short lists', () => {
    expect(computeWindow({ ...base, itemCount: 0, scrollTop: 0 })).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
    expect(computeWindow({ ...base, itemCount: 3, scrollTop: 0 })).toEqual({ start: 0, end: 3, offsetTop: 0, totalHeight: 72 });
  });

  it('knows when the viewport is at the end (to follow new events) and where the end is', () => {
    expect(isScrolledToEnd(scrollTopForEnd(320, 240_000), 320, 240_000, 24)).toBe(true);
    expect(isScrolledToEnd(0, 320, 240_000, 24)).toBe(false);
    expect(scrollTopForEnd(320, 100)).toBe(0);
  });
});
