/**
 * The data store commands through the main-side handlers against the REAL sandbox, SDK, engine and
 * run store, with the store and jobs made directly through @aws-sdk/client-medical-imaging: plain
 * data out (ISO dates, no secrets), bad ids refused before anything is sent, delete re-checked in
 * main, and a job attached as a run that History lists.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateDatastoreCommand, GetDatastoreCommand, GetDICOMImportJobCommand, StartDICOMImportJobCommand, type MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SANDBOX_PROFILE } from '../../contract/ipc';
import { parseRequest } from '../../contract/schemas';
import { ATTACH_WORKFLOW_ID } from '../../core/healthimaging/workflows';
import type { Sandbox } from '../../sandbox/index';
import { clients } from '../../sandbox/test-clients';
import { createHandlers, type Handlers } from '../main/handlers';

const target = { profile: SANDBOX_PROFILE, region: 'us-east-1' };
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('data store handlers against the real sandbox', () => {
  let dir: string;
  let handlers: Handlers;
  let sandbox: Sandbox | undefined;
  let mi: MedicalImagingClient;
  let datastoreId = '';
  let jobId = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ds-handlers-'));
    handlers = createHandlers({
      runsDir: path.join(dir, 'runs'),
      userDataDir: dir,
      env: { AWS_CONFIG_FILE: path.join(dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials') },
      dialogs: { saveReport: async () => undefined },
      openExternal: vi.fn(async () => undefined),
      printToPdf: async () => Buffer.from(''),
      push: () => undefined,
      // Slow enough that the SDK's job is still running while the first tests look at it (about 7 s).
      sandboxTimeScale: 10,
      onSandboxStarted: (sb) => {
        sandbox = sb;
      },
    });
    // The first command starts the embedded sandbox; then the SDK acts on it as a script would.
    await handlers['datastores:list'](target);
    mi = clients(sandbox!).mi;
    const made = await mi.send(new CreateDatastoreCommand({ datastoreName: 'sdk-store', clientToken: 'sdk-store-token', tags: { team: 'imaging' } }));
    datastoreId = made.datastoreId!;
    for (;;) {
      if ((await mi.send(new GetDatastoreCommand({ datastoreId }))).datastoreProperties?.datastoreStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const demo = sandbox!.demo;
    jobId = (await mi.send(new StartDICOMImportJobCommand({ datastoreId, jobName: 'sdk-job', dataAccessRoleArn: demo.dataAccessRoleArn, inputS3Uri: demo.inputS3Uri, outputS3Uri: demo.outputS3Uri, clientToken: 'sdk-job-token' }))).jobId!;
  }, 60_000);

  afterAll(async () => {
    mi?.destroy();
    await handlers.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the store made elsewhere as plain data with ISO dates', async () => {
    const rows = await handlers['datastores:list'](target);
    const row = rows.find((r) => r.datastoreId === datastoreId);
    expect(row).toMatchObject({ datastoreName: 'sdk-store', datastoreStatus: 'ACTIVE', createdAt: expect.stringMatching(ISO), updatedAt: expect.stringMatching(ISO) });
    // Through a JSON round trip unchanged: nothing but plain data crosses the bridge.
    expect(JSON.parse(JSON.stringify(rows))).toEqual(rows);
  });

  it('gets the store with its tags, no console link in the sandbox, and whether it may be deleted', async () => {
    const d = await handlers['datastore:get']({ ...target, datastoreId });
    expect(d).toMatchObject({ datastoreId, datastoreName: 'sdk-store', tags: { team: 'imaging' }, sandbox: true });
    expect(d.consoleUrl).toBeUndefined();
    // Its job is still running: not deletable, even in the sandbox.
    expect(d.deletion.allowed).toBe(false);
  });

  it('refuses a malformed id with the field and its rule', () => {
    expect(() => parseRequest('datastore:get', { ...target, datastoreId: 'NOT-AN-ID' })).toThrow(/datastoreId: a data store id \(32 lowercase letters or digits\)/);
    expect(() => parseRequest('job:attach', { ...target, datastoreId, jobId: '../x' })).toThrow(/jobId: an import job id/);
    expect(() => parseRequest('jobs:list', { ...target, datastoreId, status: 'DONE' })).toThrow(/status/);
  });

  it('attaches to the running job: a run of the attach workflow that ends COMPLETED and is in History', async () => {
    const jobsBefore = await handlers['jobs:list']({ ...target, datastoreId });
    const { runId, alreadyWatching } = await handlers['job:attach']({ ...target, datastoreId, jobId });
    expect(alreadyWatching).toBeUndefined();
    // "Watch live" again while it runs: the same run, said so, not a second watch.
    expect(await handlers['job:attach']({ ...target, datastoreId, jobId })).toEqual({ runId, alreadyWatching: true });
    expect((await handlers['runs:list']()).filter((r) => r.workflowId === ATTACH_WORKFLOW_ID)).toHaveLength(1);
    // In History at once, as a running run naming the job it watches.
    expect((await handlers['runs:list']()).find((r) => r.runId === runId)).toMatchObject({ workflowId: ATTACH_WORKFLOW_ID, state: 'running', datastoreId, jobId });
    let summary = (await handlers['runs:list']()).find((r) => r.runId === runId);
    while (summary?.state === 'running') {
      await new Promise((r) => setTimeout(r, 200));
      summary = (await handlers['runs:list']()).find((r) => r.runId === runId);
    }
    expect(summary).toMatchObject({ workflowId: ATTACH_WORKFLOW_ID, state: 'succeeded', datastoreId, datastoreName: 'sdk-store', jobId, jobStatus: 'COMPLETED', sandbox: true });
    expect(await handlers['jobs:list']({ ...target, datastoreId })).toHaveLength(jobsBefore.length);
    const { job, results } = await handlers['job:results']({ ...target, datastoreId, jobId });
    expect(job).toMatchObject({ jobId, datastoreName: 'sdk-store', jobStatus: 'COMPLETED', submittedAt: expect.stringMatching(ISO), endedAt: expect.stringMatching(ISO) });
    expect(results).toMatchObject({ state: 'read' });
    expect((await handlers['jobs:list']({ ...target, datastoreId, status: 'IN_PROGRESS' })).map((j) => j.jobId)).not.toContain(jobId);
  }, 60_000);

  it('deletes once main finds it allowed (sandbox, no job running), whatever the page believed', async () => {
    expect((await mi.send(new GetDICOMImportJobCommand({ datastoreId, jobId }))).jobProperties?.jobStatus).toBe('COMPLETED');
    expect((await handlers['datastore:get']({ ...target, datastoreId })).deletion.allowed).toBe(true);
    expect(await handlers['datastore:delete']({ ...target, datastoreId })).toEqual({ datastoreStatus: 'DELETING' });
    // A second delete is refused by main's own check, before DeleteDatastore is sent again.
    await expect(handlers['datastore:delete']({ ...target, datastoreId })).rejects.toThrow(/was not deleted: The data store is DELET/);
  });
});
