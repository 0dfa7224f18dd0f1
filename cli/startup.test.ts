/**
 * `--version` and `--help` must load no AWS SDK: they are what scripts and shells call most, and the
 * SDK is most of the start-up time. A resolve hook that refuses every `@aws-sdk/*` specifier proves
 * it; the control (a command that does need the SDK) proves the hook really fires.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'ahi-startup-'));
writeFileSync(
  join(dir, 'hooks.mjs'),
  `export async function resolve(spec, ctx, next) {
    if (spec.startsWith('@aws-sdk/')) throw new Error('AWS SDK loaded: ' + spec);
    return next(spec, ctx);
  }\n`,
);
writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister('./hooks.mjs', import.meta.url);\n`);

function cli(...args: string[]) {
  return spawnSync(process.execPath, ['--import', join(dir, 'register.mjs'), join(root, 'bin', 'ahi-onboard.mjs'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, AHI_ONBOARD_DATA_DIR: dir, AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') },
    timeout: 30_000,
  });
}

describe('ahi-onboard start-up', () => {
  it('--version and --help run without loading any @aws-sdk module', () => {
    const v = cli('--version');
    expect(v.stderr).toBe('');
    expect(v.stdout).toMatch(/^ahi-onboard \d+\.\d+\.\d+\n$/);
    const h = cli('--help');
    expect(h.stderr).toBe('');
    expect(h.stdout).toContain('Usage:');
  }, 60_000);

  it('control: a command that talks to AWS does load the SDK, so the guard above is live', () => {
    const r = cli('report', 'no-such-run');
    expect(r.stdout + r.stderr).toMatch(/AWS SDK loaded: @aws-sdk\//);
  }, 60_000);
});
