/**
 * `--version` and `--help` must load no AWS SDK: they are what scripts and shells call most, and the
 * SDK is most of the start-up time. The built command bundles the SDK into its chunks, so a load
 * hook records every module file the process loads, and esbuild's metafile says which sources each
 * chunk holds. The control (a command that does need the SDK) proves the check really sees it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_MAIN, chunkInputs, ensureCliBuilt } from '../scripts/lib/ensure-cli-built';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ahi-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => ensureCliBuilt(), 120_000);

function cli(...args: string[]) {
  const log = join(dir, `loaded-${args.join('-')}.txt`);
  writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function load(url, ctx, next) {\n  appendFileSync(process.env.AHI_LOADED_LOG, url + '\\n');\n  return next(url, ctx);\n}\n`);
  writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);
  writeFileSync(log, '');
  const r = spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), join(root, 'bin', 'ahi-onboard.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, AHI_LOADED_LOG: log, AHI_ONBOARD_DATA_DIR: dir, AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') },
    timeout: 30_000,
  });
  const files = readFileSync(log, 'utf8').split('\n').filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
  return { ...r, files };
}

/** The loaded files that are, or bundle, AWS SDK code. */
function sdkLoaded(files: string[]): string[] {
  const chunks = chunkInputs();
  return files.filter((f) => f.includes('/node_modules/@aws-sdk/') || (chunks.get(basename(f))?.some((i) => i.includes('node_modules/@aws-sdk/')) ?? false));
}

describe('ahi-onboard start-up (the built command)', () => {
  it('--version and --help run the build in out/cli and load no AWS SDK code', () => {
    const v = cli('--version');
    expect(v.stderr).toBe('');
    expect(v.stdout).toMatch(/^ahi-onboard \d+\.\d+\.\d+\n$/);
    expect(v.files).toContain(CLI_MAIN);
    expect(sdkLoaded(v.files)).toEqual([]);
    const h = cli('--help');
    expect(h.stderr).toBe('');
    expect(h.stdout).toContain('Usage:');
    expect(sdkLoaded(h.files)).toEqual([]);
  }, 60_000);

  it('control: a command that talks to AWS does load the SDK, so the check above is live', () => {
    const r = cli('report', 'no-such-run');
    expect(sdkLoaded(r.files).length).toBeGreaterThan(0);
  }, 60_000);
});
