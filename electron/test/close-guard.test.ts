import * as electron from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { setupAppLifecycle } from '../main/app-lifecycle';
import { interruptedBatchesNotice } from '../main/batch-progress';
import { CLOSE_DIALOG, closeDialogFor, setupCloseGuard } from '../main/close-guard';
import { setupRunMonitor, notificationFor } from '../main/run-monitor';
import { setupSingleInstance } from '../main/single-instance';
import { FakeBrowserWindow, FakeNotification, type FakeElectron } from './fake-electron';
import type { BatchProgressUpdate, BatchReport, RunEvent } from '../../contract/ipc';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const fake = electron as unknown as FakeElectron;

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('closing the window during a run', () => {
  it('closes at once when no run is active', () => {
    const win = new FakeBrowserWindow();
    setupCloseGuard({ win: win as never, isRunActive: () => false, stopActiveRun: vi.fn() });
    expect(win.close()).toBe(true);
    expect(fake.dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('asks, and "keep running in background" hides the window with the run going', async () => {
    const win = new FakeBrowserWindow();
    win.visible = true;
    const stop = vi.fn(async () => undefined);
    const onBackground = vi.fn();
    setupCloseGuard({ win: win as never, isRunActive: () => true, stopActiveRun: stop, onBackground });
    fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false });
    expect(win.close()).toBe(false);
    await flush();
    expect(fake.dialog.showMessageBox).toHaveBeenLastCalledWith(win, CLOSE_DIALOG);
    expect(win.visible).toBe(false);
    expect(win.destroyed).toBe(false);
    expect(stop).not.toHaveBeenCalled();
    expect(onBackground).toHaveBeenCalled();
  });

  it('"stop the run" cancels it (resumable) and then closes', async () => {
    const win = new FakeBrowserWindow();
    const stop = vi.fn(async () => undefined);
    setupCloseGuard({ win: win as never, isRunActive: () => true, stopActiveRun: stop });
    fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    win.close();
    await flush();
    await flush();
    expect(stop).toHaveBeenCalledTimes(1);
    expect(win.destroyed).toBe(true);
  });

  it('"cancel" leaves everything as it was', async () => {
    const win = new FakeBrowserWindow();
    const stop = vi.fn(async () => undefined);
    setupCloseGuard({ win: win as never, isRunActive: () => true, stopActiveRun: stop });
    fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 2, checkboxChecked: false });
    win.close();
    await flush();
    expect(stop).not.toHaveBeenCalled();
    expect(win.destroyed).toBe(false);
  });

  it('never blocks quitting: the app is closing, the run log stays resumable', () => {
    const win = new FakeBrowserWindow();
    setupCloseGuard({ win: win as never, isRunActive: () => true, stopActiveRun: vi.fn() });
    fake.app.emit('before-quit');
    expect(win.close()).toBe(true);
  });
});

