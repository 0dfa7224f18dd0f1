/**
 * A real full disk under the runs folder: `ahi-onboard run --sandbox --runs-dir` on a small tmpfs,
 * filled up by the test once the run has started. The run ends with the disk-full error naming the
 * folder (exit 3, "Free space, then run: ahi-onboard resume ..."), the log stays whole lines, and
 * once the filler is deleted `report` and `resume` work on it, with one data store in the end.
 * Mounting needs root (CAP_SYS_ADMIN): elsewhere the test is skipped and says why.
 */
import { ListDatastoresCommand, MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../core/engine/events';
import { startDemoSandbox } from './sandbox';
import { sandboxDataDir } from './data-dir';
import { cleanEnv, runCli as runCliIn } from './testing/spawn-cli';

const tmp = mkdtempSync(join(tmpdir(), 'ahi-diskfull-'));
const runsDir = join(tmp, 'runs');

function tryMount(): string | undefined {
  try {
    execFileSync('mkdir', ['-p', runsDir]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', runsDir], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    return `cannot mount a tmpfs here (${String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim() || 'mount failed'})`;
  }
}
const notMounted = process.platform === 'linux' ? tryMount() : 'tmpfs mounts are Linux only';
if (notMounted) console.log(`[disk-full] skipped: ${notMounted}`);

afterAll(() => {
  if (!notMounted) execFileSync('umount', [runsDir]);
  rmSync(tmp, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => cleanEnv(tmp);

const runCli = (args: string[], onStdout?: (all: string) => void) => runCliIn(args, { env: env(), ...(onStdout ? { onStdout } : {}) });

/** Fills the file system holding `dir` until it refuses another byte. */
function fill(dir: string): string {
  const file = join(dir, 'filler.bin');
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(4096, 0x41);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
  return file;
}

describe.skipIf(Boolean(notMounted))('ahi-onboard on a full disk (tmpfs)', () => {
  it('ends with the disk-full error (exit 3); after freeing space report and resume work, one data store', async () => {
    let filler: string | undefined;
    const r = await runCli(['run', '--sandbox', '--runs-dir', runsDir, '--json'], (all) => {
      // Once the run is recorded and under way, the disk fills up.
      if (!filler && all.includes('"type":"step-started"')) filler = fill(runsDir);
    });
    expect(filler).toBeDefined();
    expect(r.code).toBe(3);
    const [runId] = readdirSync(runsDir).filter((n) => n !== 'filler.bin');
    expect(runId).toBeDefined();
    expect(r.stderr).toContain(`The disk holding the runs folder ${runsDir} is full.`);
    expect(r.stderr).toContain(`Free space, then run: ahi-onboard resume ${runId} --runs-dir ${runsDir}`);
    const ended = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as RunEvent;
    expect(ended).toMatchObject({ type: 'run-ended', status: 'error', error: { code: 'DiskFull' }, resumable: true });

    // Whole lines only, and every event printed before the end is on disk.
    const log = readFileSync(join(runsDir, runId!, 'events.ndjson'), 'utf8');
    expect(log.endsWith('\n')).toBe(true);
    const recorded = log.trimEnd().split('\n').map((l) => JSON.parse(l) as RunEvent);
    const printed = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent).slice(0, -1);
    expect(recorded).toEqual(printed);

    rmSync(filler!);
    const report = await runCli(['report', runId!, '--runs-dir', runsDir, '--format', 'json']);
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ runId });

    const resumed = await runCli(['resume', runId!, '--runs-dir', runsDir, '--json']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const last = resumed.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
    const done = last.find((e) => e.type === 'run-ended') as Extract<RunEvent, { type: 'run-ended' }>;
    expect(done).toMatchObject({ status: 'succeeded', outputs: { jobStatus: 'COMPLETED' } });

    // The sandbox kept its state in its data dir: exactly one data store, the run's.
    const sb = await startDemoSandbox({ dataDir: sandboxDataDir(env()) });
    try {
      const mi = new MedicalImagingClient({ region: sb.target.region, endpoint: sb.target.endpoint, credentials: sb.target.credentials });
      const list = await mi.send(new ListDatastoresCommand({}));
      expect(list.datastoreSummaries?.map((d) => d.datastoreId)).toEqual([done.outputs.datastoreId]);
      mi.destroy();
    } finally {
      await sb.sandbox.close();
    }
  }, 120_000);
});
