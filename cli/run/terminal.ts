/** What a run asks of the person at the terminal: MFA codes, "press Enter", and how to resume. */
import { createInterface } from 'node:readline';
import type { RunSettings } from '../args';
import type { CliIO } from './io';

/** Asks for an MFA code on the terminal (stderr, so --json output stays clean). */
export function terminalMfaPrompt(io: CliIO): ((serial: string) => Promise<string>) | undefined {
  if (!io.stdinIsTTY) return undefined;
  return (serial) =>
    new Promise((resolveCode) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      rl.question(`MFA code for ${serial}: `, (code) => {
        rl.close();
        resolveCode(code.trim());
      });
    });
}

export function waitForEnter(prompt: string): { promise: Promise<void>; cancel: () => void } {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  let settle!: () => void;
  const promise = new Promise<void>((r) => (settle = r));
  rl.question(prompt, () => {
    rl.close();
    settle();
  });
  return { promise, cancel: () => rl.close() };
}

export function resumeHint(runId: string, settings: RunSettings, sandbox: boolean): string {
  const parts = ['ahi-onboard resume', runId];
  if (settings.runsDir) parts.push('--runs-dir', JSON.stringify(settings.runsDir).slice(1, -1));
  else if (sandbox) parts.push('--sandbox');
  if (settings.profile) parts.push('--profile', settings.profile);
  return parts.join(' ');
}
