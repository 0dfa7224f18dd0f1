/**
 * The platform services the handlers get from Electron: the save dialog, PDF printing and opening
 * vetted links in the user's browser. Everything else the handlers do is plain Node.
 */
import path from 'node:path';
import { shell, type BrowserWindow } from 'electron';
import { vetAwsLink } from '../../core/healthimaging/console-links';
import type { HandlerDeps } from './handlers';
import { createSaveReportDialog, printHtmlToPdf } from './report-output';
import { vetSignInUrl } from './sign-in-url';

type PlatformServices = Pick<HandlerDeps, 'dialogs' | 'openExternal' | 'openSignInUrl' | 'printToPdf'>;

function opener(vet: (url: string) => { ok: true; url: string } | { ok: false; reason: string }) {
  return async (url: string) => {
    const vetted = vet(url);
    if (!vetted.ok) throw new Error(vetted.reason);
    await shell.openExternal(vetted.url);
  };
}

export function platformServices(getWindow: () => BrowserWindow | undefined, saveDir?: string): PlatformServices {
  return {
    dialogs: {
      saveReport: saveDir ? async (defaultName) => path.join(saveDir, path.basename(defaultName)) : createSaveReportDialog(getWindow),
    },
    openExternal: opener(vetAwsLink),
    openSignInUrl: opener(vetSignInUrl),
    printToPdf: printHtmlToPdf,
  };
}
