/**
 * The main process: one setup function per feature, called in order. Everything that is not the
 * window itself (AWS, the engine, the run store, the sandbox, reports) lives behind the handlers,
 * a plain Node module shared with the browser host used by end-to-end tests.
 */
import path from 'node:path';
import { app, BrowserWindow, session, shell } from 'electron';
import type { Pushes } from '../../contract/ipc';
import { APP_INDEX_URL } from './app-path';
import { currentModuleDir, resolveAppFiles } from './app-files';
import { setupCloseGuard } from './close-guard';
import { CONTENT_SECURITY_POLICY, devContentSecurityPolicy } from './csp';
import { vetExternalUrl } from './external-url';
import { vetSignInUrl } from './sign-in-url';
import { createHandlers, type Handlers } from './handlers';
import { osProxyLookup } from './os-proxy';
import { setupIpc, type IpcManager } from './ipc';
import { registerAppScheme, setupAppProtocol } from './protocol';
import { createSaveReportDialog, printHtmlToPdf } from './report-output';
import { setupRunMonitor, type RunMonitor } from './run-monitor';
import { isAppUrl, setupSecurity } from './security';
import { setupSingleInstance } from './single-instance';
import { createMainWindow } from './window';

const PRODUCT_NAME = 'HealthImaging Onboarding';

// `electron-vite dev` serves the renderer from Vite; never honoured in a packaged app.
const devServerUrl = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;
const devServerOrigin = devServerUrl ? new URL(devServerUrl).origin : undefined;
// The end-to-end suite cannot click through a native save dialog: an UNPACKAGED app launched by it
// may name a folder that exports are saved into instead. A packaged app always asks the user.
const e2eSaveDir = !app.isPackaged ? process.env['AHI_E2E_SAVE_DIR'] : undefined;
// A fresh user-data folder per e2e spec (runs, sandbox state, window state, single-instance lock).
const e2eUserData = !app.isPackaged ? process.env['AHI_E2E_USER_DATA'] : undefined;
if (e2eUserData) app.setPath('userData', e2eUserData);
// Slower sandbox for e2e specs that act during a run (reload, cancel); unpackaged only.
const e2eTimeScale = !app.isPackaged ? Number(process.env['AHI_SANDBOX_TIME_SCALE']) || undefined : undefined;

let mainWindow: BrowserWindow | undefined;
let handlers: Handlers | undefined;
let ipc: IpcManager | undefined;
let monitor: RunMonitor | undefined;
let inBackground = false;
let disposed = false;

const getWindow = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : undefined);
const appUrl = (url: string) => isAppUrl(url, devServerOrigin);

registerAppScheme();

if (!setupSingleInstance(() => revealWindow())) {
  app.quit();
} else {
  app.whenReady().then(start, (error: unknown) => {
    console.error('[main] failed to start:', error instanceof Error ? error.message : error);
    app.exit(1);
  });
}

async function start(): Promise<void> {
  const files = resolveAppFiles(currentModuleDir(import.meta.url), app.getAppPath());
  const userDataDir = app.getPath('userData');

  setupSecurity({
    session: session.defaultSession,
    ...(devServerOrigin ? { devServerOrigin, csp: devContentSecurityPolicy(devServerOrigin) } : { csp: CONTENT_SECURITY_POLICY }),
  });
  setupAppProtocol(files.rendererDir, session.defaultSession.protocol);

  monitor = setupRunMonitor({ getWindow });

  handlers = createHandlers({
    runsDir: path.join(userDataDir, 'runs'),
    userDataDir,
    workflowPath: files.workflowPath,
    ...(e2eTimeScale ? { sandboxTimeScale: e2eTimeScale } : {}),
    appInfo: { name: PRODUCT_NAME, version: app.getVersion(), electron: true },
    // The app follows the OS proxy settings (PAC included), as users expect of a Chromium app.
    osProxyFor: osProxyLookup(session.defaultSession),
    dialogs: {
      saveReport: e2eSaveDir ? async (defaultName) => path.join(e2eSaveDir, path.basename(defaultName)) : createSaveReportDialog(getWindow),
    },
    openExternal: async (url) => {
      const vetted = vetExternalUrl(url);
      if (!vetted.ok) throw new Error(vetted.reason);
      await shell.openExternal(vetted.url);
    },
    openSignInUrl: async (url) => {
      const vetted = vetSignInUrl(url);
      if (!vetted.ok) throw new Error(vetted.reason);
      await shell.openExternal(vetted.url);
    },
    printToPdf: printHtmlToPdf,
    push: (name, payload) => {
      if (name === 'run:events') monitor?.consume((payload as Pushes['run:events']).events);
      ipc?.push(name, payload);
    },
  });
  handlers.onSettled((settled) => {
    monitor?.notify(settled);
    // Kept running in the background and now nothing is left to do: leave quietly; the run is in History.
    const idle = () => inBackground && (monitor?.activeCount ?? 0) === 0 && !getWindow()?.isVisible();
    if (idle()) setTimeout(() => idle() && app.quit(), 500);
  });

  ipc = setupIpc({ handlers, appContents: () => getWindow()?.webContents, isAppUrl: appUrl });

  openWindow(files);

  app.on('activate', () => revealWindow());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' || (monitor?.activeCount ?? 0) === 0) app.quit();
  });
  app.on('before-quit', (event) => {
    if (disposed || !handlers) return;
    // Stop the engine cleanly before exiting: active runs keep a durable log without an end and
    // show up as interrupted (with Resume) at the next start; the sandbox shuts down.
    event.preventDefault();
    disposed = true;
    void handlers.dispose().finally(() => {
      ipc?.dispose();
      app.quit();
    });
  });

  function openWindow(f = files): BrowserWindow {
    const win = createMainWindow({
      preloadPath: f.preloadPath,
      userDataDir,
      url: devServerUrl ?? APP_INDEX_URL,
      title: PRODUCT_NAME,
      ...(f.iconPath ? { iconPath: f.iconPath } : {}),
    });
    setupCloseGuard({
      win,
      isRunActive: () => (monitor?.activeCount ?? 0) > 0,
      stopActiveRun: async () => {
        const active = await handlers?.['run:active']();
        if (active) await handlers?.['run:cancel']({ runId: active.runId });
      },
      onBackground: () => {
        inBackground = true;
      },
    });
    win.on('show', () => {
      inBackground = false;
    });
    win.on('closed', () => {
      if (mainWindow === win) mainWindow = undefined;
    });
    mainWindow = win;
    return win;
  }
  reopen = () => openWindow();
}

let reopen: (() => BrowserWindow) | undefined;

function revealWindow(): BrowserWindow | undefined {
  const win = getWindow() ?? reopen?.();
  if (win) {
    win.show();
    win.focus();
  }
  return win;
}
