/** The preflight in the terminal: one entry per check (mark, title, detail, fix), and the --json shape. */
import { preflightSummary } from '../core/app/preflight';
import type { CheckResult, CheckStatus, PreflightReport } from '../core/preflight/types';

const MARKS: Record<CheckStatus, { tty: string; plain: string; colour: string }> = {
  pass: { tty: '✓ pass', plain: 'PASS', colour: '32' },
  warn: { tty: '! warn', plain: 'WARN', colour: '33' },
  fail: { tty: '✗ FAIL', plain: 'FAIL', colour: '31' },
  skipped: { tty: '- skip', plain: 'SKIP', colour: '2' },
};

/** Exactly the documented JSON: {"ready", "checks": [{id, status, title, detail, fix?}]}. */
export function preflightJson(r: PreflightReport): { ready: boolean; checks: CheckResult[] } {
  return preflightSummary(r);
}

export function formatPreflight(r: PreflightReport, tty: boolean): string {
  const lines: string[] = [];
  for (const c of r.checks) {
    const m = MARKS[c.status];
    const mark = tty ? `\x1b[${m.colour}m${m.tty}\x1b[0m` : m.plain.padEnd(6);
    lines.push(`${mark}  ${c.title} [${c.id}]`, `        ${c.detail}`);
    if (c.fix) lines.push(`        Fix: ${c.fix}`);
  }
  const failing = r.checks.filter((c) => c.status === 'fail').map((c) => c.id);
  const warnings = r.checks.filter((c) => c.status === 'warn').length;
  lines.push(
    '',
    r.ready
      ? `Ready: nothing blocks the run${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}.`
      : `Not ready: ${failing.length} check${failing.length === 1 ? '' : 's'} failed (${failing.join(', ')}).`,
  );
  return lines.join('\n') + '\n';
}
