/**
 * Collects items pushed at any rate and hands them over once per animation frame, so a burst of
 * engine events costs one React render, not hundreds. The scheduler is injected: tests drive it by
 * hand, the app passes requestAnimationFrame.
 */
export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

export interface FrameBatcher<T> {
  push(...items: T[]): void;
  /** Deliver whatever is queued now (e.g. before unmount). */
  flushNow(): void;
  /** Items waiting for the next frame. */
  pending(): number;
  dispose(): void;
}

export function createFrameBatcher<T>(deliver: (items: T[]) => void, scheduler: FrameScheduler): FrameBatcher<T> {
  let queue: T[] = [];
  let handle: number | undefined;
  let disposed = false;

  const flush = () => {
    handle = undefined;
    if (queue.length === 0) return;
    const items = queue;
    queue = [];
    deliver(items);
  };

  return {
    push(...items) {
      if (disposed || items.length === 0) return;
      for (const item of items) queue.push(item);
      handle ??= scheduler.request(flush);
    },
    flushNow() {
      if (handle !== undefined) scheduler.cancel(handle);
      flush();
    },
    pending: () => queue.length,
    dispose() {
      disposed = true;
      if (handle !== undefined) scheduler.cancel(handle);
      handle = undefined;
      queue = [];
    },
  };
}

/** requestAnimationFrame, or a 16 ms timer where there is none (a hidden window may starve rAF). */
export function animationFrameScheduler(): FrameScheduler {
  if (typeof requestAnimationFrame === 'function') {
    return { request: (cb) => requestAnimationFrame(() => cb()), cancel: (h) => cancelAnimationFrame(h) };
  }
  return {
    request: (cb) => setTimeout(cb, 16) as unknown as number,
    cancel: (h) => clearTimeout(h as unknown as ReturnType<typeof setTimeout>),
  };
}
