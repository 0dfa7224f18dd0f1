/**
 * Tests that inspect the built app (packaged file list, CSP of the built page, preload requires,
 * bundle size) call ensureBuilt() in beforeAll: it runs `electron-vite build` only when out/ is
 * missing or older than a source file, and lets only one test file build at a time (vitest runs
 * files in parallel workers; the others wait and then see a fresh out/).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

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

/** Builds out/ with electron-vite when it is missing or stale; throws with the build's output on failure. */
export async function ensureBuilt(root = PROJECT_ROOT): Promise<{ built: boolean; reason: string | null }> {
  if (staleReason(root) === null) return { built: false, reason: null };
  return withBuildLock(() => {
    const reason = staleReason(root); // another worker may have built while we waited
    if (reason === null) return { built: false, reason: null };
    const result = spawnSync(process.execPath, [electronViteBin(), 'build'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });
    if (result.status !== 0) {
      throw new Error(`electron-vite build failed (${reason}):\n${result.stdout}\n${result.stderr}`);
    }
    return { built: true, reason };
  });
}
