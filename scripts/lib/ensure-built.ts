/**
 * Tests that inspect the built app (packaged file list, CSP of the built page, preload requires,
 * bundle size) call ensureBuilt() in beforeAll: it runs `electron-vite build` only when out/ is
 * missing or older than a source file, and lets only one test file build at a time (vitest runs
 * files in parallel workers; the others wait and then see a fresh out/).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The three entry points electron-builder packages (see electron.vite.config.ts). */
export const BUILT = {
  main: 'out/main/index.js',
  preload: 'out/preload/index.cjs',
  rendererHtml: 'out/renderer/index.html',
} as const;

/** What the three bundles are built from: a newer file here means out/ is stale. */
const SOURCE_DIRS = ['electron', 'renderer', 'contract', 'core', 'sandbox', 'assets'];
const SOURCE_FILES = ['electron.vite.config.ts', 'package.json', 'tsconfig.base.json', 'tsconfig.node.json', 'tsconfig.web.json'];
const NOT_BUILD_INPUT = /(^|\/)(test|tests|__tests__|__fixtures__)\/|\.(test|spec)\.[cm]?[jt]sx?$/;

function newestSource(root: string): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  const consider = (abs: string) => {
    const rel = path.relative(root, abs).split(path.sep).join('/');
    if (NOT_BUILD_INPUT.test(rel)) return;
    const { mtimeMs } = statSync(abs);
    if (mtimeMs > newest.mtimeMs) newest = { file: rel, mtimeMs };
  };
  for (const dir of SOURCE_DIRS) {
    const abs = path.join(root, dir);
    if (!existsSync(abs)) continue;
    for (const entry of readdirSync(abs, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) consider(path.join(entry.parentPath, entry.name));
    }
  }
  for (const file of SOURCE_FILES) if (existsSync(path.join(root, file))) consider(path.join(root, file));
  return newest;
}

/** Why out/ needs a build, or null when it is complete and newer than every source. */
export function staleReason(root = PROJECT_ROOT): string | null {
  let oldestOutput = Infinity;
  for (const file of Object.values(BUILT)) {
    const abs = path.join(root, file);
    if (!existsSync(abs)) return `${file} is missing`;
    oldestOutput = Math.min(oldestOutput, statSync(abs).mtimeMs);
  }
  const newest = newestSource(root);
  return newest.mtimeMs > oldestOutput ? `${newest.file} changed after the last build` : null;
}

const LOCK_DIR = path.join(tmpdir(), 'healthimaging-onboarding-electron-vite-build.lock');
const STALE_LOCK_MS = 10 * 60_000;

async function withBuildLock<T>(fn: () => T): Promise<T> {
  for (;;) {
    try {
      mkdirSync(LOCK_DIR); // atomic: exactly one waiter wins
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(LOCK_DIR).mtimeMs > STALE_LOCK_MS) rmSync(LOCK_DIR, { recursive: true, force: true });
      } catch {
        // the holder just released it
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

function electronViteBin(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('electron-vite/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { bin: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['electron-vite'];
  if (!bin) throw new Error('electron-vite has no bin entry');
  return path.join(path.dirname(pkgPath), bin);
}

/**
 * One decision per test run: the first test file to get here checks (and builds if needed), the
 * others wait for it and then use that out/ as it is. Rebuilding in the middle of a run, because
 * someone saved a file, would pull the files from under tests that are reading them. The run is
 * the vitest process: the parent of a forked worker, or this process for worker threads.
 */
function runMarker(root: string): string {
  const runPid = isMainThread ? process.ppid : process.pid;
  const rootKey = Buffer.from(root).toString('base64url').slice(-24);
  return path.join(tmpdir(), `healthimaging-onboarding-built-${rootKey}-run-${runPid}`);
}

function removeOldMarkers(prefix: string): void {
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(prefix)) continue;
    try {
      if (statSync(path.join(tmpdir(), name)).mtimeMs < dayAgo) rmSync(path.join(tmpdir(), name), { force: true });
    } catch {
      // gone already
    }
  }
}

/** Builds out/ with electron-vite when it is missing or stale; throws with the build's output on failure. */
export async function ensureBuilt(root = PROJECT_ROOT): Promise<{ built: boolean; reason: string | null }> {
  const marker = runMarker(root);
  if (existsSync(marker)) return { built: false, reason: null };
  return withBuildLock(() => {
    if (existsSync(marker)) return { built: false, reason: null }; // another file of this run decided
    const reason = staleReason(root);
    if (reason !== null) {
      const result = spawnSync(process.execPath, [electronViteBin(), 'build'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
      if (result.status !== 0) {
        throw new Error(`electron-vite build failed (${reason}):\n${result.stdout}\n${result.stderr}`);
      }
    }
    writeFileSync(marker, reason ?? 'fresh');
    removeOldMarkers(path.basename(marker).replace(/-run-\d+$/, '-run-'));
    return { built: reason !== null, reason };
  });
}
