/**
 * Archive imports (batches) on the taskbar/dock and in the end-of-batch notification: follows the
 * 'batch:progress' pushes and answers what the progress bar shows and what the notice says. Pure:
 * fed updates, asked questions. No electron import (run-monitor.ts applies it).
 */
import type { BatchProgress, BatchProgressUpdate, BatchReport } from '../../contract/ipc';
import type { TaskbarProgress } from './run-progress';

export class BatchProgressTracker {
  private readonly batches = new Map<string, BatchProgress>();

  consume(update: BatchProgressUpdate): void {
    const { jobs } = update.progress;
    // Every job ended: nothing left to show (the notification says how it ended).
    if (jobs.total > 0 && jobs.queued === 0 && jobs.running === 0) this.batches.delete(update.batchId);
    else this.batches.set(update.batchId, update.progress);
  }

  /** The batch is no longer driven by this process (ended, cancelled, stopped). */
  end(batchId: string): void {
    this.batches.delete(batchId);
  }

  get activeCount(): number {
    return this.batches.size;
  }

  /** Files of the ended jobs over the files planned, over every batch in flight. */
  progress(): TaskbarProgress {
    const all = [...this.batches.values()];
    if (all.length === 0) return { mode: 'none' };
    const planned = all.reduce((n, p) => n + p.files.planned, 0);
    const done = all.reduce((n, p) => n + p.files.imported + p.files.failed, 0);
    if (planned === 0) return { mode: 'indeterminate' };
    return { mode: 'ratio', value: Math.min(0.99, Math.max(0.01, done / planned)) };
  }
}

const TITLES: Record<BatchReport['state'] | 'error', string> = {
  running: 'Archive import running',
  completed: 'Archive import completed',
  completed_with_errors: 'Archive import completed with errors',
  failed: 'Archive import failed',
  cancelled: 'Archive import cancelled',
  interrupted: 'Archive import stopped',
  error: 'Archive import stopped on an error',
};

/** What the notification says of a batch this process stopped driving. */
export function batchNotificationFor(batchId: string, outcome: BatchReport['state'] | 'error', report?: BatchReport): { title: string; body: string } {
  if (!report) return { title: TITLES[outcome], body: `Batch ${batchId}: see the batch in History; it can be resumed.` };
  const t = report.totals;
  const counts = `${t.imported.toLocaleString('en-US')} of ${t.scanned.toLocaleString('en-US')} files imported, ${t.failed.toLocaleString('en-US')} failed`;
  const jobs = `${report.jobs.length} import ${report.jobs.length === 1 ? 'job' : 'jobs'}`;
  const detail = outcome === 'interrupted' ? `${counts} so far; resume it from History` : counts;
  return { title: TITLES[outcome], body: `Data store ${report.datastoreId} (${jobs}): ${detail}.` };
}

/** What the notification says when the app quits while archive imports run: they wait, resumable. */
export function interruptedBatchesNotice(count: number): { title: string; body: string } {
  return {
    title: count === 1 ? 'Archive import paused by quitting' : `${count} archive imports paused by quitting`,
    body: `No new import jobs start; jobs already started finish in HealthImaging. Resume ${count === 1 ? 'it' : 'them'} from History: no folder is imported twice.`,
  };
}
