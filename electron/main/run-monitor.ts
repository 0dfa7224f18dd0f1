/**
 * Watches the run events on their way to the window: keeps the taskbar/dock progress bar in step
 * with the active run (else the archive imports in flight); shows a native notification once a run
 * settled (its import results read) and once a batch this process drove ended.
 */
import { Notification, type BrowserWindow } from 'electron';
import type { BatchProgressUpdate, BatchReport, RunEvent } from '../../contract/ipc';
import type { SettledRun } from '../../core/app/runs';
import type { ImportResults } from '../../core/engine/events';
import { failedFileCount, type RunOutcomeCode } from '../../core/runs/outcome';
import { BatchProgressTracker, batchNotificationFor, interruptedBatchesNotice } from './batch-progress';
import { RunProgressTracker, type TaskbarProgress } from './run-progress';

export interface RunMonitor {
  /** Events on their way to the window: the taskbar/dock progress. */
  consume(events: readonly RunEvent[]): void;
  /** A run ended and its results were read: the native notification. */
  notify(settled: SettledRun): void;
  /** A 'batch:progress' push on its way to the window: the taskbar/dock progress. */
  consumeBatch(update: BatchProgressUpdate): void;
  /** A batch this process drove ended or stopped: the taskbar forgets it, a notification says how. */
  notifyBatch(batchId: string, outcome: BatchReport['state'] | 'error', report?: BatchReport): void;
  /** The app quits while this many archive imports run: a notification says they stay resumable. */
  notifyInterruptedBatches(count: number): void;
  readonly activeCount: number;
}

export function applyTaskbarProgress(win: BrowserWindow, progress: TaskbarProgress): void {
  if (win.isDestroyed()) return;
  if (progress.mode === 'none') win.setProgressBar(-1);
  else if (progress.mode === 'indeterminate') win.setProgressBar(2, { mode: 'indeterminate' });
  else win.setProgressBar(progress.value, { mode: 'normal' });
}

const TITLES: Record<RunOutcomeCode, string> = {
  succeeded: 'Onboarding completed',
  completed_with_errors: 'Onboarding completed with errors',
  failed: 'Onboarding failed',
  cancelled: 'Onboarding stopped',
  timed_out: 'Onboarding timed out',
  error: 'Onboarding stopped on an error',
  interrupted: 'Onboarding interrupted',
};

/** What a notification says of a settled run: the one outcome, with the import's counts when known. */
export interface SettledNotice {
  runId: string;
  outcome: RunOutcomeCode;
  datastoreName?: string;
  importResults?: ImportResults;
  message?: string;
}

export function notificationFor(end: SettledNotice): { title: string; body: string } {
  const subject = end.datastoreName ? `Data store ${end.datastoreName}` : `Run ${end.runId}`;
  const results = end.importResults?.state === 'read' ? end.importResults : undefined;
  const counts = results
    ? `${results.numberOfImportedFiles ?? '?'} of ${results.numberOfScannedFiles ?? '?'} files imported, ${failedFileCount(results)} failed`
    : undefined;
  const detail =
    end.outcome === 'succeeded' || end.outcome === 'completed_with_errors'
      ? (counts ?? 'import finished')
      : (end.message ?? 'see the timeline for details');
  return { title: TITLES[end.outcome], body: `${subject}: ${detail}.` };
}

function showNotification(content: { title: string; body: string }, getWindow: () => BrowserWindow | undefined): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification(content);
  notification.on('click', () => {
    const w = getWindow();
    if (w && !w.isDestroyed()) {
      w.show();
      w.focus();
    }
  });
  notification.show();
}

export function setupRunMonitor(opts: { getWindow: () => BrowserWindow | undefined }): RunMonitor {
  const tracker = new RunProgressTracker();
  const batches = new BatchProgressTracker();
  // An onboarding run in flight owns the bar; else the archive imports do.
  const showProgress = () => {
    const win = opts.getWindow();
    if (win) applyTaskbarProgress(win, tracker.activeCount > 0 ? tracker.progress() : batches.progress());
  };
  /** Data store names of ended runs, until their settled notice names them. */
  const names = new Map<string, string>();
  return {
    consume(events) {
      const ended = tracker.consume(events);
      showProgress();
      for (const end of ended) if (end.datastoreName) names.set(end.runId, end.datastoreName);
    },
    notify(settled) {
      const datastoreName = names.get(settled.runId);
      names.delete(settled.runId);
      showNotification(
        notificationFor({
          runId: settled.runId,
          outcome: settled.outcome,
          ...(datastoreName ? { datastoreName } : {}),
          ...(settled.importResults ? { importResults: settled.importResults } : {}),
          ...(settled.ended.error ? { message: settled.ended.error.message } : {}),
        }),
        opts.getWindow,
      );
    },
    consumeBatch(update) {
      batches.consume(update);
      showProgress();
    },
    notifyBatch(batchId, outcome, report) {
      batches.end(batchId);
      showProgress();
      showNotification(batchNotificationFor(batchId, outcome, report), opts.getWindow);
    },
    notifyInterruptedBatches(count) {
      showNotification(interruptedBatchesNotice(count), opts.getWindow);
    },
    get activeCount() {
      return tracker.activeCount;
    },
  };
}
