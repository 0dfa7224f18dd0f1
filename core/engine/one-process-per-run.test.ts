/**
 * One process per run: two resumes at once (the issue saw every event written twice, two
 * run-ended and StartDICOMImportJob sent twice), a run held by another process, the lock's life.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../runs/run-lock';
import { RunStoreError } from '../runs/run-store';
import { createManualClock } from './manual-clock';
import { resumeRun, RunInUseError, startRun } from './run';
import { createFakeHealthImaging } from './test-support/fake-healthimaging';
import { CONTEXT, ONBOARD, SEED_INPUTS, SEED_TEXT, seedDocument, tempStore, types } from './test-support/harness';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

/** A run cancelled while polling its new data store: StartDICOMImportJob not sent yet. */
async function interruptedRun() {
  const fake = createFakeHealthImaging({ datastoreStatuses: ['CREATING', 'ACTIVE'], jobStatuses: ['IN_PROGRESS', 'COMPLETED'] });
  const t = tempStore();
  cleanups.push(t.cleanup);
  const document = seedDocument(fake);
  const clock = createManualClock();
  const run = startRun({ document, documentText: SEED_TEXT, workflowId: ONBOARD, inputs: SEED_INPUTS, binding: fake, store: t.store, context: CONTEXT, clock });
  await clock.sleeping();
  run.cancel();
  expect((await run.done).status).toBe('cancelled');
  const resume = () => resumeRun({ runId: run.runId, document, documentText: SEED_TEXT, binding: fake, store: t.store, clock: createManualClock({ auto: true }) });
  return { fake, ...t, runId: run.runId, lockFile: join(t.dir, run.runId, LOCK_FILE), resume };
}

function expectSeqUniqueAndIncreasing(seqs: number[]): void {
  expect(new Set(seqs).size).toBe(seqs.length);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(seqs).toEqual(seqs.map((_, i) => i + 1));
}

describe('one process per run', () => {
  it('two resumes at once in one process: exactly one proceeds, the other rejects with RunInUseError; seq stays unique and increasing', async () => {
    const { fake, store, runId, lockFile, resume } = await interruptedRun();
    const results = await Promise.allSettled([resume(), resume()]);
    const proceeded = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(proceeded).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(RunInUseError);
    expect(refused[0]!.reason).toMatchObject({ runId, pid: process.pid });

    const ended = await proceeded[0]!.value.done;
    expect(ended.status).toBe('succeeded');
    const log = await store.read(runId);
    expectSeqUniqueAndIncreasing(log.map((e) => e.seq));
    expect(types(log).filter((t) => t === 'run-resumed')).toHaveLength(1);
    expect(types(log).filter((t) => t === 'run-ended')).toHaveLength(2); // the cancel and the end
    expect(fake.count('StartDICOMImportJob')).toBe(1);
    expect(fake.created.datastores).toBe(1);
    // Released with the run's end: a later resume is refused for what the run is, not for a lock.
    expect(existsSync(lockFile)).toBe(false);
  });

  it('a running run holds the lock (pid, host, start time) and releases it when it ends', async () => {
    const fake = createFakeHealthImaging({ datastoreStatuses: ['CREATING', 'ACTIVE'], jobStatuses: ['COMPLETED'] });
    const t = tempStore();
    cleanups.push(t.cleanup);
    const clock = createManualClock();
    const document = seedDocument(fake);
    const run = startRun({ document, documentText: SEED_TEXT, workflowId: ONBOARD, inputs: SEED_INPUTS, binding: fake, store: t.store, context: CONTEXT, clock });
    await clock.sleeping();
    const lockFile = join(t.dir, run.runId, LOCK_FILE);
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), startedAt: expect.any(String) });
    await expect(resumeRun({ runId: run.runId, document, documentText: SEED_TEXT, binding: fake, store: t.store })).rejects.toThrow(RunInUseError);
    // The refused resume must not have released the running run's lock.
    expect(existsSync(lockFile)).toBe(true);
    run.cancel();
    await run.done;
    expect(existsSync(lockFile)).toBe(false);
  });

  it('a run locked by another live process: "in use by another process (pid N)", nothing appended; once it has died, resume takes over', async () => {
    const { store, runId, lockFile, resume } = await interruptedRun();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    cleanups.push(() => other.kill());
    writeFileSync(lockFile, JSON.stringify({ pid: other.pid, host: hostname(), startedAt: new Date().toISOString() }));
    const before = await store.read(runId);
    const e = (await resume().catch((x: unknown) => x)) as RunInUseError;
    expect(e).toBeInstanceOf(RunInUseError);
    expect(e.message).toBe(`Run ${runId} is in use by another process (pid ${other.pid} on ${hostname()}). Wait for it to end, or stop it, then resume.`);
    expect(await store.read(runId)).toEqual(before);

    // The other process is killed without cleaning up: its lock is stale and taken over.
    await new Promise((r) => {
      other.once('exit', r);
      other.kill('SIGKILL');
    });
    const ended = await (await resume()).done;
    expect(ended.status).toBe('succeeded');
    expectSeqUniqueAndIncreasing((await store.read(runId)).map((x) => x.seq));
    expect(existsSync(lockFile)).toBe(false);
  });

  it('starting a run whose id another live process holds: it ends RunInUseError with nothing recorded', async () => {
    const fake = createFakeHealthImaging();
    const t = tempStore();
    cleanups.push(t.cleanup);
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    cleanups.push(() => other.kill());
    mkdirSync(join(t.dir, 'taken'));
    writeFileSync(join(t.dir, 'taken', LOCK_FILE), JSON.stringify({ pid: other.pid, host: hostname(), startedAt: new Date().toISOString() }));
    const seen: string[] = [];
    const run = startRun({ document: seedDocument(fake), documentText: SEED_TEXT, workflowId: ONBOARD, inputs: SEED_INPUTS, binding: fake, store: t.store, context: CONTEXT, runId: 'taken', onEvent: (e) => seen.push(e.type) });
    const ended = await run.done;
    expect(ended).toMatchObject({ status: 'error', resumable: false, error: { code: 'RunInUseError', message: expect.stringContaining(`pid ${other.pid}`) } });
    expect(seen).toEqual(['run-ended']);
    expect(fake.calls).toHaveLength(0);
    expect(existsSync(join(t.dir, 'taken', 'header.json'))).toBe(false);
    expect(existsSync(join(t.dir, 'taken', 'events.ndjson'))).toBe(false);
  });

  it('resuming a run that does not exist names the run and leaves no folder behind', async () => {
    const t = tempStore();
    cleanups.push(t.cleanup);
    const fake = createFakeHealthImaging();
    await expect(resumeRun({ runId: 'no-such-run', document: seedDocument(fake), documentText: SEED_TEXT, binding: fake, store: t.store })).rejects.toThrow(RunStoreError);
    expect(existsSync(join(t.dir, 'no-such-run'))).toBe(false);
  });
});
