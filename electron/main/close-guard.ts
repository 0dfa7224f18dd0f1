/**
 * Closing the window while a run is active asks what to do: keep it running in the background
 * (the window hides; a notification says when it ends; launching the app again brings it back) or
 * stop it (the run is cancelled and stays resumable from History). Quitting never loses a run:
 * before the app exits the handlers are disposed, which leaves every active run's durable log
 * without an end, so the next start lists it as interrupted with Resume.
 */
import { app, dialog, type BrowserWindow } from 'electron';

export type CloseChoice = 'background' | 'stop' | 'cancel';

export const CLOSE_DIALOG = {
  type: 'question' as const,
  buttons: ['Keep running in background', 'Stop the run', 'Cancel'],
  defaultId: 0,
  cancelId: 2,
  noLink: true,
  title: 'A run is in progress',
  message: 'An onboarding run is still in progress.',
  detail:
    'Keep it running in the background (you get a notification when it ends), or stop it now. ' +
    'A stopped run keeps everything it created and can be resumed from History.',
};

export function choiceOf(response: number): CloseChoice {
  return response === 0 ? 'background' : response === 1 ? 'stop' : 'cancel';
}

export interface CloseGuardOptions {
  win: BrowserWindow;
  isRunActive: () => boolean;
  stopActiveRun: () => Promise<void>;
  /** Called when the user chose to keep the run going with the window hidden. */
  onBackground?: () => void;
}

export function setupCloseGuard({ win, isRunActive, stopActiveRun, onBackground }: CloseGuardOptions): void {
  let asking = false;
  let allowClose = false;
  app.on('before-quit', () => {
    allowClose = true;
  });
  win.on('close', (event) => {
    if (allowClose || !isRunActive()) return;
    event.preventDefault();
    if (asking) return;
    asking = true;
    void dialog
      .showMessageBox(win, CLOSE_DIALOG)
      .then(async ({ response }) => {
        const choice = choiceOf(response);
        if (choice === 'background') {
          win.hide();
          onBackground?.();
        } else if (choice === 'stop') {
          await stopActiveRun().catch(() => undefined);
          allowClose = true;
          win.close();
        }
      })
      .finally(() => {
        asking = false;
      });
  });
}
