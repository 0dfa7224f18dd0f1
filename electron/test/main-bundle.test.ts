/**
 * The BUILT main process (out/main/index.js, as electron-vite bundled it) started against the fake
 * electron module: proves the bundle finds its preload, renderer and workflow on disk, registers
 * the app protocol, the security handlers and every IPC channel, opens one locked-down window on
 * app://, and answers a real command through the real handlers. Skipped (with the reason) when the
 * app has not been built; `npm test` builds first.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as electron from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES } from '../../contract/ipc';
import { FakeBrowserWindow, ipcEvent, type FakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const fake = electron as unknown as FakeElectron;

const bundle = path.resolve(import.meta.dirname, '../../out/main/index.js');
const built = existsSync(bundle) && existsSync(path.resolve(import.meta.dirname, '../../out/renderer/index.html'));
if (!built) console.log('[main-bundle] skipped: out/ is not built (run `npm run build`)');

describe.skipIf(!built)('built main process', () => {
  let win: FakeBrowserWindow;

  beforeAll(async () => {
    fake.app.userData = mkdtempSync(path.join(tmpdir(), 'main-bundle-'));
    fake.app.isPackaged = true;
    await import(/* @vite-ignore */ bundle);
    await vi.waitFor(() => expect(FakeBrowserWindow.instances.length).toBeGreaterThan(0));
    win = FakeBrowserWindow.instances[0]!;
  });

  afterAll(async () => {
    // Quitting disposes the handlers (sandbox closed, runs left resumable).
    fake.app.emit('before-quit', { preventDefault: () => undefined });
    await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
  });

  it('registers app:// as a privileged scheme and takes the single-instance lock', () => {
    expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([expect.objectContaining({ scheme: 'app' })]);
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalled();
  });

  it('opens one sandboxed window on app:// with a bundled CommonJS preload that exists', () => {
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(win.loadedUrl).toBe('app://bundle/index.html');
    const prefs = win.options['webPreferences'] as Record<string, unknown>;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(String(prefs['preload'])).toMatch(/out[\\/]preload[\\/]index\.cjs$/);
    expect(existsSync(String(prefs['preload']))).toBe(true);
  });

  it('serves the built renderer over app:// with the CSP, and blocks traversal', async () => {
    const handler = fake.session.defaultSession.protocol.handlers.get('app')!;
    const index = await handler(new Request('app://bundle/index.html'));
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<div id="root">');
    expect(index.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    for (const url of ['app://bundle/%2e%2e/main/index.js', 'app://bundle/..%2fmain%2findex.js', 'app://bundle/..%5cmain%5cindex.js']) {
      const res = await handler({ method: 'GET', url } as Request);
      expect([403, 404]).toContain(res.status);
      expect(await res.text()).not.toContain('registerSchemesAsPrivileged');
    }
  });

  it('installs the deny-all permission handlers and the CSP header on the session', () => {
    const s = fake.session.defaultSession;
    expect(s.permissionRequestHandler).toBeDefined();
    expect(s.permissionCheckHandler!({}, 'media', 'app://bundle')).toBe(false);
    expect(s.headersListener).toBeDefined();
  });

  it('registers every contract channel and answers the window through the real handlers', async () => {
    for (const name of COMMAND_NAMES) expect(fake.ipcMain.handlers.has(name)).toBe(true);
    const profiles = (await fake.ipcMain.invoke('profiles:list', ipcEvent(win.webContents))) as Array<{ name: string }>;
    expect(profiles[0]?.name).toBe('__sandbox__');
    const info = await fake.ipcMain.invoke('app:info', ipcEvent(win.webContents));
    expect(info).toMatchObject({ electron: true });
    // The bundled workflow asset is found: validation loads it.
    const defaults = await fake.ipcMain.invoke('inputs:defaults', ipcEvent(win.webContents), { profile: '__sandbox__', region: 'us-east-1' });
    expect(await fake.ipcMain.invoke('inputs:validate', ipcEvent(win.webContents), { inputs: defaults })).toEqual([]);
  });

  it('ships a preload that requires nothing but electron (what a sandboxed preload can load)', () => {
    const preload = String((win.options['webPreferences'] as Record<string, unknown>)['preload']);
    const code = readFileSync(preload, 'utf8');
    const required: string[] = [];
    const sandboxedRequire = (id: string) => {
      required.push(id);
      if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
      return fake;
    };
    const module = { exports: {} };
    // Evaluated as Electron evaluates a sandboxed CommonJS preload: a function of require/module/exports.
    new Function('require', 'module', 'exports', code)(sandboxedRequire, module, module.exports);
    expect(required).toEqual(['electron']);
    expect(fake.contextBridge.exposed['onboarding']).toBeDefined();
  });
});
