/**
 * `ahi-onboard --version` start-up against loading `@aws-sdk/client-medical-imaging` alone, side by
 * side in one run (issue 9: the ratio must be at most 1.0). Median wall time of N fresh processes each.
 * Run: npm run bench:cli [-- RUNS]
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const runs = Number(process.argv[2] ?? 9);

function median(cmd: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, cmd, { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd.join(' ')} exited ${r.status}: ${r.stderr}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const cli = median([join(root, 'bin', 'ahi-onboard.mjs'), '--version']);
const sdk = median(['--input-type=module', '-e', "await import('@aws-sdk/client-medical-imaging')"]);
const node = median(['-e', '0']);
console.log(`runs per command (median)           ${runs}`);
console.log(`node -e 0 (floor)                   ${node.toFixed(0)} ms`);
console.log(`ahi-onboard --version               ${cli.toFixed(0)} ms`);
console.log(`import @aws-sdk/client-medical-imaging ${sdk.toFixed(0)} ms`);
console.log(`ratio (--version / SDK load)        ${(cli / sdk).toFixed(2)}  (must be <= 1.0)`);
process.exitCode = cli / sdk <= 1 ? 0 : 1;
