/**
 * --runs-dir on /proc, /sys, /dev (or anything that is not a folder) is refused before the
 * command starts: exit 2 in milliseconds, no sandbox started, nothing sent.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from './exit-codes';
import { main } from './main';
import type { CliIO } from './run-command';
import { checkRunsDir } from './runs-dir-check';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ahi-runsdir-'));
  mkdirSync(join(tmp, 'runs'));
  writeFileSync(join(tmp, 'a-file'), 'x');
  symlinkSync('/proc/self', join(tmp, 'link-to-proc'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const refusal = (dir: string) => {
  try {
    checkRunsDir(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  return undefined;
};

describe('--runs-dir', () => {
  it('a folder on disk passes, whether it exists yet or not', () => {
    expect(refusal(join(tmp, 'runs'))).toBeUndefined();
    expect(refusal(join(tmp, 'not', 'yet', 'made'))).toBeUndefined();
  });

  it.runIf(process.platform === 'linux')('/proc, /sys and /dev are refused, existing or not, through a symlink too', () => {
    expect(refusal('/proc/self')).toBe('--runs-dir /proc/self is under /proc, a special file system: run logs need a folder on a disk.');
    expect(refusal('/proc/ahi-runs')).toMatch(/under \/proc, a special file system/);
    expect(refusal('/sys/kernel/ahi')).toMatch(/under \/sys/);
    expect(refusal('/dev/shm/ahi')).toMatch(/under \/dev/);
    expect(refusal(join(tmp, 'link-to-proc', 'runs'))).toMatch(/under \/proc/);
  });

  it('a file, or a path below a file, is refused', () => {
    expect(refusal(join(tmp, 'a-file'))).toMatch(/a-file is not a folder/);
    expect(refusal(join(tmp, 'a-file', 'runs'))).toMatch(/is below .*a-file, which is not a folder/);
  });

  it.runIf(process.platform === 'linux')('the CLI exits 2 at once, before starting a sandbox, for run, resume and report', async () => {
    for (const argv of [
      ['run', '--sandbox', '--runs-dir', '/proc/self/runs'],
      ['resume', 'run-1', '--runs-dir', '/proc/self'],
      ['report', 'run-1', '--format', 'json', '--runs-dir', '/sys/ahi'],
    ]) {
      let err = '';
      const io: CliIO = { out: () => undefined, err: (s) => void (err += s), stdoutIsTTY: false, stdinIsTTY: false, env: { HOME: tmp }, exit: () => undefined, onSignal: () => () => undefined };
      const started = Date.now();
      expect(await main(argv, io)).toBe(2);
      expect(Date.now() - started).toBeLessThan(500);
      expect(err).toMatch(/--runs-dir .* a special file system: run logs need a folder on a disk\.\nPass --runs-dir DIR with a folder/);
    }
  });
});
