import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as electron from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { APP_INDEX_URL } from '../main/app-path';
import { createMainWindow, mainWindowWebPreferences } from '../main/window';
import { FakeBrowserWindow, type FakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const fake = electron as unknown as FakeElectron;

describe('main window', () => {
  it('is sandboxed and context-isolated, with Node off and web security on', () => {
    const prefs = mainWindowWebPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('loads the app protocol (never file:// or remote content) with those preferences', () => {
    const userDataDir = mkdtempSync(path.join(tmpdir(), 'win-'));
    const win = createMainWindow({ preloadPath: '/p/index.cjs', userDataDir, url: APP_INDEX_URL, title: 'T' }) as unknown as FakeBrowserWindow;
    expect(fake.BrowserWindow.instances).toContain(win);
    expect(win.loadedUrl).toBe('app://bundle/index.html');
    expect(win.options['webPreferences']).toEqual(mainWindowWebPreferences('/p/index.cjs'));
    expect(win.options['show']).toBe(false);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it('restores the remembered size and position, and saves them on close', () => {
    const userDataDir = mkdtempSync(path.join(tmpdir(), 'win-'));
    writeFileSync(path.join(userDataDir, 'window-state.json'), JSON.stringify({ width: 1300, height: 900, x: 50, y: 60, maximized: false }));
    const win = createMainWindow({ preloadPath: '/p', userDataDir, url: APP_INDEX_URL, title: 'T' }) as unknown as FakeBrowserWindow;
    expect(win.options).toMatchObject({ width: 1300, height: 900, x: 50, y: 60 });
    win.close();
    const saved = JSON.parse(readFileSync(path.join(userDataDir, 'window-state.json'), 'utf8'));
    expect(saved).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: false });
  });
});
