/**
 * The engine through the real SDK v3 (core/aws session and operation table) against the local
 * HealthImaging sandbox. Time is virtual: every engine wait advances the sandbox's manual clock,
 * so data stores take their two minutes and imports their minute-plus without the test sleeping.
 */
import { ListDatastoresCommand, ListDICOMImportJobsCommand } from '@aws-sdk/client-medical-imaging';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { createAwsSession, type AwsSession } from '../aws/session';
import type { Clock } from './clock';
import type { RunEvent } from './events';
import { resumeRun, startRun, type RunHandle, type StartRunOptions } from './run';
import { IMPORT_INTO, ONBOARD, SEED_TEXT, seedDocument, tempStore } from './test-support/harness';
import { DEFAULT_POLLING } from './polling';

let sb: Sandbox;
let session: AwsSession;
let store: ReturnType<typeof tempStore>;

beforeEach(async () => {
  sb = await startSandbox({ manualClock: true });
  session = await createAwsSession({ sandbox: { endpoint: sb.url, region: sb.region, credentials: sb.credentials } });
  store = tempStore();
});
afterEach(async () => {
  session.close();
  await sb.close();
  store.cleanup();
});

/** Engine time is sandbox time: a wait moves the sandbox clock forward by its length. */
function sandboxClock(): Clock & { waited: number } {
  const clock = {
    waited: 0,
    now: () => sb.clock.now(),
    async sleep(ms: number, signal?: AbortSignal) {
      if (signal?.aborted) throw signal.reason;
      await new Promise((r) => setImmediate(r));
      if (signal?.aborted) throw signal.reason;
      clock.waited += ms;
      sb.clock.advance(ms);
    },
  };
  return clock;
}

function inputs(extra: Record<string, unknown> = {}) {
  return {
    datastoreName: 'engine-sandbox-test',
    datastoreClientToken: '',
    dataAccessRoleArn: sb.demo.dataAccessRoleArn,
    importClientToken: '',
    inputS3Uri: sb.demo.inputS3Uri,
    outputS3Uri: sb.demo.outputS3Uri,
    ...extra,
  };
}

function start(events: RunEvent[], extra: Partial<StartRunOptions> = {}, onEvent?: (e: RunEvent, run: () => RunHandle) => void): RunHandle {
  let handle!: RunHandle;
  handle = startRun({
    document: seedDocument(session.binding),
    documentText: SEED_TEXT,
    workflowId: ONBOARD,
    inputs: inputs(),
    binding: session.binding,
    store: store.store,
    context: session.describe(),
    clock: sandboxClock(),
    onEvent: (e) => {
      events.push(e);
      onEvent?.(e, () => handle);
    },
    ...extra,
  });
  return handle;
}

async function countResources(): Promise<{ datastores: number; jobs: number }> {
  const ds = await session.medicalImaging.send(new ListDatastoresCommand({}));
  let jobs = 0;
  for (const d of ds.datastoreSummaries ?? []) {
    const j = await session.medicalImaging.send(new ListDICOMImportJobsCommand({ datastoreId: d.datastoreId! }));
    jobs += j.jobSummaries?.length ?? 0;
  }
  return { datastores: ds.datastoreSummaries?.length ?? 0, jobs };
}

const sent = (events: RunEvent[], op: string) => events.filter((e) => e.type === 'request-sent' && e.operationId === op);

