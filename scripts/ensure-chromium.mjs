#!/usr/bin/env node
// Makes sure the browser suite has a Chromium to drive, instead of silently skipping it.
// Order: CHROMIUM_PATH, the usual system paths, Playwright's own cache; where none is found it
// gets one: Debian's package when we are root on Debian (no internet needed beyond the Debian
// mirror), else Playwright's installer (needs the internet). Prints the path it settled on.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const candidates = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
].filter(Boolean);

function playwrightCached() {
  const base = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  if (!existsSync(base)) return undefined;
  for (const dir of readdirSync(base).filter((d) => d.startsWith('chromium-')).sort().reverse()) {
    for (const rel of ['chrome-linux/chrome', 'chrome-linux64/chrome', 'chrome-mac/Chromium.app/Contents/MacOS/Chromium', 'chrome-win/chrome.exe']) {
      const p = join(base, dir, rel);
      if (existsSync(p)) return p;
    }
  }
  return undefined;
}

export function findChromium() {
  return candidates.find((p) => existsSync(p)) ?? playwrightCached();
}

function install() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.platform === 'linux' && isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('ensure-chromium: installing Debian package chromium');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    return;
  }
  console.log('ensure-chromium: installing Chromium with Playwright\'s installer');
  const r = spawnSync(process.execPath, [join('node_modules', 'playwright-core', 'cli.js'), 'install', 'chromium'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('Playwright could not download Chromium; install Chromium or Chrome and set CHROMIUM_PATH.');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let path = findChromium();
  if (!path) {
    install();
    path = findChromium();
  }
  if (!path) {
    console.error('ensure-chromium: no Chromium found after installing; set CHROMIUM_PATH');
    process.exit(1);
  }
  console.log(`ensure-chromium: using ${path}`);
}
