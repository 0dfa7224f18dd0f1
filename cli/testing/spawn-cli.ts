/** Runs the real `ahi-onboard` (bin/ahi-onboard.mjs) in a child process, as a user's shell would. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { RunEvent } from '../../core/engine/events';

export const CLI_BIN = join(process.cwd(), 'bin', 'ahi-onboard.mjs');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A clean environment: no AWS settings from the machine running the tests, HOME in a temp dir. */
export function cleanEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return { ...env, HOME: home, XDG_DATA_HOME: join(home, 'data'), NO_COLOR: '1', ...extra };
}

export function runCli(args: string[], opts: { env: NodeJS.ProcessEnv; onStdout?: (all: string, kill: (s: NodeJS.Signals) => void) => void }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      opts.onStdout?.(stdout, (s) => child.kill(s));
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The events `--json` printed, one per line. */
export const ndjsonEvents = (stdout: string): RunEvent[] =>
  stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as RunEvent);