describe('the seed workflow against the sandbox through the real SDK', () => {
  it('succeeds: ACTIVE data store, COMPLETED import, outputs and a complete log', async () => {
    const events: RunEvent[] = [];
    const ended = await start(events).done;
    expect(ended.status).toBe('succeeded');
    expect(ended.outputs).toEqual({ datastoreId: expect.stringMatching(/^[0-9a-z]{32}$/), jobId: expect.stringMatching(/^[0-9a-z]+$/), jobStatus: 'COMPLETED' });
    const observed = events.filter((e) => e.type === 'response-received').map((e) => (e as { observedStatus?: string }).observedStatus);
    expect(observed).toContain('CREATING');
    expect(observed).toContain('ACTIVE');
    expect(observed).toContain('IN_PROGRESS');
    expect(observed.at(-1)).toBe('COMPLETED');
    expect(await countResources()).toEqual({ datastores: 1, jobs: 1 });
    // Request ids from the service are recorded; the log on disk is exactly what was emitted.
    expect(events.filter((e) => e.type === 'response-received').every((e) => (e as { requestId?: string }).requestId)).toBe(true);
    expect(await store.store.read(ended.runId)).toEqual(events);
    // Polls ran at the default pace (4.5 s), not in a tight loop.
    const waits = events.filter((e) => e.type === 'waiting').map((e) => (e as { delayMs: number }).delayMs);
    expect(Math.min(...waits)).toBe(DEFAULT_POLLING.GetDatastore!.initialDelayMs);
    // No secret anywhere in the log.
    const log = readFileSync(join(store.dir, ended.runId, 'events.ndjson'), 'utf8');
    expect(log).not.toContain(sb.credentials.secretAccessKey);
    expect(log).not.toContain(sb.credentials.accessKeyId);
  });

  it('CREATE_FAILED ends failed, with no import started', async () => {
    sb.faults.failDatastoreCreation(true);
    const events: RunEvent[] = [];
    const ended = await start(events).done;
    expect(ended.status).toBe('failed');
    expect(ended.error).toMatchObject({ code: 'FailureStatus', stepId: 'pollDatastore' });
    expect(ended.error!.message).toContain('CREATE_FAILED');
    expect(sent(events, 'StartDICOMImportJob')).toHaveLength(0);
    expect(ended.outputs.jobId).toBeUndefined();
    expect((await countResources()).jobs).toBe(0);
  });

  it('a FAILED import job ends failed', async () => {
    sb.faults.failImportJobs(true);
    const ended = await start([]).done;
    expect(ended.status).toBe('failed');
    expect(ended.error!.message).toContain('jobFailed');
    expect(ended.outputs).toMatchObject({ jobStatus: 'FAILED' });
  });

  it('survives a throttling storm and a 5xx burst', async () => {
    const events: RunEvent[] = [];
    const run = start(events, {}, (e) => {
      // Once the data store exists, hit its polls with throttling; once the job exists, with 5xx.
      if (e.type === 'response-received' && e.operationId === 'CreateDatastore') sb.faults.failNext('GetDatastore', 12, 'ThrottlingException');
      if (e.type === 'response-received' && e.operationId === 'StartDICOMImportJob') sb.faults.failNext('GetDICOMImportJob', 6, 'InternalServerException');
    });
    const ended = await run.done;
    expect(ended.status).toBe('succeeded');
    const waits = events.filter((e) => e.type === 'waiting');
    expect(waits.filter((w) => w.type === 'waiting' && w.reason === 'throttled').length).toBeGreaterThanOrEqual(3);
    expect(waits.filter((w) => w.type === 'waiting' && w.reason === 'transient-error').length).toBeGreaterThanOrEqual(2);
    // Throttling slowed polling down: delays grow and stay within twice the cap (2 x 30 s).
    const throttled = waits.filter((w) => w.type === 'waiting' && w.reason === 'throttled').map((w) => (w as { delayMs: number }).delayMs);
    expect(throttled[1]!).toBeGreaterThan(throttled[0]!);
    expect(Math.max(...throttled)).toBeLessThanOrEqual(60_000);
    expect(await countResources()).toEqual({ datastores: 1, jobs: 1 });
  });

  it('survives dropped connections while polling the import', async () => {
    const events: RunEvent[] = [];
    const run = start(events, {}, (e) => {
      if (e.type === 'response-received' && e.operationId === 'StartDICOMImportJob') sb.faults.dropNext('GetDICOMImportJob', 4);
    });
    const ended = await run.done;
    expect(ended.status).toBe('succeeded');
    const dropped = events.filter((e) => e.type === 'response-received' && e.operationId === 'GetDICOMImportJob' && e.httpStatus === 0);
    expect(dropped.length).toBeGreaterThanOrEqual(1);
  });

  it('a status the document does not name (DELETING) stops the run naming it', async () => {
    const events: RunEvent[] = [];
    const run = start(events, {}, (e) => {
      if (e.type === 'response-received' && e.operationId === 'CreateDatastore' && e.outputs?.datastoreId) sb.faults.setDatastoreStatus(String(e.outputs.datastoreId), 'DELETING');
    });
    const ended = await run.done;
    expect(ended.status).toBe('failed');
    expect(ended.error).toMatchObject({ code: 'UnnamedStatus', stepId: 'pollDatastore' });
    expect(ended.error!.message).toContain('DELETING');
    expect(sent(events, 'StartDICOMImportJob')).toHaveLength(0);
  });

  it('cancel during the import poll, then resume: the same job finishes, no second create or start', async () => {
    const events: RunEvent[] = [];
    const run = start(events, {}, (e, handle) => {
      if (e.type === 'waiting' && e.stepId === 'pollImportJob') handle().cancel('user pressed cancel');
    });
    const first = await run.done;
    expect(first.status).toBe('cancelled');
    expect(first.resumable).toBe(true);
    expect(first.outputs.jobId).toBeDefined();

    const resumed = await resumeRun({
      runId: run.runId,
      document: seedDocument(session.binding),
      documentText: SEED_TEXT,
      binding: session.binding,
      store: store.store,
      clock: sandboxClock(),
      onEvent: (e) => events.push(e),
    });
    const ended = await resumed.done;
    expect(ended.status).toBe('succeeded');
    expect(ended.outputs).toMatchObject({ datastoreId: first.outputs.datastoreId, jobId: first.outputs.jobId, jobStatus: 'COMPLETED' });
    expect(sent(events, 'CreateDatastore')).toHaveLength(1);
    expect(sent(events, 'StartDICOMImportJob')).toHaveLength(1);
    expect(await countResources()).toEqual({ datastores: 1, jobs: 1 });
  });

  it('a kill between sending CreateDatastore and recording its answer resumes with the same token and one data store', async () => {
    const events: RunEvent[] = [];
    const run = start(events, {}, (e, handle) => {
      if (e.type === 'waiting') handle().cancel('process killed');
    });
    await run.done;
    // The service created the store, but the log ends right after request-sent, with a torn line.
    const file = join(store.dir, run.runId, 'events.ndjson');
    const lines = readFileSync(file, 'utf8').split('\n');
    const cut = lines.findIndex((l) => l.includes('"request-sent"') && l.includes('"CreateDatastore"'));
    writeFileSync(file, `${lines.slice(0, cut + 1).join('\n')}\n${lines[cut + 1]!.slice(0, 40)}`);
    const token = (JSON.parse(lines[cut]!) as { clientToken: string }).clientToken;

    const after: RunEvent[] = [];
    const resumed = await resumeRun({
      runId: run.runId,
      document: seedDocument(session.binding),
      documentText: SEED_TEXT,
      binding: session.binding,
      store: store.store,
      clock: sandboxClock(),
      onEvent: (e) => after.push(e),
    });
    const ended = await resumed.done;
    expect(ended.status).toBe('succeeded');
    expect(after[0]).toMatchObject({ type: 'run-resumed', stepId: 'createDatastore' });
    expect(sent(after, 'CreateDatastore').map((e) => (e as { clientToken?: string }).clientToken)).toEqual([token]);
    expect(await countResources()).toEqual({ datastores: 1, jobs: 1 });
  });

  it('expiring credentials pause the run; continue() re-sends and finishes, nothing lost', async () => {
    const events: RunEvent[] = [];
    const run = start(events, {}, (e, handle) => {
      if (e.type === 'response-received' && e.operationId === 'StartDICOMImportJob' && e.httpStatus === 200) sb.faults.failNext('GetDICOMImportJob', 1, 'ExpiredTokenException');
      if (e.type === 'run-paused') setTimeout(() => handle().continue(), 20);
    });
    const ended = await run.done;
    expect(ended.status).toBe('succeeded');
    const paused = events.find((e) => e.type === 'run-paused');
    expect(paused).toMatchObject({ stepId: 'pollImportJob', reason: 'credentials-expired', error: { code: 'ExpiredTokenException' } });
    expect(paused?.type === 'run-paused' && paused.error.action).toBeTruthy();
    expect(events.some((e) => e.type === 'run-continued')).toBe(true);
    expect(await countResources()).toEqual({ datastores: 1, jobs: 1 });
  });
});

