/**
 * The batch runner against the sandbox through the real SDK, on a clock where the runner's waits
 * move the sandbox's time: the ledger's order and lock, a 402 that must never lose a prefix, a kill
 * between job-submitting and job-submitted, throttling and expired credentials, FAILED prefixes
 * retried only when asked, and a cancel that leaves jobs running in AWS for the resume.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDatastoreCommand, paginateListDICOMImportJobs, StartDICOMImportJobCommand } from '@aws-sdk/client-medical-imaging';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { syntheticInstance } from '../../sandbox/dicom-writer';
import { uidFor } from '../../sandbox/demo-data';
import { clients } from '../../sandbox/test-clients';
import { sandboxDrivenClock } from '../engine/test-support/sandbox-clock';
import { batchReport, resumeBatch, startBatch, type BatchOutcome } from '../app/batches';
import { BatchInUseError, BatchLedger, batchDir, clientTokenFor, LEDGER_FILE, readLedger } from './ledger';
import { planArchive } from './plan';
import { jobNameFor, type BatchRunnerEvent } from './runner';

const BUCKET = 'healthimaging-sandbox-demo';
let dir: string;
let sb: Sandbox;
let c: ReturnType<typeof clients>;
let datastoreId: string;

async function setUp(opts: { maxConcurrentImports?: number } = {}) {
  sb = await startSandbox({ dataDir: join(dir, 'sandbox'), manualClock: true, timings: { datastoreCreateMs: 60_000, importSubmittedMs: 10_000, importBaseMs: 10 * 60_000, importPerFileMs: 60_000 }, ...opts });
  c = clients(sb);
  datastoreId = (await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'runner', clientToken: 'runner' }))).datastoreId!;
  sb.clock.advance(60_000);
}

/** Folders of tiny valid DICOM files straight into the sandbox's S3 (its DATA/s3 folders); returns the plan over them. */
function archive(folders: Record<string, number>) {
  const objects: Array<{ key: string; size: number }> = [];
  for (const [folder, n] of Object.entries(folders)) {
    const d = join(dir, 'sandbox', 's3', BUCKET, 'arch', folder);
    mkdirSync(d, { recursive: true });
    for (let i = 0; i < n; i++) {
      const body = syntheticInstance({ patientName: 'Run^Ner', patientId: folder, studyUid: uidFor(`r:${folder}`), seriesUid: uidFor(`r:${folder}:s`), sopInstanceUid: uidFor(`r:${folder}:${i}`), modality: 'OT', studyDate: '20240101', studyDescription: 's', seriesDescription: 's', seriesNumber: 1, instanceNumber: i + 1 });
      writeFileSync(join(d, `${i}.dcm`), body);
      objects.push({ key: `arch/${folder}/${i}.dcm`, size: body.length });
    }
  }
  // Each folder just fits, the whole archive does not: one job per folder.
  return planArchive(`s3://${BUCKET}/arch/`, objects, { maxFiles: Math.max(...Object.values(folders)), maxBytes: 10e9, maxFolders: 10_000, maxFileBytes: 10e9 });
}

const inputs = () => ({ datastoreId, inputS3Uri: `s3://${BUCKET}/arch/`, outputS3Uri: `s3://${BUCKET}/output/runner/`, dataAccessRoleArn: sb.demo.dataAccessRoleArn });
const runsDir = () => join(dir, 'runs');

async function jobsInAws() {
  const all = [];
  for await (const page of paginateListDICOMImportJobs({ client: c.mi }, { datastoreId })) all.push(...(page.jobSummaries ?? []));
  return all;
}

