/**
 * `ahi-onboard report` and `repair` on a damaged run log, as users run them (the bin in a child
 * process, the embedded sandbox): the report renders the readable part and names the damaged
 * line (exit 0, warning on stderr), resume refuses with the repair command (exit 2), repair cuts
 * the log keeping a backup, and resume then finishes the run with the same data store.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { RunEvent } from '../core/engine/events';

const BIN = join(process.cwd(), 'bin', 'ahi-onboard.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'ahi-cli-repair-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  Object.assign(env, { HOME: tmp, XDG_DATA_HOME: join(tmp, 'data'), NO_COLOR: '1' });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const parse = (stdout: string): RunEvent[] => stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as RunEvent);

it('report names the damaged line, resume refuses until repair, repair keeps a backup, resume then completes', async () => {
  const runsDir = join(tmp, 'runs');
  const first = await runCli(['run', '--sandbox', '--json', '--runs-dir', runsDir]);
  expect(first.code).toBe(0);
  const evs = parse(first.stdout);
  const runId = evs[0]!.runId;
  const datastoreId = (evs.find((e) => e.type === 'run-ended') as Extract<RunEvent, { type: 'run-ended' }>).outputs['datastoreId'];
  expect(datastoreId).toEqual(expect.any(String));

  // The full-disk damage: half of the CreateDatastore answer, then the next event on the same line.
  const file = join(runsDir, runId, 'events.ndjson');
  const lines = readFileSync(file, 'utf8').split('\n');
  const cut = lines.findIndex((l) => l.includes('"request-sent"') && l.includes('"CreateDatastore"'));
  const damaged = `${lines.slice(0, cut + 1).join('\n')}\n${lines[cut + 1]!.slice(0, 30)}${lines.slice(cut + 2).join('\n')}`;
  writeFileSync(file, damaged);
  const line = cut + 2;

  const report = await runCli(['report', runId, '--runs-dir', runsDir, '--format', 'md']);
  expect(report.code).toBe(0);
  expect(report.stdout).toContain(`Line ${line} of the run log is damaged`);
  expect(report.stdout).toContain(`covers the ${cut + 1} events before it`);
  expect(report.stderr).toContain(`Warning: line ${line} of the run log is damaged`);
  expect(report.stderr).toContain(`ahi-onboard repair ${runId} --runs-dir ${runsDir}`);
  const json = await runCli(['report', runId, '--runs-dir', runsDir]);
  expect(JSON.parse(json.stdout)).toMatchObject({ runId, logDamage: { line, reason: expect.stringContaining('not valid JSON') } });

  const refused = await runCli(['resume', runId, '--runs-dir', runsDir]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain(`Cannot resume: the run log of run ${runId} is damaged at line ${line}`);
  expect(refused.stderr).toContain(`ahi-onboard repair ${runId} --runs-dir ${runsDir}`);
  expect(readFileSync(file, 'utf8')).toBe(damaged);

  const repaired = await runCli(['repair', runId, '--runs-dir', runsDir]);
  expect(repaired.code).toBe(0);
  expect(repaired.stderr).toBe('');
  expect(repaired.stdout).toContain(`cut at line ${line}`);
  expect(repaired.stdout).toContain(`Kept ${cut + 1} events`);
  const backup = /kept as (\S+)/.exec(repaired.stdout)![1]!;
  expect(backup).toMatch(new RegExp(`${runId}/events\\.ndjson\\.damaged-\\d{8}T\\d{6}Z$`));
  expect(existsSync(backup) && readFileSync(backup, 'utf8')).toBe(damaged);
  expect((await runCli(['repair', runId, '--runs-dir', runsDir])).stdout).toContain('is not damaged');

  const resumed = await runCli(['resume', runId, '--runs-dir', runsDir, '--json']);
  expect(resumed.code).toBe(0);
  const after = parse(resumed.stdout);
  expect(after[0]).toMatchObject({ type: 'run-resumed', stepId: 'createDatastore' });
  expect(after.find((e) => e.type === 'run-ended')).toMatchObject({ status: 'succeeded', outputs: { datastoreId, jobStatus: 'COMPLETED' } });
  expect((await runCli(['repair', 'no-such-run', '--runs-dir', runsDir])).code).toBe(2);
}, 120_000);
