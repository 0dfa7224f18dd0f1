/**
 * Attaching to an import job started elsewhere: the data store and the job are made directly
 * through @aws-sdk/client-medical-imaging (not through the product), then the app's attach run
 * follows the job on the run timeline to COMPLETED, reads its results, and creates nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateDatastoreCommand, GetDatastoreCommand, ListDICOMImportJobsCommand, StartDICOMImportJobCommand } from '@aws-sdk/client-medical-imaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { clients } from '../../sandbox/test-clients';
import { createAwsSession, type AwsSession } from '../aws/session';
import { AwsFaultError } from '../aws/errors';
import type { RunEvent } from '../engine/events';
import { ATTACH_WORKFLOW_ID } from '../healthimaging/workflows';
import { createRunStore, type RunStore } from '../runs/run-store';
import { attachDocument, attachInputs, attachToImportJob } from './attach';
import { createRunService, type RunService } from './runs';
import { DEMO_POLLING, sandboxTarget } from './sandbox-host';

let dir: string;
let sandbox: Sandbox;
let session: AwsSession;
let sdk: ReturnType<typeof clients>;
let store: RunStore;
let runs: RunService;
const events: RunEvent[] = [];
const requests: string[] = [];
let datastoreId = '';

async function startJob(jobName: string): Promise<string> {
  const out = await sdk.mi.send(
    new StartDICOMImportJobCommand({ datastoreId, jobName, dataAccessRoleArn: sandbox.demo.dataAccessRoleArn, inputS3Uri: sandbox.demo.inputS3Uri, outputS3Uri: sandbox.demo.outputS3Uri, clientToken: `${jobName}-token` }),
  );
  return out.jobId!;
}

const jobCount = async () => (await sdk.mi.send(new ListDICOMImportJobsCommand({ datastoreId }))).jobSummaries?.length ?? 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'attach-'));
  // Slow enough that a job is seen SUBMITTED or IN_PROGRESS before it completes (about 3 s).
  sandbox = await startSandbox({ timeScale: 30, demoData: true, log: (l) => requests.push(l) });
  sdk = clients(sandbox);
  session = await createAwsSession({ sandbox: sandboxTarget(sandbox), env: {} });
  store = createRunStore(path.join(dir, 'runs'));
  runs = createRunService({ store, onEvent: (e) => events.push(e) });
  const out = await sdk.mi.send(new CreateDatastoreCommand({ datastoreName: 'made-elsewhere', clientToken: 'made-elsewhere-token' }));
  datastoreId = out.datastoreId!;
  for (;;) {
    const got = await sdk.mi.send(new GetDatastoreCommand({ datastoreId }));
    if (got.datastoreProperties?.datastoreStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);
afterAll(async () => {
  await runs?.stopAll('test over');
  session?.close();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('attach: a running job as a run on the timeline', () => {
  it('the attach document is a valid one-step workflow that only reads (GetDICOMImportJob)', () => {
    const { document } = attachDocument();
    const wf = document.workflows.find((w) => w.workflowId === ATTACH_WORKFLOW_ID)!;
    expect(wf.steps.map((s) => s.operationId)).toEqual(['GetDICOMImportJob']);
  });

  it('follows a job started through the SDK to COMPLETED, records its results, and sends nothing but reads', async () => {
    const jobId = await startJob('started-elsewhere');
    const before = await jobCount();
    const mark = requests.length;
    const { run, existing } = await attachToImportJob(runs, { session, datastoreId, jobId, polling: DEMO_POLLING, context: session.describe() });
    expect(existing).toBe(false);
    const settled = await runs.settled(run.runId)!;
    expect(settled.outcome).toBe('succeeded');
    expect(settled.ended.outputs).toMatchObject({ datastoreId, jobId, jobStatus: 'COMPLETED' });
    expect(settled.importResults).toMatchObject({ state: 'read' });
    expect(settled.importResults?.numberOfImportedFiles).toBeGreaterThan(0);

    const log = await store.read(run.runId);
    const started = log.find((e) => e.type === 'run-started');
    expect(started).toMatchObject({ workflowId: ATTACH_WORKFLOW_ID, inputs: { datastoreId, jobId, datastoreName: 'made-elsewhere', jobName: 'started-elsewhere' } });
    // The timeline saw the job running before it saw it COMPLETED.
    const statuses = log.flatMap((e) => (e.type === 'response-received' && e.observedStatus ? [e.observedStatus] : []));
    expect(statuses.at(-1)).toBe('COMPLETED');
    expect(statuses.some((s) => s === 'SUBMITTED' || s === 'IN_PROGRESS')).toBe(true);
    expect(log.at(-1)).toMatchObject({ type: 'import-results' });
    expect(events.filter((e) => e.runId === run.runId).map((e) => e.seq)).toEqual(log.map((e) => e.seq));

    // Nothing created: no new job, no Start or Create among what the sandbox received.
    expect(await jobCount()).toBe(before);
    const sent = requests.slice(mark);
    expect(sent.some((l) => l.includes(':GetDICOMImportJob '))).toBe(true);
    expect(sent.filter((l) => /:(Create|Start|Delete|Tag|Untag)\w* /.test(l))).toEqual([]);

    // In History like any run, with the store's name.
    const listed = (await store.list()).find((s) => s.runId === run.runId);
    expect(listed).toMatchObject({ workflowId: ATTACH_WORKFLOW_ID, status: 'succeeded', ended: true });
  }, 60_000);

  it('a job that does not exist is refused with the AWS error before any run is recorded', async () => {
    const before = (await store.list()).length;
    await expect(attachToImportJob(runs, { session, datastoreId, jobId: 'f'.repeat(32), polling: DEMO_POLLING })).rejects.toBeInstanceOf(AwsFaultError);
    expect((await store.list()).length).toBe(before);
  });

  it('a job without an output location cannot be attached: there would be nothing to read', () => {
    expect(() => attachInputs({ datastoreId, jobId: 'abc', jobStatus: 'IN_PROGRESS' } as never)).toThrow(/no output location/);
    expect(attachInputs({ datastoreId, jobId: 'abc', outputS3Uri: 's3://b/o/', jobStatus: 'IN_PROGRESS' } as never)).toEqual({ datastoreId, jobId: 'abc', outputS3Uri: 's3://b/o/' });
  });

  it('watching a job twice, even two requests at once, gives the one watch; after it ended, a new one', async () => {
    const jobId = await startJob('watched-twice');
    const before = (await store.list()).length;
    const [a, b] = await Promise.all([
      attachToImportJob(runs, { session, datastoreId, jobId, polling: DEMO_POLLING }),
      attachToImportJob(runs, { session, datastoreId, jobId, polling: DEMO_POLLING }),
    ]);
    expect(b.run.runId).toBe(a.run.runId);
    expect([a.existing, b.existing].sort()).toEqual([false, true]);
    const again = await attachToImportJob(runs, { session, datastoreId, jobId, polling: DEMO_POLLING });
    expect(again).toMatchObject({ existing: true, run: { runId: a.run.runId } });
    // One run recorded, not three.
    expect((await store.list()).length).toBe(before + 1);

    // Another job is another watch.
    const other = await attachToImportJob(runs, { session, datastoreId, jobId: await startJob('watched-once'), polling: DEMO_POLLING });
    expect(other.run.runId).not.toBe(a.run.runId);

    // Once the watch ended, watching again starts a new run (which records the job's end).
    await runs.settled(a.run.runId);
    const after = await attachToImportJob(runs, { session, datastoreId, jobId, polling: DEMO_POLLING });
    expect(after.existing).toBe(false);
    expect(after.run.runId).not.toBe(a.run.runId);
    await runs.settled(after.run.runId);
    await runs.settled(other.run.runId);
  }, 60_000);

  it('cancelling the watch stops the run, not the job', async () => {
    const jobId = await startJob('keeps-running');
    const { run } = await attachToImportJob(runs, { session, datastoreId, jobId, polling: DEMO_POLLING });
    run.handle.cancel('stop watching');
    const settled = await runs.settled(run.runId)!;
    expect(settled.ended.status).toBe('cancelled');
    // The job goes on to COMPLETED on its own.
    for (;;) {
      const list = (await sdk.mi.send(new ListDICOMImportJobsCommand({ datastoreId }))).jobSummaries ?? [];
      if (list.find((j) => j.jobId === jobId)?.jobStatus === 'COMPLETED') break;
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 60_000);
});