function start(plan: ReturnType<typeof archive>, extra: Partial<Parameters<typeof startBatch>[0]> = {}, events: BatchRunnerEvent[] = []): Promise<BatchOutcome> {
  return startBatch({
    session: { medicalImaging: c.mi, s3: c.s3 },
    runsDir: runsDir(),
    plan,
    inputs: inputs(),
    target: { region: sb.region, sandbox: true },
    clock: sandboxDrivenClock(sb),
    pacing: { pollIntervalMs: 30_000, credentialRetryMs: 60_000 },
    onEvent: (e) => events.push(e),
    ...extra,
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ahi-runner-'));
});
afterEach(async () => {
  c?.mi.destroy();
  c?.s3.destroy();
  await sb?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('runBatch', () => {
  it('imports every planned prefix once; the ledger records each start before it is sent and folds into the report', async () => {
    await setUp();
    const plan = archive({ A: 3, B: 5, C: 2 });
    const out = await start(plan, { concurrency: 2 });
    expect(out.outcome).toBe('completed');
    const aws = await jobsInAws();
    expect(aws.map((j) => j.jobName).sort()).toEqual(['batch-arch/A', 'batch-arch/B', 'batch-arch/C']);
    const { records } = await readLedger(runsDir(), out.batchId);
    const types = records.map((r) => r.type);
    expect(types[0]).toBe('batch-started');
    expect(types[types.length - 1]).toBe('batch-ended');
    for (const uri of plan.jobs.map((j) => j.inputS3Uri)) {
      const submitting = records.findIndex((r) => r.type === 'job-submitting' && r.inputS3Uri === uri);
      const submitted = records.findIndex((r) => r.type === 'job-submitted' && r.inputS3Uri === uri);
      expect(submitting).toBeGreaterThan(0);
      expect(submitted).toBeGreaterThan(submitting);
    }
    const report = await batchReport(runsDir(), out.batchId);
    expect(report.state).toBe('completed');
    expect(report.totals).toEqual({ scanned: 10, imported: 10, failed: 0, imageSets: 3 });
    expect(report.jobs.map((j) => j.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    // Watched by list: Gets only for the jobs that ended, never one per job per poll.
    expect(report.apiCalls['GetDICOMImportJob']).toBe(3);
    expect(report.apiCalls['StartDICOMImportJob']).toBe(3);
  });

  it('a 402 (someone else\'s job holds the quota) puts the prefix back and lowers the concurrency; nothing is lost or started twice', async () => {
    await setUp({ maxConcurrentImports: 2 });
    // A job the batch does not know about takes one of the two slots.
    await c.mi.send(new StartDICOMImportJobCommand({ datastoreId, dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: sb.demo.inputS3Uri, outputS3Uri: sb.demo.outputS3Uri, clientToken: 'foreign' }));
    const plan = archive({ A: 1, B: 1, C: 1 });
    const events: BatchRunnerEvent[] = [];
    const out = await start(plan, { concurrency: 2 }, events);
    expect(out.outcome).toBe('completed');
    expect(events.filter((e) => e.type === 'quota').length).toBeGreaterThanOrEqual(1);
    const ours = (await jobsInAws()).filter((j) => j.jobName?.startsWith('batch-'));
    expect(ours.map((j) => j.jobName).sort()).toEqual(['batch-arch/A', 'batch-arch/B', 'batch-arch/C']);
    const { records } = await readLedger(runsDir(), out.batchId);
    expect(records.some((r) => r.type === 'job-requeued')).toBe(true);
  });

  it('a kill between job-submitting and job-submitted: the resume sends the same token and gets the job already started', async () => {
    await setUp();
    const plan = archive({ A: 2, B: 2 });
    const ledger = await BatchLedger.create(runsDir(), 'batch-killed-1', { inputs: inputs(), target: { region: sb.region, sandbox: true }, limits: plan.limits, concurrency: 5, plan: { jobs: plan.jobs, unsplittable: [], totals: plan.totals } });
    const a = plan.jobs[0]!.inputS3Uri;
    const token = clientTokenFor('batch-killed-1', a);
    await ledger.append({ type: 'job-submitting', inputS3Uri: a, clientToken: token, attempt: 1 });
    // The start reached AWS; the process died before recording its answer.
    const sent = await c.mi.send(new StartDICOMImportJobCommand({ datastoreId, dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: a, outputS3Uri: inputs().outputS3Uri, clientToken: token, jobName: jobNameFor(a) }));
    await ledger.close();
    // A torn last line, as a kill mid-write leaves it, is tolerated.
    appendFileSync(join(batchDir(runsDir(), 'batch-killed-1'), LEDGER_FILE), '{"seq":99,"type":"job-sub');
    const events: BatchRunnerEvent[] = [];
    const out = await resumeBatch({ session: { medicalImaging: c.mi, s3: c.s3 }, runsDir: runsDir(), batchId: 'batch-killed-1', clock: sandboxDrivenClock(sb), pacing: { pollIntervalMs: 30_000 }, onEvent: (e) => events.push(e) });
    expect(out.outcome).toBe('completed');
    expect(events).toContainEqual(expect.objectContaining({ type: 'submitted', inputS3Uri: a, jobId: sent.jobId, resent: true }));
    expect((await jobsInAws()).map((j) => j.jobName).sort()).toEqual(['batch-arch/A', 'batch-arch/B']);
    expect(readFileSync(join(batchDir(runsDir(), 'batch-killed-1'), LEDGER_FILE), 'utf8')).not.toContain('"job-sub\n');
  });

  it('a second process on the same batch is refused with "in use"; throttling backs off and expired credentials pause, then go on', async () => {
    await setUp();
    const plan = archive({ A: 1, B: 1 });
    sb.faults.failNext('ListDICOMImportJobs', 2, 'ThrottlingException');
    const events: BatchRunnerEvent[] = [];
    let second: unknown;
    const out = await start(
      plan,
      {
        concurrency: 5,
        onStarted: (id) => {
          sb.faults.failNext('GetDICOMImportJob', 1, 'ExpiredTokenException');
          second = BatchLedger.open(runsDir(), id).then(
            () => 'opened',
            (e: unknown) => e,
          );
        },
      },
      events,
    );
    expect(await second).toBeInstanceOf(BatchInUseError);
    expect(((await second) as Error).message).toMatch(/is in use: this process \(pid \d+\) already drives it/);
    expect(out.outcome).toBe('completed');
    expect(events.filter((e) => e.type === 'backoff' && e.operation === 'ListDICOMImportJobs')).toHaveLength(2);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['paused', 'unpaused']));
    const { records } = await readLedger(runsDir(), out.batchId);
    expect(records.filter((r) => r.type === 'batch-paused')).toHaveLength(1);
  });

  it('FAILED prefixes are retried only when asked, as a new attempt with its own token', async () => {
    await setUp();
    const plan = archive({ A: 1, 'fail-import': 1 });
    const first = await start(plan, { concurrency: 5 });
    expect(first.outcome).toBe('failed');
    const again = await resumeBatch({ session: { medicalImaging: c.mi, s3: c.s3 }, runsDir: runsDir(), batchId: first.batchId, clock: sandboxDrivenClock(sb) });
    expect(again.outcome).toBe('failed');
    expect((await jobsInAws()).length).toBe(2);
    const retried = await resumeBatch({ session: { medicalImaging: c.mi, s3: c.s3 }, runsDir: runsDir(), batchId: first.batchId, clock: sandboxDrivenClock(sb), retryFailed: true, pacing: { pollIntervalMs: 30_000 } });
    expect(retried.outcome).toBe('failed');
    const failed = retried.report.jobs.find((j) => j.inputS3Uri.includes('fail-import'))!;
    expect(failed.attempts).toBe(2);
    expect((await jobsInAws()).length).toBe(3);
    const { records } = await readLedger(runsDir(), first.batchId);
    expect(records.filter((r) => r.type === 'job-submitting' && r.inputS3Uri === failed.inputS3Uri).map((r) => (r as { clientToken: string }).clientToken)).toEqual([
      clientTokenFor(first.batchId, failed.inputS3Uri),
      clientTokenFor(first.batchId, failed.inputS3Uri, 2),
    ]);
  });

  it('cancel stops sending and leaves running jobs running; the resume picks them up and starts the rest', async () => {
    await setUp();
    const plan = archive({ A: 1, B: 1, C: 1, D: 1 });
    const abort = new AbortController();
    const first = await start(plan, { concurrency: 2, signal: abort.signal, onEvent: (e) => e.type === 'submitted' && abort.abort(new Error('stop')) });
    expect(first.outcome).toBe('interrupted');
    expect(first.report.state).toBe('interrupted');
    const running = await jobsInAws();
    expect(running).toHaveLength(1);
    expect(running[0]!.jobStatus).not.toBe('COMPLETED');
    const resumed = await resumeBatch({ session: { medicalImaging: c.mi, s3: c.s3 }, runsDir: runsDir(), batchId: first.batchId, clock: sandboxDrivenClock(sb), pacing: { pollIntervalMs: 30_000 } });
    expect(resumed.outcome).toBe('completed');
    expect((await jobsInAws()).map((j) => j.jobName).sort()).toEqual(['batch-arch/A', 'batch-arch/B', 'batch-arch/C', 'batch-arch/D']);
    expect(resumed.report.totals.imported).toBe(4);
  });
});

describe('BatchControl', () => {
  it('paused starts nothing new while the running jobs are still recorded; cancelled ends the batch once they have', async () => {
    await setUp();
    const plan = archive({ A: 1, B: 1, C: 1 });
    const control = { paused: false, cancelled: false };
    const events: BatchRunnerEvent[] = [];
    const out = await start(
      plan,
      {
        concurrency: 5,
        control,
        onEvent: (e) => {
          events.push(e);
          // After the first start: pause; once that job is recorded ended, cancel.
          if (e.type === 'submitted') control.paused = true;
          if (e.type === 'job-ended') control.cancelled = true;
        },
      },
      events,
    );
    expect(out.outcome).toBe('cancelled');
    expect(events.filter((e) => e.type === 'submitted')).toHaveLength(1);
    expect(await jobsInAws()).toHaveLength(1);
    expect(out.report.state).toBe('cancelled');
    expect(out.report.jobs.map((j) => j.status)).toEqual(['COMPLETED', 'queued', 'queued']);
  });
});