describe('closing the window during an archive import', () => {
  it('asks as for a run, in the words of an import, and "stop" stops driving the batch (resumable), not a run', async () => {
    const win = new FakeBrowserWindow();
    const stopRun = vi.fn(async () => undefined);
    const stopBatches = vi.fn(async () => undefined);
    setupCloseGuard({ win: win as never, isRunActive: () => false, stopActiveRun: stopRun, activeBatches: () => 1, stopActiveBatches: stopBatches });
    fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    expect(win.close()).toBe(false);
    await flush();
    const asked = fake.dialog.showMessageBox.mock.lastCall![1] as ReturnType<typeof closeDialogFor>;
    expect(asked).toEqual(closeDialogFor({ runs: 0, batches: 1 }));
    expect(asked.title).toBe('An archive import is in progress');
    expect(asked.buttons[1]).toBe('Stop the import');
    expect(asked.detail).toMatch(/resumed from History/);
    await flush();
    expect(stopBatches).toHaveBeenCalledTimes(1);
    expect(stopRun).not.toHaveBeenCalled();
    expect(win.destroyed).toBe(true);
  });

  it('"keep running in background" hides the window with the batch going', async () => {
    const win = new FakeBrowserWindow();
    win.visible = true;
    const stopBatches = vi.fn(async () => undefined);
    const onBackground = vi.fn();
    setupCloseGuard({ win: win as never, isRunActive: () => false, stopActiveRun: vi.fn(), activeBatches: () => 2, stopActiveBatches: stopBatches, onBackground });
    fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false });
    expect(win.close()).toBe(false);
    await flush();
    expect((fake.dialog.showMessageBox.mock.lastCall![1] as { message: string }).message).toBe('2 archive imports are still in progress.');
    expect(win.visible).toBe(false);
    expect(win.destroyed).toBe(false);
    expect(stopBatches).not.toHaveBeenCalled();
    expect(onBackground).toHaveBeenCalled();
  });

  it('a run and a batch at once: one question, and "stop both" stops each', async () => {
    const win = new FakeBrowserWindow();
    const stopRun = vi.fn(async () => undefined);
    const stopBatches = vi.fn(async () => undefined);
    setupCloseGuard({ win: win as never, isRunActive: () => true, stopActiveRun: stopRun, activeBatches: () => 1, stopActiveBatches: stopBatches });
    fake.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    win.close();
    await flush();
    expect((fake.dialog.showMessageBox.mock.lastCall![1] as { buttons: string[] }).buttons[1]).toBe('Stop both');
    await flush();
    expect(stopRun).toHaveBeenCalledTimes(1);
    expect(stopBatches).toHaveBeenCalledTimes(1);
    expect(win.destroyed).toBe(true);
  });

  it('quitting is never blocked: the batch is left resumable and a notification says so', async () => {
    const win = new FakeBrowserWindow();
    setupCloseGuard({ win: win as never, isRunActive: () => false, stopActiveRun: vi.fn(), activeBatches: () => 1, stopActiveBatches: vi.fn() });
    const app = new (await import('node:events')).EventEmitter() as unknown as Parameters<typeof setupAppLifecycle>[0]['app'] & { emit(name: string, ...a: unknown[]): boolean };
    (app as { quit: () => void }).quit = vi.fn();
    const announce = vi.fn();
    const dispose = vi.fn(async () => undefined);
    setupAppLifecycle({ app, revealWindow: vi.fn(), activeRuns: () => 0, activeBatches: () => 1, announceInterruptedBatches: announce, dispose });
    const quitting = { preventDefault: vi.fn() };
    app.emit('before-quit', quitting);
    fake.app.emit('before-quit');
    expect(win.close()).toBe(true);
    expect(quitting.preventDefault).toHaveBeenCalled();
    expect(announce).toHaveBeenCalledWith(1);
    expect(dispose).toHaveBeenCalledTimes(1);
    await flush();
    expect(app.quit).toHaveBeenCalled();
    expect(interruptedBatchesNotice(1)).toEqual({
      title: 'Archive import paused by quitting',
      body: 'No new import jobs start; jobs already started finish in HealthImaging. Resume it from History: no folder is imported twice.',
    });
  });

  it('on macOS, closing the last window keeps the app while a batch runs, and quits once none does', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'darwin' });
    try {
      const app = new (await import('node:events')).EventEmitter() as unknown as Parameters<typeof setupAppLifecycle>[0]['app'] & { emit(name: string, ...a: unknown[]): boolean };
      (app as { quit: () => void }).quit = vi.fn();
      let batches = 1;
      setupAppLifecycle({ app, revealWindow: vi.fn(), activeRuns: () => 0, activeBatches: () => batches, dispose: vi.fn(async () => undefined) });
      app.emit('window-all-closed');
      expect(app.quit).not.toHaveBeenCalled();
      batches = 0;
      app.emit('window-all-closed');
      expect(app.quit).toHaveBeenCalledTimes(1);
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });
});

