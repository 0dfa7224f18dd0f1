/** The one writer of every CLI print path: the outgoing guard around stdout and stderr. */
import { describe, expect, it } from 'vitest';
import { WITHHELD } from '../core/redaction/outgoing';
import { LEAKY_SECRET, LEAKY_TOKEN } from '../core/testing/bad-signature-stand-in';
import { guardedIO } from './guarded-io';
import type { CliIO } from './run-command';

describe('the CLI writer', () => {
  it('passes stdout and stderr through the guard with the secrets added by sessions', () => {
    const out: string[] = [];
    const err: string[] = [];
    const raw = { out: (s: string) => out.push(s), err: (s: string) => err.push(s), stdoutIsTTY: false, stdinIsTTY: false, env: {}, exit: () => undefined, onSignal: () => () => undefined } as CliIO;
    const io = guardedIO(raw);
    expect(guardedIO(io)).toBe(io); // wrapped once
    io.out(`Authorization: Bearer ${LEAKY_TOKEN}\n`);
    io.guard!.addSecrets(() => [LEAKY_SECRET]);
    io.err(`cause: ${LEAKY_SECRET.slice(0, 30)}\n`);
    io.out('plain words\n');
    expect(out).toEqual(['Authorization [redacted]\n', 'plain words\n']);
    expect(err).toEqual([`${WITHHELD}\n`]);
  });
});
