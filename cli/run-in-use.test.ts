/**
 * Two `ahi-onboard resume RUNID --sandbox` processes at once (issue 10: both drove the run, every
 * event twice, two run-ended, StartDICOMImportJob sent twice): exactly one proceeds, the other
 * exits 6 saying which process holds the run; the log's seq stays unique and increasing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../core/engine/events';
import { createRunStore, parseEventLines } from '../core/runs/run-store';
import { EXIT, exitCodeForRun } from './exit-codes';

const BIN = join(process.cwd(), 'bin', 'ahi-onboard.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'ahi-cli-lock-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const env: NodeJS.ProcessEnv = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_'))), HOME: tmp, XDG_DATA_HOME: join(tmp, 'data'), NO_COLOR: '1' };

interface CliResult {
  pid: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], onStdout?: (all: string, kill: (s: NodeJS.Signals) => void) => void): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      onStdout?.(stdout, (s) => child.kill(s));
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ pid: child.pid!, code, stdout, stderr }));
  });
}

describe('ahi-onboard resume: one process per run', () => {
  it('two resumes of the same run at once: one proceeds to the end, the other exits 6 naming its pid; seq unique and increasing', async () => {
    // A run interrupted while its new data store is being polled (no import started yet).
    let sent = false;
    const first = await runCli(['run', '--sandbox', '--json', '--poll-interval', '1'], (all, kill) => {
      if (!sent && /"type":"waiting"/.test(all)) {
        sent = true;
        kill('SIGINT');
      }
    });
    expect(first.code).toBe(130);
    const runId = (JSON.parse(first.stdout.split('\n')[0]!) as RunEvent).runId;

    // Slow polling keeps the winner running well past the loser's start-up.
    const [a, b] = await Promise.all([0, 1].map(() => runCli(['resume', runId, '--sandbox', '--json', '--poll-interval', '2'])));
    const winner = [a!, b!].find((r) => r.code === 0);
    const loser = [a!, b!].find((r) => r.code !== 0);
    expect(winner, `exit codes ${a!.code} and ${b!.code}; stderr: ${a!.stderr} | ${b!.stderr}`).toBeDefined();
    expect(loser!.code).toBe(6);
    expect(loser!.stderr).toContain(`Run ${runId} is in use by another process (pid ${winner!.pid} on ${hostname()}). Wait for it to end, or stop it, then resume.`);
    expect(loser!.stdout).toBe(''); // it printed no event: it recorded and sent nothing of the run

    const log = parseEventLines(readFileSync(join(tmp, 'data', 'ahi-onboard', 'sandbox-runs', runId, 'events.ndjson'), 'utf8'));
    const seqs = log.map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(log.filter((e) => e.type === 'run-resumed')).toHaveLength(1);
    expect(log.filter((e) => e.type === 'run-ended').map((e) => (e as Extract<RunEvent, { type: 'run-ended' }>).status)).toEqual(['cancelled', 'succeeded']);
    expect(log.filter((e) => e.type === 'request-sent' && e.operationId === 'StartDICOMImportJob')).toHaveLength(1);
    expect(log.filter((e) => e.type === 'request-sent' && e.operationId === 'CreateDatastore')).toHaveLength(1);
    // The winner released the lock when the run ended.
    expect(existsSync(join(tmp, 'data', 'ahi-onboard', 'sandbox-runs', runId, 'run.lock'))).toBe(false);
  }, 120_000);

  it('a run another live process holds: exit 6 at once, before the sandbox starts or anything is sent; the report says why', async () => {
    const runsDir = join(tmp, 'held-runs');
    await createRunStore(runsDir).create('held-run', {
      formatVersion: 1,
      runId: 'held-run',
      createdAt: new Date().toISOString(),
      workflowId: 'onboard-datastore-and-import',
      workflowHash: '0'.repeat(64),
      workflowText: 'not read: the lock is checked first',
      inputs: {},
      context: { region: 'us-east-1', sandbox: true },
      product: { name: 'ahi-onboard', version: '0' },
    });
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const lockFile = join(runsDir, 'held-run', 'run.lock');
      writeFileSync(lockFile, JSON.stringify({ pid: other.pid, host: hostname(), startedAt: new Date().toISOString() }));
      const report = join(tmp, 'held-report.json');
      const r = await runCli(['resume', 'held-run', '--runs-dir', runsDir, '--report', report]);
      expect(r.code).toBe(6);
      expect(r.stderr).toBe(
        `Run held-run is in use by another process (pid ${other.pid} on ${hostname()}). Wait for it to end, or stop it, then resume.\nIf pid ${other.pid} is not ahi-onboard or the app, remove ${lockFile}.\n`,
      );
      expect(r.stdout).toBe('');
      expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ status: 'error', error: { code: 'RunInUseError', message: expect.stringContaining(`pid ${other.pid}`) } });
      // Refusing leaves the holder's lock as it was.
      expect(JSON.parse(readFileSync(lockFile, 'utf8')).pid).toBe(other.pid);
      // A `run` whose new run id another process holds (only an id given explicitly can) ends the same way.
      expect(exitCodeForRun({ status: 'error', error: { code: 'RunInUseError' } })).toBe(EXIT.runInUse);
    } finally {
      other.kill();
    }
  }, 60_000);
});
