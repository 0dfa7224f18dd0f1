/**
 * How the app starts over and ends: the dock icon reopens the window, closing the last window
 * quits (unless a run continues in the background on macOS), and quitting stops the engine
 * cleanly first: active runs keep a durable log without an end and show up as interrupted (with
 * Resume) at the next start; the sandbox shuts down.
 */
import type { App } from 'electron';

export function setupAppLifecycle(opts: {
  app: Pick<App, 'on' | 'quit'>;
  revealWindow(): void;
  activeRuns(): number;
  dispose(): Promise<void>;
}): void {
  const { app } = opts;
  let disposed = false;
  app.on('activate', () => opts.revealWindow());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' || opts.activeRuns() === 0) app.quit();
  });
  app.on('before-quit', (event) => {
    if (disposed) return;
    event.preventDefault();
    disposed = true;
    void opts.dispose().finally(() => app.quit());
  });
}
