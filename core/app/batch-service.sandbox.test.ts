/**
 * The app's batch runner (core/app/batch-service.ts) as the handlers use it: over the session
 * registry and the sandbox host at the app's demo pace, through the real SDK. The sandbox's demo
 * archive (30 files) at 12 files per job is 4 jobs: started, paused (nothing new starts), resumed,
 * watched to its end through the progress events, then reported and listed from its ledger.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateDatastoreCommand, GetDatastoreCommand, paginateListDICOMImportJobs } from '@aws-sdk/client-medical-imaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_PROFILE, type BatchProgressUpdate } from '../../contract/ipc';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { BatchPreflightError } from './batch-preflight';
import { createBatchService } from './batch-service';
import { BatchNeedsStagingError } from './batches';
import { createSandboxHost, DEMO_TIME_SCALE, sandboxTarget } from './sandbox-host';
import { createSessionRegistry } from './sessions';

const target = { profile: SANDBOX_PROFILE, region: 'us-east-1' };
let dir: string;
let sandbox: Sandbox | undefined;
const requests: string[] = [];
const host = createSandboxHost(async () => {
  sandbox = await startSandbox({ dataDir: path.join(dir, 'sandbox'), timeScale: DEMO_TIME_SCALE, demoData: true, log: (l) => requests.push(l) });
  return sandbox;
});
const sessions = createSessionRegistry({ env: {}, sandbox: async () => sandboxTarget(await host.get()) });
let datastoreId: string;
const ended: Array<{ batchId: string; outcome: string }> = [];
let service: ReturnType<typeof createBatchService>;

const starts = () => requests.filter((l) => / medical-imaging:StartDICOMImportJob 200 /.test(l)).length;

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'batch-service-'));
  const session = await sessions.sessionFor(target);
  datastoreId = (await session.medicalImaging.send(new CreateDatastoreCommand({ datastoreName: 'batch-service', clientToken: 'batch-service' }))).datastoreId!;
  await until('the data store', async () => {
    const { datastoreProperties } = await session.medicalImaging.send(new GetDatastoreCommand({ datastoreId }));
    return datastoreProperties?.datastoreStatus === 'ACTIVE' ? true : undefined;
  });
  service = createBatchService({ runsDir: path.join(dir, 'runs'), sessions, onEnded: (batchId, outcome) => ended.push({ batchId, outcome }) });
}, 60_000);
afterAll(async () => {
  await service?.stopAll('test over');
  await sessions.closeAll();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

const request = () => {
  const demo = sandbox!.demo;
  return { ...target, datastoreId, inputS3Uri: demo.inputS3Uri, outputS3Uri: demo.outputS3Uri, dataAccessRoleArn: demo.dataAccessRoleArn, limits: { maxFiles: 12 } };
};

describe('the app batch service against the sandbox', () => {
  it('a folder over the limit without stageTo: rejected with the fix, nothing started', async () => {
    await host.get();
    const before = starts();
    const error = await service.start({ ...request(), limits: { maxFiles: 7 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchNeedsStagingError);
    expect((error as Error).message).toMatch(/dicom\/SBX0001\/series-1\/[\s\S]*--stage-to/);
    expect(starts()).toBe(before);
    expect(await service.list()).toEqual([]);
  });

  it('starts the demo archive as 4 jobs, pauses, resumes, ends completed; progress, report and list agree', async () => {
    const updates: BatchProgressUpdate[] = [];
    const stop = service.onProgress((u) => updates.push(u));
    const before = starts();
    const { batchId } = await service.start({ ...request(), concurrency: 1 });
    expect(batchId).toMatch(/^batch-/);
    await service.pause(batchId);
    expect(updates.at(-1)?.progress.paused).toBe(true);

    // Paused: the job already started (at most one, at concurrency 1) ends; nothing new starts.
    await until('the first job to end', () => (updates.at(-1)?.progress.jobs.completed ?? 0) >= 1 || undefined);
    await new Promise((r) => setTimeout(r, 5_000));
    expect(starts() - before).toBe(1);
    const paused = await service.report(batchId);
    expect(paused.state).toBe('running');
    expect(paused.jobs.filter((j) => j.status === 'queued')).toHaveLength(3);
    expect((await service.list()).find((b) => b.batchId === batchId)).toMatchObject({ state: 'running', paused: true });
    await expect(service.pause('batch-nope-20260101')).rejects.toThrow(/No batch batch-nope-20260101 is recorded/);

    await service.resume(batchId);
    expect(updates.at(-1)?.progress.paused).toBe(false);
    await until('the batch to end', () => ended.find((e) => e.batchId === batchId));
    stop();
    expect(ended.find((e) => e.batchId === batchId)?.outcome).toBe('completed');

    // Progress: every job's state with it, the last one all done.
    const last = updates.filter((u) => u.batchId === batchId).at(-1)!;
    expect(last.progress.jobs).toEqual({ total: 4, queued: 0, running: 0, completed: 4, failed: 0 });
    expect(last.progress.files).toEqual({ planned: 30, imported: 30, failed: 0 });
    expect(last.jobs.map((j) => j.state)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(updates.some((u) => u.jobs.some((j) => j.state === 'SUBMITTED' || j.state === 'IN_PROGRESS'))).toBe(true);

    const report = await service.report(batchId);
    expect(report.state).toBe('completed');
    expect(report.totals).toEqual({ scanned: 30, imported: 30, failed: 0, imageSets: expect.any(Number) });
    expect(report.jobs.map((j) => j.inputS3Uri.replace(/^s3:\/\/[^/]+\//, ''))).toEqual(['dicom/SBX0001/series-1/', 'dicom/SBX0001/series-2/', 'dicom/SBX0002/', 'dicom/SBX0003/']);
    expect(report.jobs.map((j) => j.files).reduce((a, b) => a + b)).toBe(30);

    // Exactly the planned jobs in HealthImaging, one each.
    const session = await sessions.sessionFor(target);
    const inAws = [];
    for await (const page of paginateListDICOMImportJobs({ client: session.medicalImaging }, { datastoreId })) inAws.push(...(page.jobSummaries ?? []));
    expect(inAws.map((j) => j.jobId).sort()).toEqual(report.jobs.map((j) => j.jobId).sort());

    expect(await service.list()).toEqual([
      expect.objectContaining({ batchId, state: 'completed', paused: false, sandbox: true, datastoreId, jobs: 4, filesPlanned: 30, filesImported: 30, filesFailed: 0, endedAt: expect.any(String) }),
    ]);
    expect(service.activeCount).toBe(0);
    // An ended batch has nothing to resume or pause.
    await expect(service.resume(batchId)).rejects.toThrow(/has ended/);
    await expect(service.pause(batchId)).rejects.toThrow(/not running in this app/);
  }, 150_000);

  it('an unknown batch id is rejected by report, resume and cancel', async () => {
    for (const call of [() => service.report('batch-20260101T000000Z-nope'), () => service.resume('batch-20260101T000000Z-nope'), () => service.cancel('batch-20260101T000000Z-nope')])
      await expect(call()).rejects.toThrow(/No batch batch-20260101T000000Z-nope is recorded in this app/);
    await expect(service.report('../../etc')).rejects.toThrow(/invalid batch id/);
  });

  it('an interrupted batch (its driver stopped) is taken over by resume and ends without starting a prefix twice', async () => {
    const other = createBatchService({ runsDir: path.join(dir, 'runs'), sessions });
    const { batchId } = await other.start({ ...request(), concurrency: 2 });
    await until('a job to be submitted', async () => ((await other.report(batchId)).jobs.some((j) => j.jobId) ? true : undefined));
    // The app quits: the batch stays resumable, its started jobs run on in HealthImaging.
    await other.stopAll('the app was closed');
    expect((await service.report(batchId)).state).toBe('interrupted');
    const before = starts();
    await service.resume(batchId);
    await until('the resumed batch to end', () => ended.find((e) => e.batchId === batchId), 120_000);
    const report = await service.report(batchId);
    expect(report.state).toBe('completed');
    expect(report.totals.imported).toBe(30);
    expect(report.jobs.every((j) => j.attempts === 1)).toBe(true);
    // Resent tokens return the jobs already started: the resume started at most the rest.
    const session = await sessions.sessionFor(target);
    const inAws = [];
    for await (const page of paginateListDICOMImportJobs({ client: session.medicalImaging }, { datastoreId })) inAws.push(...(page.jobSummaries ?? []));
    expect(new Set(inAws.map((j) => j.jobId)).size).toBe(8);
    expect(starts() - before).toBeLessThanOrEqual(4);
  }, 150_000);

  it('interruptAll (the window closed with Stop) leaves the batch resumable and the service open', async () => {
    const own = createBatchService({ runsDir: path.join(dir, 'runs'), sessions, onEnded: (batchId, outcome) => ended.push({ batchId, outcome }) });
    const { batchId } = await own.start({ ...request(), concurrency: 1 });
    expect(own.activeCount).toBe(1);
    await until('a job to be submitted', async () => ((await own.report(batchId)).jobs.some((j) => j.jobId) ? true : undefined));
    await own.interruptAll('the window was closed with Stop');
    expect(own.activeCount).toBe(0);
    // Not an end: no notification, the ledger has no end, History offers Resume.
    expect(ended.some((e) => e.batchId === batchId)).toBe(false);
    expect((await own.report(batchId)).state).toBe('interrupted');
    await own.resume(batchId);
    expect(own.activeCount).toBe(1);
    await until('the resumed batch to end', () => ended.find((e) => e.batchId === batchId), 120_000);
    const report = await own.report(batchId);
    expect(report.state).toBe('completed');
    expect(report.totals.imported).toBe(30);
    expect(report.jobs.every((j) => j.attempts === 1)).toBe(true);
    await own.stopAll('test over');
  }, 150_000);

  it('with stageTo, the folder over the limit is copied into parts (CopyObject) and imported with the rest', async () => {
    const copiesBefore = requests.filter((l) => / s3:CopyObject 200 /.test(l)).length;
    const { batchId } = await service.start({ ...request(), limits: { maxFiles: 7 }, stageTo: `s3://${sandbox!.demo.bucket}/staging/`, concurrency: 3 });
    await until('the staged batch to end', () => ended.find((e) => e.batchId === batchId), 120_000);
    const report = await service.report(batchId);
    expect(report.state).toBe('completed');
    expect(report.totals.imported).toBe(30);
    expect(report.jobs.some((j) => /\/staging\/.*part-0001\/$/.test(j.inputS3Uri))).toBe(true);
    expect(requests.filter((l) => / s3:CopyObject 200 /.test(l)).length - copiesBefore).toBeGreaterThan(7);
  }, 150_000);

  it('a role that cannot write the output location: start is refused by the preflight, nothing started', async () => {
    const before = starts();
    const error = await service.start({ ...request(), outputS3Uri: `s3://${sandbox!.demo.bucket}/elsewhere/` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchPreflightError);
    expect((error as Error).message).toMatch(/role-permissions[\s\S]*Nothing was started[\s\S]*s3:PutObject/);
    expect(starts()).toBe(before);
  });
});
