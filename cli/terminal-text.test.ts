/**
 * A profile name is whatever ~/.aws/config says. One that carries escape sequences (clear the
 * screen, retitle the window, hide text) or a bare CR must reach the terminal as plain text.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from './main';
import type { CliIO } from './run-command';
import { stripControls, terminalSafe } from './terminal-text';

// CSI clear-screen + home, OSC window title ended by ST, SGR conceal, a bare CR, a bidi override, BEL.
const HOSTILE = 'evil\x1b[2J\x1b[H\x1b]0;pwned\x1b\\\x1b[8mname\rfake\u202Etxt\x07';
const ANY_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

function captureIO(env: NodeJS.ProcessEnv): CliIO & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (s) => void (out += s),
    err: (s) => void (err += s),
    stdoutIsTTY: false,
    stdinIsTTY: false,
    env,
    exit: () => undefined,
    onSignal: () => () => undefined,
    stdout: () => out,
    stderr: () => err,
  };
}

let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ahi-term-'));
  // A made-up key id in AWS's shape, assembled so no key-looking literal sits in the source.
  const FAKE_KEY_ID = ['AKIA', 'EXAMPLE', 'EXAMPLE', '00'].join('');
  // The credentials file takes any section name (the config file's [profile NAME] allows only
  // [\w-@+.%:/]); a CR would end the line for the parser, so the file's name carries everything else.
  writeFileSync(join(dir, 'config'), '[profile plain]\nregion = eu-west-1\n');
  writeFileSync(join(dir, 'credentials'), `[${HOSTILE.replace('\r', '')}]\naws_access_key_id = ${FAKE_KEY_ID}\naws_secret_access_key = ${'s'.repeat(40)}\n`);
  env = { HOME: dir, AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), NO_COLOR: '1' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('control characters never reach the terminal', () => {
  it('stripControls removes every control; terminalSafe keeps only the CLI’s own colours, tabs and line ends', () => {
    expect(stripControls(HOSTILE)).toBe('evil[2J[H]0;pwned\\[8mnamefaketxt');
    expect(terminalSafe(`\x1b[1mrun\x1b[0m\t${HOSTILE}\r\n`)).toBe('\x1b[1mrun\x1b[0m\tevil[2J[H]0;pwned\\[8mnamefaketxt\r\n');
  });

  it('`profiles` prints the hostile name as plain text, the columns still aligned', async () => {
    const io = captureIO(env);
    expect(await main(['profiles'], io)).toBe(0);
    const out = io.stdout();
    expect(out).not.toMatch(ANY_CONTROL);
    const lines = out.trimEnd().split('\n');
    const hostile = lines.find((l) => l.startsWith('evil'))!;
    expect(hostile).toMatch(/^evil\[2J\[H\]0;pwned\\\[8mnamefaketxt\s+-\s+access keys$/);
    const plain = lines.find((l) => l.startsWith('plain'))!;
    expect(plain.indexOf('eu-west-1')).toBe(hostile.indexOf('-  '));
  });

  it('an error that quotes the name (doctor --profile) is stripped too', async () => {
    const io = captureIO(env);
    await main(['doctor', '--profile', HOSTILE, '--region', 'us-east-1'], io);
    const all = io.stdout() + io.stderr();
    expect(all).toContain('evil[2J[H]0;pwned');
    expect(all).not.toMatch(ANY_CONTROL);
  });
});