describe('the shipped workflow: optional create/import fields', () => {
  it('sends exactly the seed\'s fields when the optional ones are not given', async () => {
    const events: RunEvent[] = [];
    const ended = await start(events).done;
    expect(ended.status).toBe('succeeded');
    const create = sent(events, 'CreateDatastore')[0] as Extract<RunEvent, { type: 'request-sent' }>;
    expect(Object.keys(create.input).sort()).toEqual(['clientToken', 'datastoreName']);
    const startJob = sent(events, 'StartDICOMImportJob')[0] as Extract<RunEvent, { type: 'request-sent' }>;
    expect(Object.keys(startJob.input).sort()).toEqual(['clientToken', 'dataAccessRoleArn', 'datastoreId', 'inputS3Uri', 'outputS3Uri']);
  });

  it('creates the data store with the chosen KMS key, storage format and tags, and names the job', async () => {
    const kmsKeyArn = `arn:aws:kms:us-east-1:${sb.accountId}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const events: RunEvent[] = [];
    const ended = await start(events, {
      inputs: inputs({ kmsKeyArn, losslessStorageFormat: 'JPEG_2000_LOSSLESS', tags: { team: 'radiology', env: 'test' }, jobName: 'first-import' }),
    }).done;
    expect(ended.status).toBe('succeeded');
    const { GetDatastoreCommand, GetDICOMImportJobCommand, ListTagsForResourceCommand } = await import('@aws-sdk/client-medical-imaging');
    const ds = await session.medicalImaging.send(new GetDatastoreCommand({ datastoreId: String(ended.outputs.datastoreId) }));
    expect(ds.datastoreProperties).toMatchObject({ kmsKeyArn, losslessStorageFormat: 'JPEG_2000_LOSSLESS' });
    const tags = await session.medicalImaging.send(new ListTagsForResourceCommand({ resourceArn: ds.datastoreProperties!.datastoreArn! }));
    expect(tags.tags).toEqual({ team: 'radiology', env: 'test' });
    const job = await session.medicalImaging.send(new GetDICOMImportJobCommand({ datastoreId: String(ended.outputs.datastoreId), jobId: String(ended.outputs.jobId) }));
    expect(job.jobProperties?.jobName).toBe('first-import');
  });

  it('refuses a bad optional value before anything is sent, naming the field', () => {
    const events: RunEvent[] = [];
    expect(() => start(events, { inputs: inputs({ losslessStorageFormat: 'PNG' }) })).toThrow(/losslessStorageFormat/);
    expect(events).toEqual([]);
  });
});

describe('import-into-datastore: more data into an existing data store', () => {
  function importInputs(datastoreId: string, extra: Record<string, unknown> = {}) {
    return {
      datastoreId,
      dataAccessRoleArn: sb.demo.dataAccessRoleArn,
      importClientToken: '',
      inputS3Uri: sb.demo.inputS3Uri,
      outputS3Uri: sb.demo.outputS3Uri,
      ...extra,
    };
  }

  it('onboard, then import into the same store: one data store, two jobs, no CreateDatastore sent', async () => {
    const first = await start([]).done;
    expect(first.status).toBe('succeeded');
    const datastoreId = String(first.outputs.datastoreId);

    const events: RunEvent[] = [];
    const ended = await start(events, { workflowId: IMPORT_INTO, inputs: importInputs(datastoreId, { jobName: 'second-batch' }) }).done;
    expect(ended.status).toBe('succeeded');
    expect(ended.outputs).toEqual({ datastoreId, jobId: expect.stringMatching(/^[0-9a-z]+$/), jobStatus: 'COMPLETED' });
    expect(ended.outputs.jobId).not.toBe(first.outputs.jobId);
    // The timeline gets this workflow's steps from run-started.
    const started = events.find((e) => e.type === 'run-started');
    expect(started).toMatchObject({
      workflowId: IMPORT_INTO,
      steps: [
        { stepId: 'checkDatastore', operationId: 'GetDatastore', polling: false },
        { stepId: 'startImportJob', operationId: 'StartDICOMImportJob', polling: false },
        { stepId: 'pollImportJob', operationId: 'GetDICOMImportJob', polling: true },
      ],
    });
    expect(events.filter((e) => e.type === 'request-sent').map((e) => (e as { operationId: string }).operationId)).toEqual([
      'GetDatastore',
      'StartDICOMImportJob',
      ...sent(events, 'GetDICOMImportJob').map(() => 'GetDICOMImportJob'),
    ]);
    expect(sent(events, 'GetDatastore')).toHaveLength(1);
    // The check learns the store's name from the service (reports and History show it).
    const checked = events.find((e) => e.type === 'step-ended' && e.stepId === 'checkDatastore');
    expect(checked).toMatchObject({ outcome: 'succeeded', observedStatus: 'ACTIVE', outputs: { datastoreId, datastoreName: 'engine-sandbox-test', datastoreStatus: 'ACTIVE' }, action: { type: 'goto', stepId: 'startImportJob' } });
    const startJob = sent(events, 'StartDICOMImportJob')[0] as Extract<RunEvent, { type: 'request-sent' }>;
    expect(startJob.input).toMatchObject({ datastoreId, jobName: 'second-batch' });
    expect(startJob.clientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(await countResources()).toEqual({ datastores: 1, jobs: 2 });
  });

  for (const status of ['DELETING', 'CREATING'] as const) {
    it(`a store that is ${status} fails the run naming the status; no StartDICOMImportJob is sent`, async () => {
      const first = await start([]).done;
      const datastoreId = String(first.outputs.datastoreId);
      sb.faults.setDatastoreStatus(datastoreId, status);
      const events: RunEvent[] = [];
      const ended = await start(events, { workflowId: IMPORT_INTO, inputs: importInputs(datastoreId) }).done;
      expect(ended.status).toBe('failed');
      expect(ended.resumable).toBe(false);
      expect(ended.error).toMatchObject({ code: 'SuccessCriteriaNotMet', stepId: 'checkDatastore' });
      expect(ended.error!.message).toContain(`status ${status}`);
      expect(sent(events, 'GetDatastore')).toHaveLength(1);
      expect(sent(events, 'StartDICOMImportJob')).toHaveLength(0);
      expect(ended.outputs).toEqual({ datastoreId });
      expect(await countResources()).toEqual({ datastores: 1, jobs: 1 });
    });
  }

  it('a data store that does not exist ends with the service\'s ResourceNotFoundException, nothing started', async () => {
    const events: RunEvent[] = [];
    const ended = await start(events, { workflowId: IMPORT_INTO, inputs: importInputs('0'.repeat(32)) }).done;
    expect(ended.status).toBe('error');
    expect(ended.error).toMatchObject({ code: 'ResourceNotFoundException', stepId: 'checkDatastore' });
    expect(sent(events, 'StartDICOMImportJob')).toHaveLength(0);
    expect(await countResources()).toEqual({ datastores: 0, jobs: 0 });
  });

  it('cancelled while polling the job, an import resumes in its own workflow: same job, one start', async () => {
    const first = await start([]).done;
    const datastoreId = String(first.outputs.datastoreId);
    const events: RunEvent[] = [];
    const run = start(events, { workflowId: IMPORT_INTO, inputs: importInputs(datastoreId) }, (e, handle) => {
      if (e.type === 'waiting' && e.stepId === 'pollImportJob') handle().cancel('user pressed cancel');
    });
    const cancelled = await run.done;
    expect(cancelled).toMatchObject({ status: 'cancelled', resumable: true });
    const resumed = await resumeRun({
      runId: run.runId,
      document: seedDocument(session.binding),
      documentText: SEED_TEXT,
      binding: session.binding,
      store: store.store,
      clock: sandboxClock(),
      onEvent: (e) => events.push(e),
    });
    const ended = await resumed.done;
    expect(ended.status).toBe('succeeded');
    expect(ended.outputs).toEqual({ datastoreId, jobId: cancelled.outputs.jobId, jobStatus: 'COMPLETED' });
    expect(sent(events, 'StartDICOMImportJob')).toHaveLength(1);
    expect(sent(events, 'CreateDatastore')).toHaveLength(0);
    expect(await countResources()).toEqual({ datastores: 1, jobs: 2 });
  });

  it('refuses a malformed data store id before anything is sent', () => {
    const events: RunEvent[] = [];
    expect(() => start(events, { workflowId: IMPORT_INTO, inputs: importInputs('NOT-an-id') })).toThrow(/datastoreId must be 32 lowercase letters or digits/);
    expect(events).toEqual([]);
  });
});
