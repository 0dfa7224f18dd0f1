/**
 * Windowed-list math for fixed-height rows: which rows to render for a scroll position, and where
 * to place them. Pure, so 10,000-row behaviour is tested without a DOM.
 */
export interface WindowInput {
  itemCount: number;
  itemHeight: number;
  viewportHeight: number;
  scrollTop: number;
  /** Extra rows rendered above and below the viewport, so fast scrolling shows no gaps. */
  overscan?: number;
}

export interface WindowRange {
  /** First rendered index (inclusive). */
  start: number;
  /** Last rendered index (exclusive). */
  end: number;
  /** translateY of the first rendered row, px. */
  offsetTop: number;
  /** Height of the whole list, px: the scroll container's content height. */
  totalHeight: number;
}

export function computeWindow({ itemCount, itemHeight, viewportHeight, scrollTop, overscan = 6 }: WindowInput): WindowRange {
  const count = Math.max(0, Math.floor(itemCount));
  const height = Math.max(1, itemHeight);
  const totalHeight = count * height;
  if (count === 0) return { start: 0, end: 0, offsetTop: 0, totalHeight: 0 };
  const maxScroll = Math.max(0, totalHeight - Math.max(0, viewportHeight));
  const top = Math.min(Math.max(0, scrollTop), maxScroll);
  const firstVisible = Math.floor(top / height);
  const visibleCount = Math.ceil(Math.max(0, viewportHeight) / height) + 1;
  const start = Math.max(0, firstVisible - overscan);
  const end = Math.min(count, firstVisible + visibleCount + overscan);
  return { start, end, offsetTop: start * height, totalHeight };
}

/** True when the viewport shows the last row (within one row): the log then follows new events. */
export function isScrolledToEnd(scrollTop: number, viewportHeight: number, totalHeight: number, itemHeight: number): boolean {
  return scrollTop + viewportHeight >= totalHeight - itemHeight;
}

/** scrollTop that shows the last row at the bottom of the viewport. */
export function scrollTopForEnd(viewportHeight: number, totalHeight: number): number {
  return Math.max(0, totalHeight - viewportHeight);
}
