/**
 * How the app starts over and ends: the dock icon reopens the window, closing the last window
 * quits (unless a run or an archive import continues in the background on macOS), and quitting
 * stops the engine cleanly first: active runs keep a durable log without an end and show up as
 * interrupted (with Resume) at the next start; archive imports stop starting jobs and wait in
 * History, resumable (the user is told so); the sandbox shuts down.
 */
import type { App } from 'electron';

export function setupAppLifecycle(opts: {
  app: Pick<App, 'on' | 'quit'>;
  revealWindow(): void;
  activeRuns(): number;
  /** Archive imports this process drives now (default none). */
  activeBatches?(): number;
  /** Quitting while archive imports run: tells the user they stay resumable (a notification). */
  announceInterruptedBatches?(count: number): void;
  dispose(): Promise<void>;
}): void {
  const { app } = opts;
  let disposed = false;
  const batches = () => opts.activeBatches?.() ?? 0;
  app.on('activate', () => opts.revealWindow());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' || opts.activeRuns() + batches() === 0) app.quit();
  });
  app.on('before-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    const interrupted = batches();
    if (interrupted > 0) opts.announceInterruptedBatches?.(interrupted);
    void opts.dispose().finally(() => app.quit());
  });
}
