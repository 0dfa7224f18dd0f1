/**
 * Watches the run events on their way to the window: keeps the taskbar/dock progress bar in step
 * with the active run and shows a native notification when a run ends.
 */
import { Notification, type BrowserWindow } from 'electron';
import type { RunEvent } from '../../contract/ipc';
import { RunProgressTracker, type RunEnd, type TaskbarProgress } from './run-progress';

export interface RunMonitor {
  consume(events: readonly RunEvent[]): void;
  readonly activeCount: number;
}

export function applyTaskbarProgress(win: BrowserWindow, progress: TaskbarProgress): void {
  if (win.isDestroyed()) return;
  if (progress.mode === 'none') win.setProgressBar(-1);
  else if (progress.mode === 'indeterminate') win.setProgressBar(2, { mode: 'indeterminate' });
  else win.setProgressBar(progress.value, { mode: 'normal' });
}

const OUTCOME: Record<RunEnd['status'], string> = {
  succeeded: 'Onboarding completed',
  failed: 'Onboarding failed',
  cancelled: 'Onboarding stopped',
  timed_out: 'Onboarding timed out',
  error: 'Onboarding stopped on an error',
};

export function notificationFor(end: RunEnd): { title: string; body: string } {
  const subject = end.datastoreName ? `Data store ${end.datastoreName}` : `Run ${end.runId}`;
  const detail =
    end.status === 'succeeded'
      ? `${subject}: import ${end.jobStatus ?? 'finished'}.`
      : `${subject}: ${end.message ?? 'see the timeline for details'}.`;
  return { title: OUTCOME[end.status], body: detail };
}

export function setupRunMonitor(opts: { getWindow: () => BrowserWindow | undefined; onRunEnded?: (end: RunEnd) => void }): RunMonitor {
  const tracker = new RunProgressTracker();
  return {
    consume(events) {
      const ended = tracker.consume(events);
      const win = opts.getWindow();
      if (win) applyTaskbarProgress(win, tracker.progress());
      for (const end of ended) {
        if (Notification.isSupported()) {
          const notification = new Notification(notificationFor(end));
          notification.on('click', () => {
            const w = opts.getWindow();
            if (w && !w.isDestroyed()) {
              w.show();
              w.focus();
            }
          });
          notification.show();
        }
        opts.onRunEnded?.(end);
      }
    },
    get activeCount() {
      return tracker.activeCount;
    },
  };
}
