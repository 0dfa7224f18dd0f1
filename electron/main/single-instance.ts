/** One app instance: a second launch focuses (or reopens) the existing window and quits itself. */
import { app, type BrowserWindow } from 'electron';

/** Returns false when another instance holds the lock; the caller must quit then. */
export function setupSingleInstance(reveal: () => BrowserWindow | undefined): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => {
    const win = reveal();
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  return true;
}
