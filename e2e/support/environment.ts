/**
 * What the end-to-end suite can run against on this machine, decided once, with the reason
 * printed when something is skipped: a Chromium for the browser host, an Electron binary for the
 * real app. Never downloads anything (in particular never `require('electron')`, whose package
 * would fetch its binary on first use).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RENDERER_DIR = path.join(REPO_ROOT, 'out/renderer');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-results');
export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

function isFile(p: string | undefined): p is string {
  try {
    return !!p && statSync(p).isFile();
  } catch {
    return false;
  }
}

/** CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string | undefined {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (isFile(fromEnv)) return fromEnv;
  return isFile('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/** The Electron binary the npm package would run, only if it is already on disk. */
export function electronBinary(): string | undefined {
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const pkg = path.join(REPO_ROOT, 'node_modules/electron');
  let name = 'electron';
  try {
    name = readFileSync(path.join(pkg, 'path.txt'), 'utf8').trim() || name;
  } catch {
    // no path.txt: the package never installed its binary
  }
  const candidate = override ? path.join(override, name) : path.join(pkg, 'dist', name);
  return isFile(candidate) ? candidate : undefined;
}

export function skipReason(what: 'chromium' | 'electron'): string | undefined {
  if (what === 'chromium') {
    return chromiumPath() ? undefined : 'no Chromium at CHROMIUM_PATH or /usr/bin/chromium (run scripts/ensure-chromium.mjs or apt-get install chromium)';
  }
  if (!electronBinary()) return 'no Electron binary (node_modules/electron/dist is missing; it is fetched on first `npm start` where the internet is reachable)';
  if (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) return 'no display for Electron (set DISPLAY, e.g. with xvfb-run)';
  return undefined;
}

/** Builds the app once when the renderer bundle is missing (npm test builds before the suite). */
export function ensureBuilt(): void {
  if (existsSync(path.join(RENDERER_DIR, 'index.html')) && existsSync(path.join(REPO_ROOT, 'out/main/index.js'))) return;
  execFileSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['electron-vite', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
}

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync(cmd, ['-v'], { stdio: 'ignore' });
    return true;
  } catch (error) {
    // pdftoppm -v exits 0 on new poppler, 99 on old ones: it exists either way.
    return (error as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}
