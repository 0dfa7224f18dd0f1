/**
 * The two hosts the same specs run against. Each gives a Playwright Page showing the app and a
 * folder where exported reports land; only the transport between page and handlers differs.
 * - browser: the built renderer in Chromium, served by e2e/host/server.ts (real handlers);
 * - electron: the real app through `_electron.launch`, where an Electron binary exists.
 * Each launch gets a fresh user-data directory.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, chromium, type Browser, type ElectronApplication, type Page } from 'playwright-core';
import { startBrowserHost, type BrowserHost } from '../host/server';
import type { Sandbox } from '../../sandbox/index';
import { CHROMIUM_ARGS, chromiumPath, electronBinary, REPO_ROOT, RENDERER_DIR } from './environment';

export type HostKind = 'browser' | 'electron';

export interface HostSession {
  kind: HostKind;
  page: Page;
  /** Where "Export report" writes. */
  reportDir: string;
  userDataDir: string;
  /** The browser host itself (browser kind only), for reading what the handlers did. */
  browserHost?: BrowserHost;
  /** The embedded sandbox, once started (browser kind only: it runs in this process), for fault injection. */
  sandbox(): Promise<Sandbox>;
  /** Content-Security-Policy violations the page reported (Chromium logs each one to the console). */
  cspViolations: string[];
  /** Uncaught errors in the page. */
  pageErrors: string[];
  /** Reload the app page (a window reload in Electron). */
  reload(): Promise<void>;
  close(): Promise<void>;
}

function watchPage(page: Page): { cspViolations: string[]; pageErrors: string[] } {
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to (load|apply|execute|connect|frame)/i.test(text)) cspViolations.push(text.slice(0, 300));
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { cspViolations, pageErrors };
}

export interface BrowserLaunchOptions {
  sandboxTimeScale?: number;
  /**
   * The environment the handlers read AWS settings from (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE,
   * AWS_PROFILE...). Default: this process's. Given to the handlers only: process.env is not changed.
   */
  env?: NodeJS.ProcessEnv;
}

export async function launchBrowserHost(name: string, opts: BrowserLaunchOptions = {}): Promise<HostSession> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), `e2e-${name}-`));
  const reportDir = path.join(userDataDir, 'saved-reports');
  mkdirSync(reportDir, { recursive: true });
  let resolveSandbox!: (sandbox: Sandbox) => void;
  const sandboxStarted = new Promise<Sandbox>((resolve) => (resolveSandbox = resolve));
  const host = await startBrowserHost({
    userDataDir,
    reportDir,
    rendererDir: RENDERER_DIR,
    ...(opts.env ? { env: opts.env } : {}),
    handlerDeps: { onSandboxStarted: resolveSandbox, ...(opts.sandboxTimeScale ? { sandboxTimeScale: opts.sandboxTimeScale } : {}) },
  });
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watched = watchPage(page);
    await page.goto(host.url);
    return {
      kind: 'browser',
      page,
      ...watched,
      reportDir,
      userDataDir,
      browserHost: host,
      sandbox: () => sandboxStarted,
      reload: async () => {
        await page.reload();
      },
      close: async () => {
        await browser?.close();
        await host.close();
        rmSync(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await browser?.close();
    await host.close();
    throw error;
  }
}

export async function launchElectronHost(name: string, opts: { sandboxTimeScale?: number } = {}): Promise<HostSession> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), `e2e-electron-${name}-`));
  const reportDir = path.join(userDataDir, 'saved-reports');
  mkdirSync(reportDir, { recursive: true });
  const app: ElectronApplication = await _electron.launch({
    executablePath: electronBinary()!,
    // The repository as the app path: package.json "main" points at out/main/index.js (unpackaged).
    args: [REPO_ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      AHI_E2E_SAVE_DIR: reportDir,
      AHI_E2E_USER_DATA: userDataDir,
      ...(opts.sandboxTimeScale ? { AHI_SANDBOX_TIME_SCALE: String(opts.sandboxTimeScale) } : {}),
    } as Record<string, string>,
  });
  const page = await app.firstWindow();
  const watched = watchPage(page);
  await page.setViewportSize({ width: 1280, height: 900 }).catch(() => undefined);
  return {
    kind: 'electron',
    page,
    ...watched,
    sandbox: () => Promise.reject(new Error('the Electron app runs its sandbox in its own process: no fault injection')),
    reportDir,
    userDataDir,
    reload: async () => {
      await page.reload();
    },
    close: async () => {
      await app.close().catch(() => undefined);
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export function launchHost(kind: HostKind, name: string, opts: { sandboxTimeScale?: number } = {}): Promise<HostSession> {
  return kind === 'browser' ? launchBrowserHost(name, opts) : launchElectronHost(name, opts);
}
