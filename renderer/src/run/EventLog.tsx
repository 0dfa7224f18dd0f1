/**
 * The live event log: a small windowed list (fixed row height, math in state/windowing.ts) so ten
 * thousand events scroll without lag. It follows new events while scrolled to the end and stays
 * put when the user scrolled up to read.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { RunEvent } from '../../../contract/ipc';
import { eventText, eventTime } from '../state/eventText';
import { computeWindow, isScrolledToEnd, scrollTopForEnd } from '../state/windowing';

const ROW_HEIGHT = 22;
const VIEWPORT_HEIGHT = 320;

export function EventLog({ events }: { events: readonly RunEvent[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const follow = useRef(true);
  const totalHeight = events.length * ROW_HEIGHT;

  const totalRef = useRef(totalHeight);
  totalRef.current = totalHeight;

  /** While following, keep the last row in view; read back what the browser accepted. */
  const stickToEnd = useCallback(() => {
    const el = ref.current;
    if (!el || !follow.current) return;
    el.scrollTop = scrollTopForEnd(el.clientHeight || VIEWPORT_HEIGHT, totalRef.current);
    setScrollTop(el.scrollTop);
  }, []);

  useLayoutEffect(stickToEnd, [totalHeight, stickToEnd]);

  // A log mounted inside a collapsed section has no height yet: stick to the end once it shows.
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(stickToEnd);
    observer.observe(el);
    return () => observer.disconnect();
  }, [stickToEnd]);

  const win = computeWindow({ itemCount: events.length, itemHeight: ROW_HEIGHT, viewportHeight: VIEWPORT_HEIGHT, scrollTop });
  const rows = [];
  for (let i = win.start; i < win.end; i++) {
    const e = events[i]!;
    const problem = (e.type === 'response-received' && e.error) || (e.type === 'step-ended' && e.outcome === 'failed') || e.type === 'run-paused';
    rows.push(
      <div key={e.seq} role="listitem" aria-setsize={events.length} aria-posinset={i + 1} className={problem ? 'event-row event-row-problem' : 'event-row'} style={{ height: ROW_HEIGHT }}>
        <span className="event-seq">#{e.seq}</span>
        <span className="event-time">{eventTime(e)}</span>
        <span className="event-text">{eventText(e)}</span>
      </div>,
    );
  }

  return (
    <div
      ref={ref}
      className="event-log"
      style={{ height: VIEWPORT_HEIGHT }}
      tabIndex={0}
      role="region"
      aria-label={`Live event log, ${events.length} events`}
      onScroll={(ev) => {
        const el = ev.currentTarget;
        setScrollTop(el.scrollTop);
        follow.current = isScrolledToEnd(el.scrollTop, el.clientHeight, totalHeight, ROW_HEIGHT);
      }}
    >
      <div style={{ height: win.totalHeight, position: 'relative' }}>
        <div role="list" style={{ transform: `translateY(${win.offsetTop}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
