/**
 * The "Import an archive" handlers. 'batch:plan' is real: it lists the embedded sandbox's demo
 * archive through the SDK's S3 client (ListObjectsV2) and cuts it into jobs; bad input is refused
 * with the field named and nothing sent. The commands that run a batch go to a BatchService:
 * here a small in-memory one, a test double of the runner for the handler WIRING only (which
 * command reaches which method, progress reaching the window, the report exported where the user
 * picked); the runner itself is tested against the sandbox in core/batch.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_PROFILE, type BatchProgressUpdate, type BatchStartRequest, type PushName, type Pushes } from '../../contract/ipc';
import { parseRequest } from '../../contract/schemas';
import type { BatchService } from '../../core/app/batch-service-types';
import { completedWithErrorsBatch } from '../../core/report/__fixtures__/batch-scenarios';
import type { Sandbox } from '../../sandbox/index';
import { createHandlers, type Handlers } from '../main/handlers';
import { defaultConcurrency, expectedApiCalls } from '../main/handlers/batches';

const SANDBOX = { profile: SANDBOX_PROFILE, region: 'us-east-1' };
const DATASTORE = '0123456789abcdef0123456789abcdef';

/** Records what the handlers asked; answers like a runner would. Never calls AWS. */
function memoryBatchService() {
  const calls: string[] = [];
  const listeners = new Set<(u: BatchProgressUpdate) => void>();
  const report = completedWithErrorsBatch();
  const service: BatchService = {
    async start(request: BatchStartRequest) {
      calls.push(`start ${request.inputS3Uri} ${request.concurrency ?? '-'}`);
      return { batchId: report.batchId };
    },
    async pause(id) {
      calls.push(`pause ${id}`);
    },
    async resume(id) {
      calls.push(`resume ${id}`);
    },
    async cancel(id) {
      calls.push(`cancel ${id}`);
    },
    async list() {
      return [];
    },
    async report(id) {
      if (id !== report.batchId) throw new Error(`No batch ${id}.`);
      return report;
    },
    onProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const emit = (u: BatchProgressUpdate) => listeners.forEach((l) => l(u));
  return { service, calls, emit, listeners, report };
}

let dir: string;
let sandbox: Sandbox;
let withService: Handlers;
let without: Handlers;
let saveTo: string | undefined;
const pushes: Array<[PushName, unknown]> = [];
const fake = memoryBatchService();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'batch-handlers-'));
  const common = {
    userDataDir: dir,
    env: { AWS_CONFIG_FILE: path.join(dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials') },
    dialogs: { saveReport: async () => saveTo },
    openExternal: async () => undefined,
    printToPdf: async (html: string) => Buffer.from(`%PDF-1.7\n% ${html.length}\n`),
  };
  let started!: (s: Sandbox) => void;
  const sandboxReady = new Promise<Sandbox>((r) => (started = r));
  withService = createHandlers({
    ...common,
    runsDir: path.join(dir, 'runs'),
    push: <P extends PushName>(name: P, payload: Pushes[P]) => void pushes.push([name, payload]),
    onSandboxStarted: started,
    batchService: () => fake.service,
  });
  without = createHandlers({ ...common, userDataDir: path.join(dir, 'b'), runsDir: path.join(dir, 'runs-b'), push: () => undefined });
  await withService['identity:check'](SANDBOX);
  sandbox = await sandboxReady;
}, 60_000);