describe('run monitor', () => {
  const base = { runId: 'run-1', at: '2026-01-01T00:00:00.000Z' };
  const started: RunEvent = {
    ...base, seq: 1, type: 'run-started', workflowId: 'w', workflowHash: 'h', inputs: { datastoreName: 'demo-1' },
    context: { region: 'us-east-1', sandbox: true }, product: { name: 'p', version: '1' },
    steps: [
      { stepId: 'a', operationId: 'A', polling: false },
      { stepId: 'b', operationId: 'B', polling: true },
    ],
  };

  it('drives the taskbar progress, and notifies once the run settled with its outcome and counts', () => {
    const win = new FakeBrowserWindow();
    const monitor = setupRunMonitor({ getWindow: () => win as never });
    monitor.consume([started]);
    expect(monitor.activeCount).toBe(1);
    monitor.consume([{ ...base, seq: 2, type: 'step-ended', stepId: 'a', outcome: 'succeeded' }]);
    expect(win.progress.at(-1)).toEqual({ value: 0.5, options: { mode: 'normal' } });
    monitor.consume([{ ...base, seq: 3, type: 'waiting', stepId: 'b', reason: 'poll', delayMs: 1000, nextAttemptAt: base.at }]);
    expect(win.progress.at(-1)).toEqual({ value: 2, options: { mode: 'indeterminate' } });
    const ended = { ...base, seq: 4, type: 'run-ended', status: 'succeeded', outputs: { jobStatus: 'COMPLETED' }, resumable: false } as const;
    monitor.consume([ended]);
    expect(win.progress.at(-1)).toEqual({ value: -1, options: undefined });
    expect(monitor.activeCount).toBe(0);
    const shownBefore = FakeNotification.shown.length;
    // Nothing is announced at run-ended: the import's results decide what the run means.
    expect(FakeNotification.shown.length).toBe(shownBefore);
    const importResults = { state: 'read', numberOfScannedFiles: 7, numberOfImportedFiles: 4, numberOfFilesWithCustomerError: 3, numberOfFilesWithServerError: 0 } as const;
    monitor.notify({ runId: 'run-1', ended, importResults: importResults as never, outcome: 'completed_with_errors' });
    expect(FakeNotification.shown.at(-1)).toEqual({ title: 'Onboarding completed with errors', body: 'Data store demo-1: 4 of 7 files imported, 3 failed.' });
  });

  it('words a failure with its message', () => {
    expect(notificationFor({ runId: 'r', outcome: 'failed', datastoreName: 'x', message: 'The data store failed to create' })).toEqual({
      title: 'Onboarding failed',
      body: 'Data store x: The data store failed to create.',
    });
  });
});

describe('archive imports on the taskbar and in a notification', () => {
  const update = (batchId: string, done: number, running: number, queued: number): BatchProgressUpdate => ({
    batchId,
    progress: { batchId, jobs: { total: 4, queued, running, completed: done, failed: 0 }, files: { planned: 40, imported: done * 10, failed: 0 }, bytes: { planned: 4000 }, paused: false },
    jobs: [],
  });

  it('shows the files of ended jobs over the planned ones, gives way to a run, and clears at the end with a notice', () => {
    const win = new FakeBrowserWindow();
    const monitor = setupRunMonitor({ getWindow: () => win as never });
    monitor.consumeBatch(update('batch-a', 1, 2, 1));
    expect(win.progress.at(-1)).toEqual({ value: 0.25, options: { mode: 'normal' } });
    // An onboarding run owns the bar while it runs.
    const base = { runId: 'run-b', at: new Date().toISOString() };
    monitor.consume([{ ...base, seq: 1, type: 'run-started', workflowId: 'w', inputs: {}, steps: [{ stepId: 'a' }, { stepId: 'b' }], resumed: false } as unknown as RunEvent]);
    monitor.consumeBatch(update('batch-a', 2, 2, 0));
    expect(win.progress.at(-1)).toEqual({ value: 0.01, options: { mode: 'normal' } });
    monitor.consume([{ ...base, seq: 2, type: 'run-ended', status: 'cancelled', outputs: {}, resumable: false } as unknown as RunEvent]);
    expect(win.progress.at(-1)).toEqual({ value: 0.5, options: { mode: 'normal' } });
    // Every job ended: nothing left on the bar.
    monitor.consumeBatch(update('batch-a', 4, 0, 0));
    expect(win.progress.at(-1)).toEqual({ value: -1, options: undefined });
    const report = { batchId: 'batch-a', datastoreId: 'd'.repeat(32), jobs: [{}, {}, {}, {}], totals: { scanned: 40, imported: 38, failed: 2, imageSets: 4 } } as unknown as BatchReport;
    monitor.notifyBatch('batch-a', 'completed_with_errors', report);
    expect(FakeNotification.shown.at(-1)).toEqual({ title: 'Archive import completed with errors', body: `Data store ${'d'.repeat(32)} (4 import jobs): 38 of 40 files imported, 2 failed.` });
    monitor.notifyBatch('batch-b', 'error');
    expect(FakeNotification.shown.at(-1)).toEqual({ title: 'Archive import stopped on an error', body: 'Batch batch-b: see the batch in History; it can be resumed.' });
  });
});

describe('single instance', () => {
  it('takes the lock and reveals the window on a second launch', () => {
    const win = new FakeBrowserWindow();
    expect(setupSingleInstance(() => win as never)).toBe(true);
    fake.app.emit('second-instance');
    expect(win.visible).toBe(true);
  });

  it('reports when another instance holds the lock', () => {
    fake.app.lock = false;
    expect(setupSingleInstance(() => undefined)).toBe(false);
    fake.app.lock = true;
  });
});
