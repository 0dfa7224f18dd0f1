/**
 * A fake `electron` module for main-process wiring tests (the way Electron Fiddle tests its main
 * process): just enough of app, ipcMain, BrowserWindow, session, protocol, shell, dialog,
 * Notification, screen, contextBridge and ipcRenderer to observe what our setup functions register
 * and to drive the events they listen to. Use with `vi.mock('electron', () => fakeElectron)`.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Handler = (event: unknown, ...args: unknown[]) => unknown;

export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  url = 'app://bundle/index.html';
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  readonly sent: Array<{ channel: string; payload: unknown }> = [];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload });
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return this.destroyed;
  }
  printToPDF = vi.fn(async () => Buffer.from('%PDF-1.7 fake'));
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  readonly options: Record<string, unknown>;
  loadedUrl: string | undefined;
  visible = false;
  destroyed = false;
  progress: Array<{ value: number; options?: unknown }> = [];
  constructor(options: Record<string, unknown> = {}) {
    super();
    this.options = options;
    FakeBrowserWindow.instances.push(this);
  }
  async loadURL(url: string) {
    this.loadedUrl = url;
    this.webContents.url = url;
  }
  show() {
    this.visible = true;
    this.emit('show');
  }
  hide() {
    this.visible = false;
  }
  focus() {}
  restore() {}
  maximize() {}
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  isVisible() {
    return this.visible;
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
    this.webContents.destroyed = true;
  }
  /** Emits 'close' like Electron: returns true when no listener prevented it. */
  close() {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.destroy();
    return !prevented;
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 1000, height: 700 };
  }
  setProgressBar(value: number, options?: unknown) {
    this.progress.push({ value, options });
  }
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  userData = '/tmp/fake-user-data';
  lock = true;
  getPath = vi.fn((name: string) => (name === 'userData' ? this.userData : `/tmp/fake-${name}`));
  setPath = vi.fn((name: string, value: string) => {
    if (name === 'userData') this.userData = value;
  });
  getVersion = () => '0.0.0-test';
  getAppPath = () => process.cwd();
  requestSingleInstanceLock = vi.fn(() => this.lock);
  quit = vi.fn();
  exit = vi.fn();
  whenReady = () => Promise.resolve();
}

class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle = vi.fn((channel: string, handler: Handler) => {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  });
  removeHandler = vi.fn((channel: string) => {
    this.handlers.delete(channel);
  });
  /** Calls a registered handler like ipcRenderer.invoke would. */
  async invoke(channel: string, event: unknown, ...args: unknown[]) {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

class FakeSession {
  permissionRequestHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void, details?: unknown) => void) | undefined;
  permissionCheckHandler: ((wc: unknown, permission: string, origin: string, details?: unknown) => boolean) | undefined;
  devicePermissionHandler: ((details: unknown) => boolean) | undefined;
  displayMediaHandler: ((request: unknown, cb: (streams: unknown) => void) => void) | undefined;
  headersListener: ((details: { responseHeaders?: Record<string, string[]>; url: string }, cb: (r: unknown) => void) => void) | undefined;
  readonly protocol = { handle: vi.fn(), handlers: new Map<string, (req: Request) => Promise<Response> | Response>() };
  constructor() {
    this.protocol.handle.mockImplementation((scheme: string, fn: (req: Request) => Promise<Response> | Response) => {
      this.protocol.handlers.set(scheme, fn);
    });
  }
  setPermissionRequestHandler(h: FakeSession['permissionRequestHandler']) {
    this.permissionRequestHandler = h;
  }
  setPermissionCheckHandler(h: FakeSession['permissionCheckHandler']) {
    this.permissionCheckHandler = h;
  }
  setDevicePermissionHandler(h: FakeSession['devicePermissionHandler']) {
    this.devicePermissionHandler = h;
  }
  setDisplayMediaRequestHandler(h: FakeSession['displayMediaHandler']) {
    this.displayMediaHandler = h;
  }
  readonly webRequest = {
    onHeadersReceived: (listener: FakeSession['headersListener']) => {
      this.headersListener = listener;
    },
  };
}

export class FakeNotification extends EventEmitter {
  static shown: Array<{ title: string; body: string }> = [];
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  static isSupported() {
    return true;
  }
  show() {
    FakeNotification.shown.push(this.options);
  }
}

class FakeIpcRenderer extends EventEmitter {
  invoke = vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => undefined);
}

export function createFakeElectron() {
  const app = new FakeApp();
  const ipcMain = new FakeIpcMain();
  const defaultSession = new FakeSession();
  const exposed: Record<string, unknown> = {};
  return {
    app,
    ipcMain,
    BrowserWindow: FakeBrowserWindow,
    session: { defaultSession },
    protocol: {
      registerSchemesAsPrivileged: vi.fn(),
      handle: vi.fn(),
    },
    shell: { openExternal: vi.fn(async (_url: string) => undefined) },
    dialog: {
      showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 0, checkboxChecked: false })),
      showSaveDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: true, filePath: '' })),
    },
    Notification: FakeNotification,
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    contextBridge: {
      exposed,
      exposeInMainWorld: vi.fn((key: string, api: unknown) => {
        exposed[key] = api;
      }),
    },
    ipcRenderer: new FakeIpcRenderer(),
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;

/** An IPC event as Electron builds it for ipcMain.handle. */
export function ipcEvent(sender: FakeWebContents, frameUrl = sender.url, parent: unknown = null) {
  return { sender, senderFrame: { url: frameUrl, parent }, processId: 1, frameId: 1 };
}
