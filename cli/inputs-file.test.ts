/**
 * `--inputs` holds a few workflow inputs: a file over 1 MB, or an endless device, is refused at
 * once with a message that says so, before anything starts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from './exit-codes';
import { MAX_INPUTS_BYTES, readInputsText } from './inputs-file';
import { main } from './main';
import type { CliIO } from './run-command';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'ahi-inputs-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function captureIO(): CliIO & { stderr: () => string } {
  let err = '';
  return { out: () => undefined, err: (s) => void (err += s), stdoutIsTTY: false, stdinIsTTY: false, env: { HOME: tmp, XDG_DATA_HOME: join(tmp, 'data') }, exit: () => undefined, onSignal: () => () => undefined, stderr: () => err };
}

describe('--inputs size', () => {
  it('exactly 1 MB is read; one byte more is refused naming the size and the limit', async () => {
    const atLimit = join(tmp, 'at-limit.json');
    writeFileSync(atLimit, `{"jobName":"${'j'.repeat(MAX_INPUTS_BYTES - 14)}"}`);
    expect((await readInputsText(atLimit)).length).toBe(MAX_INPUTS_BYTES);
    const over = join(tmp, 'over.json');
    writeFileSync(over, `{"jobName":"${'j'.repeat(MAX_INPUTS_BYTES - 13)}"}`);
    const refused = await readInputsText(over).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as Error).message).toBe(`The inputs file ${over} is ${MAX_INPUTS_BYTES + 1} bytes; an inputs file may hold at most 1 MB (1048576 bytes).`);
  });

  it('the CLI exits 2 with that message and its hint, and never starts the run', async () => {
    const big = join(tmp, 'big.json');
    writeFileSync(big, Buffer.alloc(5 * MAX_INPUTS_BYTES, 0x20));
    const io = captureIO();
    expect(await main(['run', '--sandbox', '--inputs', big, '--runs-dir', join(tmp, 'runs')], io)).toBe(2);
    expect(io.stderr()).toContain(`The inputs file ${big} is ${5 * MAX_INPUTS_BYTES} bytes; an inputs file may hold at most 1 MB (1048576 bytes).\nIt holds a few workflow inputs as one JSON object`);
  });

  it.runIf(process.platform !== 'win32')('an endless device (/dev/zero) is refused after reading 1 MB, not read forever', async () => {
    const started = Date.now();
    await expect(readInputsText('/dev/zero')).rejects.toThrow('The inputs file /dev/zero is larger than 1 MB; an inputs file may hold at most 1 MB (1048576 bytes).');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a missing file still says it cannot be read', async () => {
    const io = captureIO();
    expect(await main(['run', '--sandbox', '--inputs', join(tmp, 'missing.json'), '--runs-dir', join(tmp, 'runs')], io)).toBe(2);
    expect(io.stderr()).toMatch(/Cannot read the inputs file .*missing\.json: ENOENT\./);
  });
});
