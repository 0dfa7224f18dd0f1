/**
 * Closing the window while a run or an archive import (batch) is active asks what to do: keep it
 * running in the background (the window hides; a notification says when it ends; launching the app
 * again brings it back) or stop it (the run is cancelled and stays resumable from History; the
 * batch starts no more jobs, those already started finish in HealthImaging, and it stays
 * resumable). Quitting never loses either: before the app exits the handlers are disposed, which
 * leaves every active run's log and batch's ledger without an end, so the next start lists them
 * as interrupted with Resume.
 */
import { app, dialog, type BrowserWindow } from 'electron';

export type CloseChoice = 'background' | 'stop' | 'cancel';

/** What this process drives now: onboarding runs and archive imports. */
export interface ActiveWork {
  runs: number;
  batches: number;
}

/** The question, in the words of what is running (a run, an archive import, or both). */
export function closeDialogFor(work: ActiveWork) {
  const run = work.runs > 0;
  const batch = work.batches > 0;
  const imports = work.batches === 1 ? 'An archive import is' : `${work.batches} archive imports are`;
  const what = run && batch ? 'both' : run ? 'the run' : work.batches === 1 ? 'the import' : 'the imports';
  const details = [
    `Keep ${run && batch ? 'them' : 'it'} running in the background (you get a notification when ${run && batch ? 'each' : 'it'} ends), or stop ${run && batch ? 'them' : 'it'} now.`,
    ...(run ? ['A stopped run keeps everything it created and can be resumed from History.'] : []),
    ...(batch ? ['A stopped archive import starts no more jobs; jobs already started finish in HealthImaging, and it can be resumed from History without starting any folder twice.'] : []),
  ];
  return {
    type: 'question' as const,
    buttons: ['Keep running in background', run && batch ? 'Stop both' : `Stop ${what}`, 'Cancel'],
    defaultId: 0,
    cancelId: 2,
    noLink: true,
    title: run && batch ? 'A run and an archive import are in progress' : run ? 'A run is in progress' : work.batches === 1 ? 'An archive import is in progress' : 'Archive imports are in progress',
    message: run && batch ? `An onboarding run is still in progress, and ${imports.charAt(0).toLowerCase()}${imports.slice(1)} too.` : run ? 'An onboarding run is still in progress.' : `${imports} still in progress.`,
    detail: details.join(' '),
  };
}

/** The question when only an onboarding run is active. */
export const CLOSE_DIALOG = closeDialogFor({ runs: 1, batches: 0 });

export function choiceOf(response: number): CloseChoice {
  return response === 0 ? 'background' : response === 1 ? 'stop' : 'cancel';
}

export interface CloseGuardOptions {
  win: BrowserWindow;
  isRunActive: () => boolean;
  stopActiveRun: () => Promise<void>;
  /** Archive imports this process drives now (default none). */
  activeBatches?: () => number;
  /** Stops driving them, each left resumable (jobs already started run on in HealthImaging). */
  stopActiveBatches?: () => Promise<void>;
  /** Called when the user chose to keep the work going with the window hidden. */
  onBackground?: () => void;
}

export function setupCloseGuard({ win, isRunActive, stopActiveRun, activeBatches, stopActiveBatches, onBackground }: CloseGuardOptions): void {
  let asking = false;
  let allowClose = false;
  app.on('before-quit', () => {
    allowClose = true;
  });
  win.on('close', (event) => {
    if (allowClose) return;
    const work: ActiveWork = { runs: isRunActive() ? 1 : 0, batches: activeBatches?.() ?? 0 };
    if (work.runs === 0 && work.batches === 0) return;
    event.preventDefault();
    if (asking) return;
    asking = true;
    void dialog
      .showMessageBox(win, closeDialogFor(work))
      .then(async ({ response }) => {
        const choice = choiceOf(response);
        if (choice === 'background') {
          win.hide();
          onBackground?.();
        } else if (choice === 'stop') {
          await Promise.all([
            work.runs > 0 ? stopActiveRun().catch(() => undefined) : undefined,
            work.batches > 0 ? stopActiveBatches?.().catch(() => undefined) : undefined,
          ]);
          allowClose = true;
          win.close();
        }
      })
      .finally(() => {
        asking = false;
      });
  });
}
