/**
 * The main process: one setup function per feature, called in order. Everything that is not the
 * window itself (AWS, the engine, the run store, the sandbox, reports) lives behind the handlers,
 * a plain Node module shared with the browser host used by end-to-end tests.
 */
import path from 'node:path';
import { app, BrowserWindow, session } from 'electron';
import type { Pushes } from '../../contract/ipc';
import { createOutgoingGuard } from '../../core/redaction/outgoing';
import { setupAppLifecycle } from './app-lifecycle';
import { APP_INDEX_URL } from './app-path';
import { currentModuleDir, resolveAppFiles } from './app-files';
import { setupCloseGuard } from './close-guard';
import { CONTENT_SECURITY_POLICY, devContentSecurityPolicy } from './csp';
import { applyDevOverrides } from './dev-overrides';
import { createHandlers, type Handlers } from './handlers';
import type { AppBatchService } from '../../core/app/batch-service';
import { appBatchService } from './handlers/batches';
import { setupIpc, type IpcManager } from './ipc';
import { osProxyLookup } from './os-proxy';
import { platformServices } from './platform-services';
import { registerAppScheme, setupAppProtocol } from './protocol';
import { safeErrorMessage } from './redact';
import { setupRunMonitor, type RunMonitor } from './run-monitor';
import { isAppUrl, setupSecurity } from './security';
import { setupSingleInstance } from './single-instance';
import { createMainWindow } from './window';

const PRODUCT_NAME = 'HealthImaging Onboarding';
const dev = applyDevOverrides(app);
const { devServerUrl, devServerOrigin } = dev;

let mainWindow: BrowserWindow | undefined;
let handlers: Handlers | undefined;
let ipc: IpcManager | undefined;
let monitor: RunMonitor | undefined;
/** The archive-import runner the handlers drive: the close and quit guards count its batches. */
let batches: AppBatchService | undefined;
let inBackground = false;

const activeRuns = () => monitor?.activeCount ?? 0;
const activeBatches = () => batches?.activeCount ?? 0;
const getWindow = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow : undefined);
const appUrl = (url: string) => isAppUrl(url, devServerOrigin);

registerAppScheme();

if (!setupSingleInstance(() => revealWindow())) {
  app.quit();
} else {
  app.whenReady().then(start, (error: unknown) => {
    console.error('[main] failed to start:', safeErrorMessage(error));
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

  // One leak guard for everything the window gets; the handlers' sessions add their secrets to it.
  const guard = createOutgoingGuard();
  handlers = createHandlers({
    guard,
    runsDir: path.join(userDataDir, 'runs'),
    userDataDir,
    workflowPath: files.workflowPath,
    ...(dev.sandboxTimeScale ? { sandboxTimeScale: dev.sandboxTimeScale } : {}),
    appInfo: { name: PRODUCT_NAME, version: app.getVersion(), electron: true },
    // The app follows the OS proxy settings (PAC included), as users expect of a Chromium app.
    osProxyFor: osProxyLookup(session.defaultSession),
    ...platformServices(getWindow, dev.saveDir),
    // Archive imports: the taskbar follows their progress, a notification tells of their end.
    batchService: (ctx) =>
      (batches = appBatchService({
        onEnded: (batchId, outcome, report) => {
          monitor?.notifyBatch(batchId, outcome, report);
          quitIfIdle();
        },
      })(ctx)),
    push: (name, payload) => {
      if (name === 'run:events') monitor?.consume((payload as Pushes['run:events']).events);
      if (name === 'batch:progress') monitor?.consumeBatch(payload as Pushes['batch:progress']);
      ipc?.push(name, payload);
    },
  });
  handlers.onSettled((settled) => {
    monitor?.notify(settled);
    quitIfIdle();
  });
  // Kept running in the background and now nothing is left to do: leave quietly; it is all in History.
  function quitIfIdle(): void {
    // Checked a moment later: a batch's end is told before the runner lets go of it.
    const idle = () => inBackground && activeRuns() === 0 && activeBatches() === 0 && !getWindow()?.isVisible();
    if (inBackground) setTimeout(() => idle() && app.quit(), 500);
  }

  ipc = setupIpc({ handlers, appContents: () => getWindow()?.webContents, isAppUrl: appUrl, guard });

  openWindow(files);

  setupAppLifecycle({
    app,
    revealWindow,
    activeRuns,
    activeBatches,
    announceInterruptedBatches: (count) => monitor?.notifyInterruptedBatches(count),
    dispose: async () => {
      await handlers?.dispose();
      ipc?.dispose();
    },
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
      isRunActive: () => activeRuns() > 0,
      stopActiveRun: async () => {
        const active = await handlers?.['run:active']();
        if (active) await handlers?.['run:cancel']({ runId: active.runId });
      },
      activeBatches,
      stopActiveBatches: async () => {
        await batches?.interruptAll('the window was closed with Stop');
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
