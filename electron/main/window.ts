/**
 * The app's one window: sandboxed, context-isolated, no Node, web security on, showing only the
 * app:// bundle (or the dev server in development). Its size and position are remembered.
 */
import { BrowserWindow, screen, type WebPreferences } from 'electron';
import { loadWindowState, saveWindowState, type WindowState } from './window-state';

/** The window's webPreferences: the security baseline in one object, tested as such. */
export function mainWindowWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  };
}

export interface MainWindowOptions {
  preloadPath: string;
  userDataDir: string;
  /** app://bundle/index.html, or the dev server URL in development. */
  url: string;
  iconPath?: string;
  title: string;
}

export function createMainWindow({ preloadPath, userDataDir, url, iconPath, title }: MainWindowOptions): BrowserWindow {
  const workAreas = screen.getAllDisplays().map((d) => d.workArea);
  const state = loadWindowState(userDataDir, workAreas);
  // electronegativity-justified: CONTEXT_ISOLATION_JS_CHECK webPreferences come from mainWindowWebPreferences() above (contextIsolation and sandbox true, nodeIntegration false), one object asserted as a whole by electron/test/window.test.ts and main-bundle.test.ts
  const win = new BrowserWindow({
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: 800,
    minHeight: 600,
    show: false,
    title,
    backgroundColor: '#ffffff',
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: mainWindowWebPreferences(preloadPath),
  });
  if (state.maximized) win.maximize();
  trackWindowState(win, userDataDir);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(url);
  return win;
}

/** Saves bounds when the user stops moving/resizing, and when the window closes. */
function trackWindowState(win: BrowserWindow, userDataDir: string): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    if (win.isDestroyed()) return;
    const bounds = win.getNormalBounds();
    const state: WindowState = { ...bounds, maximized: win.isMaximized() };
    try {
      saveWindowState(userDataDir, state);
    } catch {
      // Remembering the size is a nicety; never fail the app for it.
    }
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 500);
  };
  win.on('resize', later);
  win.on('move', later);
  win.on('close', () => {
    if (timer) clearTimeout(timer);
    save();
  });
}