afterAll(async () => {
  await withService?.dispose();
  await without?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const archive = () => ({ ...SANDBOX, datastoreId: DATASTORE, inputS3Uri: sandbox.demo.inputS3Uri, outputS3Uri: sandbox.demo.outputS3Uri, dataAccessRoleArn: sandbox.demo.dataAccessRoleArn });

describe('batch:plan against the sandbox', () => {
  it('lists the demo archive and plans it as one job within the default limits', async () => {
    const plan = await withService['batch:plan'](archive());
    expect(plan.inputS3Uri).toBe(sandbox.demo.inputS3Uri);
    expect(plan.jobs).toEqual([{ inputS3Uri: sandbox.demo.inputS3Uri, files: 30, bytes: plan.totals.bytes }]);
    expect(plan.totals.files).toBe(30);
    expect(plan.unsplittable).toEqual([]);
    expect(plan.listCalls).toBe(1);
    expect(plan.expectedApiCalls).toEqual({ ListObjectsV2: 1, StartDICOMImportJob: 1, 'ListDICOMImportJobs per poll': 1, GetObject: 1 });
  }, 30_000);

  it('cuts it along studies and series under a lower file limit, and names a folder that cannot be cut', async () => {
    const plan = await withService['batch:plan']({ ...archive(), limits: { maxFiles: 12 } });
    expect(plan.jobs.map((j) => [j.inputS3Uri.slice(sandbox.demo.inputS3Uri.length), j.files])).toEqual([
      ['SBX0001/series-1/', 8],
      ['SBX0001/series-2/', 6],
      ['SBX0002/', 12],
      ['SBX0003/', 4],
    ]);
    const tight = await withService['batch:plan']({ ...archive(), limits: { maxFiles: 7 } });
    expect(tight.unsplittable).toEqual([expect.objectContaining({ prefix: `${sandbox.demo.inputS3Uri}SBX0001/series-1/`, files: 8, reason: 'flat-folder-over-limit', stageable: true })]);
    expect(tight.unsplittable[0]!.detail).toMatch(/--stage-to/);
  }, 30_000);

  it('refuses bad input naming the field and rule, before any request', async () => {
    await expect(withService['batch:plan']({ ...archive(), inputS3Uri: 's3://healthimaging-sandbox-demo/dicom' })).rejects.toThrow(/Archive location must name a folder and end with "\/"/);
    await expect(withService['batch:plan']({ ...archive(), datastoreId: 'nope' })).rejects.toThrow(/Data store ID must be 32 lowercase letters or digits/);
    await expect(withService['batch:plan']({ ...archive(), dataAccessRoleArn: '' })).rejects.toThrow(/Data access role is required/);
    await expect(withService['batch:plan']({ ...archive(), outputS3Uri: 'https://example.com/x' })).rejects.toThrow(/Output location must be an S3 URI/);
    await expect(withService['batch:plan']({ ...archive(), limits: { maxBytes: 20_000_000_000 } })).rejects.toThrow(/10 GB/);
    // The main process's schema refuses what the form could never send.
    expect(() => parseRequest('batch:plan', { ...archive(), limits: { maxFiles: 0 } })).toThrow(/limits.maxFiles: at least 1/);
    expect(() => parseRequest('batch:plan', { ...archive(), secret: 'x' })).toThrow(/Invalid request for 'batch:plan'/);
    expect(() => parseRequest('batch:export', { batchId: '../x', format: 'pdf' })).toThrow(/batchId/);
  });

  it('an archive that does not exist is an S3 error, not an empty plan', async () => {
    await expect(withService['batch:plan']({ ...archive(), inputS3Uri: 's3://no-such-bucket-anywhere/x/' })).rejects.toThrow(/NoSuchBucket|does not exist/i);
  }, 30_000);
});

describe('the BatchService wiring', () => {
  it('start, pause, resume and cancel reach the service with the request as given', async () => {
    expect(await withService['batch:start']({ ...archive(), concurrency: 3 })).toEqual({ batchId: fake.report.batchId });
    await withService['batch:pause']({ batchId: 'b1' });
    await withService['batch:resume']({ batchId: 'b1' });
    await withService['batch:cancel']({ batchId: 'b1' });
    expect(fake.calls).toEqual([`start ${sandbox.demo.inputS3Uri} 3`, 'pause b1', 'resume b1', 'cancel b1']);
    await expect(withService['batch:start']({ ...archive(), stageTo: 's3://bucket/no-slash' })).rejects.toThrow(/Staging location must name a folder/);
    expect(fake.calls).toHaveLength(4);
  });

  it('progress reaches the window as batch:progress, and stops after dispose', async () => {
    const update: BatchProgressUpdate = {
      batchId: 'b1',
      progress: { batchId: 'b1', jobs: { total: 2, queued: 1, running: 1, completed: 0, failed: 0 }, files: { planned: 20, imported: 0, failed: 0 }, bytes: { planned: 100 }, paused: false },
      jobs: [],
    };
    fake.emit(update);
    expect(pushes).toContainEqual(['batch:progress', update]);
  });

  it('the report is exported where the user picked, in every format; a cancelled dialog saves nothing', async () => {
    for (const format of ['json', 'md', 'html', 'pdf'] as const) {
      saveTo = path.join(dir, `batch.${format}`);
      expect(await withService['batch:export']({ batchId: fake.report.batchId, format })).toEqual({ saved: true, path: saveTo });
    }
    expect(JSON.parse(readFileSync(path.join(dir, 'batch.json'), 'utf8')).totals).toEqual(fake.report.totals);
    expect(readFileSync(path.join(dir, 'batch.pdf'), 'latin1')).toMatch(/^%PDF-/);
    saveTo = undefined;
    expect(await withService['batch:export']({ batchId: fake.report.batchId, format: 'md' })).toEqual({ saved: false });
    await expect(withService['batch:export']({ batchId: 'unknown', format: 'md' })).rejects.toThrow(/No batch unknown/);
    expect((await withService['batch:report']({ batchId: fake.report.batchId })).batchId).toBe(fake.report.batchId);
  });

  it('without a service the runner commands say so, and History lists no batch', async () => {
    await expect(without['batch:start']({ ...archive() })).rejects.toThrow(/batch runner is not connected/);
    await expect(without['batch:report']({ batchId: 'b1' })).rejects.toThrow(/not connected/);
    expect(await without['batches:list']()).toEqual([]);
  });

  it('dispose unsubscribes from progress', async () => {
    expect(fake.listeners.size).toBe(1);
    await withService.dispose();
    expect(fake.listeners.size).toBe(0);
  });
});

describe('expected API calls', () => {
  it('one start and one manifest per job; ListDICOMImportJobs per poll grows with jobs at once, not with all jobs', () => {
    expect(expectedApiCalls(0, 100)).toEqual({});
    expect(expectedApiCalls(400, 100)).toEqual({ StartDICOMImportJob: 400, 'ListDICOMImportJobs per poll': 2, GetObject: 400 });
    expect(defaultConcurrency('ap-southeast-2')).toBe(20);
    expect(defaultConcurrency('us-east-1')).toBe(100);
  });
});
