/**
 * The app's Resume of a run another process drives, and two Resumes at once: the page gets a
 * readable "in use" message (through the same redaction the IPC error path applies), and the run
 * is driven once, its seq unique and increasing.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SANDBOX_PROFILE } from '../../contract/ipc';
import { createHandlers } from '../main/handlers';
import { safeErrorMessage } from '../main/redact';

const target = { profile: SANDBOX_PROFILE, region: 'us-east-1' };

describe('Resume of a run in use', () => {
  it('another live process holds it: a readable in-use message; two Resumes at once: one drives the run, the other is refused', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handlers-in-use-'));
    const make = () =>
      createHandlers({
        runsDir: path.join(dir, 'runs'),
        userDataDir: dir,
        env: { AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none') },
        dialogs: { saveReport: async () => undefined },
        openExternal: async () => undefined,
        printToPdf: async () => Buffer.alloc(0),
        push: () => undefined,
        sandboxTimeScale: 15,
      });
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      // A resumable run: the app was closed while it polled its data store.
      const first = make();
      const { runId } = await first['run:start']({ ...target, inputs: await first['inputs:defaults'](target) });
      await vi.waitFor(async () => expect((await first['runs:events']({ runId })).some((e) => e.type === 'waiting')).toBe(true), { timeout: 20_000 });
      await first.dispose();

      const app = make();
      const lockFile = path.join(dir, 'runs', runId, 'run.lock');
      writeFileSync(lockFile, JSON.stringify({ pid: other.pid, host: hostname(), startedAt: new Date().toISOString() }));
      const before = await app['runs:events']({ runId });
      const refused = await app['run:resume']({ runId }).catch((e: unknown) => e);
      expect(safeErrorMessage(refused)).toBe(`Run ${runId} is in use by another process (pid ${other.pid} on ${hostname()}). Wait for it to end, or stop it, then resume.`);
      expect(await app['runs:events']({ runId })).toEqual(before);

      // That process ended without cleaning up; two Resumes at once (a double click).
      await new Promise((r) => {
        other.once('exit', r);
        other.kill('SIGKILL');
      });
      const results = await Promise.allSettled([app['run:resume']({ runId }), app['run:resume']({ runId })]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
      expect(safeErrorMessage(rejected.reason)).toMatch(new RegExp(`^Run ${runId} is already running`));

      await vi.waitFor(async () => expect((await app['runs:events']({ runId })).some((e) => e.type === 'run-ended' && e.status === 'succeeded')).toBe(true), { timeout: 60_000, interval: 200 });
      const events = await app['runs:events']({ runId });
      const seqs = events.map((e) => e.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      expect(events.filter((e) => e.type === 'run-resumed')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'request-sent' && e.operationId === 'StartDICOMImportJob')).toHaveLength(1);
      await app.dispose();
    } finally {
      other.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
