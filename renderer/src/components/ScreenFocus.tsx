/**
 * Moves focus to a newly shown screen, so keyboard and screen-reader users are not left on a
 * button of the screen that just went away (the wizard's "Start onboarding", History's "Open").
 */
import { useEffect, useRef, type ReactNode } from 'react';

export function ScreenFocus({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const active = document.activeElement;
    // Leave focus alone when it is already inside this screen (e.g. a dialog opened from it).
    if (ref.current && !(active && ref.current.contains(active))) ref.current.focus({ preventScroll: true });
  }, []);
  return (
    <div ref={ref} tabIndex={-1} role="region" aria-label={label} className="screen-focus">
      {children}
    </div>
  );
}
