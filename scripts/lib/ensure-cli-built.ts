/**
 * Tests of the built command (start-up, the packed tarball) call ensureCliBuilt() in beforeAll.
 * `npm test` builds out/cli/ before the unit tests, so this only builds in a clone that has not
 * (a targeted `npx vitest run`). It never rebuilds an existing out/cli: other test files may be
 * running it. One test file builds at a time; the others wait for it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './ensure-built';

export const CLI_MAIN = path.join(PROJECT_ROOT, 'out', 'cli', 'main.js');
/** esbuild's metafile for out/cli/ (scripts/build-cli.mjs): which sources each chunk bundles. */
export const CLI_META = path.join(PROJECT_ROOT, 'out', 'cli', 'meta.json');

const LOCK_DIR = path.join(tmpdir(), 'healthimaging-onboarding-cli-build.lock');

export async function ensureCliBuilt(): Promise<void> {
  for (;;) {
    if (existsSync(CLI_MAIN) && existsSync(CLI_META)) return;
    try {
      mkdirSync(LOCK_DIR); // atomic: exactly one waiter builds
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(LOCK_DIR).mtimeMs > 5 * 60_000) rmSync(LOCK_DIR, { recursive: true, force: true });
      } catch {
        // the holder just released it
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (existsSync(CLI_MAIN) && existsSync(CLI_META)) return;
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'build-cli.mjs')], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`scripts/build-cli.mjs failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}

/** The source files (relative to the project) bundled into each out/cli chunk, by chunk file name. */
export function chunkInputs(): Map<string, string[]> {
  const meta = JSON.parse(readFileSync(CLI_META, 'utf8')) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  const byChunk = new Map<string, string[]>();
  for (const [file, out] of Object.entries(meta.outputs)) byChunk.set(path.basename(file), Object.keys(out.inputs));
  return byChunk;
}
