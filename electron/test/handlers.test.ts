/**
 * The main-side handlers in plain Node against the REAL sandbox, SDK, engine and run store: only
 * the platform services (save dialog, PDF printer, push channel) are test doubles.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPORT_FORMATS, SANDBOX_PROFILE, type Pushes, type ReportFormat, type RunEvent } from '../../contract/ipc';
import { createHandlers, type Handlers } from '../main/handlers';
import { demoDatastoreName } from '../../core/app/sandbox-host';
import { roleAccountIssue } from '../../core/healthimaging/field-rules';
import type { Sandbox } from '../../sandbox/index';
import { writeTempAwsConfig } from '../../core/aws/test-config';
import { runStateStatus } from '../../renderer/src/state/runSummary';

const target = { profile: SANDBOX_PROFILE, region: 'us-east-1' };

describe('handlers against the real sandbox', () => {
  let dir: string;
  let handlers: Handlers;
  let sandbox: Sandbox | undefined;
  const pushes: Array<{ name: keyof Pushes; payload: unknown }> = [];
  const saved: Array<{ name: string; format: ReportFormat }> = [];
  const printToPdf = vi.fn(async (html: string) => Buffer.from(`%PDF-1.7\n% ${html.length} bytes of html\n`));

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'handlers-'));
    handlers = createHandlers({
      runsDir: path.join(dir, 'runs'),
      userDataDir: dir,
      // An empty AWS config, so the test never reads the machine's ~/.aws.
      env: { AWS_CONFIG_FILE: path.join(dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials') },
      dialogs: {
        async saveReport(name, format) {
          saved.push({ name, format });
          return path.join(dir, 'reports-' + name);
        },
      },
      openExternal: vi.fn(async () => undefined),
      printToPdf,
      push: (name, payload) => pushes.push({ name, payload }),
      onSandboxStarted: (sb) => (sandbox = sb),
    });
  });

  afterAll(async () => {
    await handlers.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the sandbox first, with its label', async () => {
    const profiles = await handlers['profiles:list']();
    expect(profiles[0]).toEqual({ name: SANDBOX_PROFILE, label: 'Local sandbox (no AWS account needed)', region: 'us-east-1', kind: 'sandbox' });
  });

  it('checks the sandbox identity through real STS', async () => {
    const id = await handlers['identity:check'](target);
    expect(id).toMatchObject({ ok: true, accountId: expect.stringMatching(/^\d{12}$/), arn: expect.stringContaining('arn:aws') });
  });

  it('classifies a missing profile as a clear error, never a throw', async () => {
    const id = await handlers['identity:check']({ profile: 'nope', region: 'us-east-1' });
    expect(id.ok).toBe(false);
    if (!id.ok) expect(id.error.message).toMatch(/nope/);
  });

  it('prefills the demo bucket, role and fresh tokens in sandbox mode; empty fields for AWS', async () => {
    const demo = await handlers['inputs:defaults'](target);
    expect(demo.datastoreName).toMatch(/^demo-\d{8}-\d{4}$/);
    expect(demo.inputS3Uri).toMatch(/^s3:\/\//);
    expect(demo.dataAccessRoleArn).toMatch(/^arn:aws:iam::\d{12}:role\//);
    const again = await handlers['inputs:defaults'](target);
    expect(again.datastoreClientToken).not.toBe(demo.datastoreClientToken);
    const aws = await handlers['inputs:defaults']({ profile: 'dev', region: 'eu-west-1' });
    expect(aws).toMatchObject({ datastoreName: '', dataAccessRoleArn: '', inputS3Uri: '', outputS3Uri: '' });
    expect(aws.importClientToken).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    expect(await handlers['inputs:validate']({ inputs: demo })).toEqual([]);
  });

  it('names each bad field and rule, and compares the role account with the caller', async () => {
    const demo = await handlers['inputs:defaults'](target);
    const issues = await handlers['inputs:validate']({
      inputs: { ...demo, datastoreName: 'bad name!', dataAccessRoleArn: 'arn:aws:iam::111122223333:role/x', inputS3Uri: 'http://x' },
      callerAccountId: '123456789012',
    });
    const fields = issues.map((i) => i.field);
    expect(fields).toContain('datastoreName');
    expect(fields).toContain('inputS3Uri');
    expect(fields).toContain('dataAccessRoleArn');
    expect(issues.find((i) => i.field === 'dataAccessRoleArn')!.message).toMatch(/111122223333.*123456789012/);
    await expect(handlers['run:start']({ ...target, inputs: { ...demo, datastoreName: '' } })).rejects.toThrow(/datastoreName/);
    expect(roleAccountIssue('arn:aws:iam::123456789012:role/r', '123456789012')).toBeUndefined();
    expect(demoDatastoreName(new Date(2026, 0, 2, 3, 4))).toBe('demo-20260102-0304');
  });

  it('runs a whole sandbox onboarding: events pushed in batches, ends succeeded with import results', async () => {
    const inputs = await handlers['inputs:defaults'](target);
    const polling = await handlers['polling:defaults'](target);
    const started = Date.now();
    const { runId } = await handlers['run:start']({ ...target, inputs, polling });
    expect(sandbox).toBeDefined();
    const active = await handlers['run:active']();
    expect(active?.runId).toBe(runId);
    expect((await handlers['runs:list']()).find((r) => r.runId === runId)?.state).toMatch(/running|paused/);

    const events: RunEvent[] = [];
    let batches = 0;
    await vi.waitFor(
      () => {
        for (const p of pushes.splice(0)) {
          if (p.name !== 'run:events') continue;
          batches++;
          events.push(...(p.payload as Pushes['run:events']).events);
        }
        expect(events.some((e) => e.type === 'import-results')).toBe(true);
      },
      { timeout: 60_000, interval: 100 },
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    // Batched: events that happen together (request, response, waiting) travel in one push.
    expect(batches).toBeLessThan(events.length);
    const ended = events.find((e) => e.type === 'run-ended');
    expect(ended).toMatchObject({ type: 'run-ended', status: 'succeeded', outputs: { jobStatus: 'COMPLETED' } });
    const results = events.find((e) => e.type === 'import-results');
    expect(results).toMatchObject({ results: { state: 'read', numberOfImportedFiles: expect.any(Number) } });
    // Seqs pushed in order, no gaps, and the same as the durable log.
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect((await handlers['runs:events']({ runId })).map((e) => e.seq)).toEqual(seqs);
    expect(await handlers['run:active']()).toBeNull();
    const summary = (await handlers['runs:list']()).find((r) => r.runId === runId)!;
    expect(summary).toMatchObject({ state: 'succeeded', sandbox: true, profile: SANDBOX_PROFILE, resumable: false, jobStatus: 'COMPLETED' });
    // Nothing secret crossed: the sandbox's secret key is in no pushed event.
    expect(JSON.stringify(events)).not.toContain(sandbox!.credentials.secretAccessKey);

    for (const format of REPORT_FORMATS) {
      const result = await handlers['report:export']({ runId, format });
      expect(result.saved).toBe(true);
      expect(saved.at(-1)).toEqual({ name: expect.stringMatching(new RegExp(`^ahi-onboarding-${inputs.datastoreName}-\\d{4}-\\d{2}-\\d{2}\\.${format}$`)), format });
      const content = readFileSync(result.path!, 'utf8');
      if (format === 'json') expect(JSON.parse(content)).toMatchObject({ runId });
      if (format === 'html') expect(content).toMatch(/<html[\s>]/i);
      if (format === 'md') expect(content).toContain(inputs.datastoreName);
      if (format === 'pdf') expect(content.startsWith('%PDF')).toBe(true);
      expect(content).not.toContain(sandbox!.credentials.secretAccessKey);
    }
    expect(printToPdf).toHaveBeenCalledWith(expect.stringMatching(/<html[\s>]/i));
  });

  it('the demo dicom-with-errors/ prefix: History carries the failed files, so it says "Completed with errors" like the Done screen', async () => {
    const inputs = { ...(await handlers['inputs:defaults'](target)), inputS3Uri: 's3://healthimaging-sandbox-demo/dicom-with-errors/' };
    const { runId } = await handlers['run:start']({ ...target, inputs, polling: await handlers['polling:defaults'](target) });
    await vi.waitFor(
      async () => expect((await handlers['runs:events']({ runId })).some((e) => e.type === 'import-results')).toBe(true),
      { timeout: 60_000, interval: 200 },
    );
    pushes.splice(0);
    const summary = (await handlers['runs:list']()).find((r) => r.runId === runId)!;
    expect(summary).toMatchObject({ state: 'succeeded', jobStatus: 'COMPLETED', failedFiles: expect.any(Number) });
    expect(summary.failedFiles).toBeGreaterThan(0);
    expect(runStateStatus(summary)).toEqual({ type: 'warning', text: 'Completed with errors' });
  });

  it('writes nothing when the save dialog is cancelled', async () => {
    const runs = await handlers['runs:list']();
    const h2 = createHandlers({
      runsDir: path.join(dir, 'runs'),
      userDataDir: dir,
      dialogs: { saveReport: async () => undefined },
      openExternal: async () => undefined,
      printToPdf,
      push: () => undefined,
    });
    expect(await h2['report:export']({ runId: runs[0]!.runId, format: 'html' })).toEqual({ saved: false });
    await h2.dispose();
  });

  it('opens only vetted AWS links', async () => {
    await handlers['external:open']({ url: 'https://docs.aws.amazon.com/healthimaging/' });
    await expect(handlers['external:open']({ url: 'https://evil.example/' })).rejects.toThrow(/Refused to open/);
    await expect(handlers['external:open']({ url: 'file:///etc/passwd' })).rejects.toThrow(/only https/);
  });

  it('refuses commands for runs that are not active', async () => {
    await expect(handlers['run:cancel']({ runId: 'nope' })).rejects.toThrow(/not running/);
    await expect(handlers['run:resume']({ runId: 'nope' })).rejects.toThrow(/No run nope/);
  });
});

describe('importing more data into an existing data store (importInto)', () => {
  let dir: string;
  let handlers: Handlers;
  let sandbox: Sandbox | undefined;
  const saved: string[] = [];

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'handlers-import-'));
    handlers = createHandlers({
      runsDir: path.join(dir, 'runs'),
      userDataDir: dir,
      env: { AWS_CONFIG_FILE: path.join(dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials') },
      dialogs: {
        async saveReport(name) {
          saved.push(name);
          return path.join(dir, name);
        },
      },
      openExternal: async () => undefined,
      printToPdf: async () => Buffer.alloc(0),
      push: () => undefined,
      onSandboxStarted: (sb) => (sandbox = sb),
    });
  });
  afterAll(async () => {
    await handlers.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Waits for the run's end and, when a job ended, for its import results to be recorded. */
  async function finished(runId: string): Promise<RunEvent[]> {
    let events: RunEvent[] = [];
    await vi.waitFor(
      async () => {
        events = await handlers['runs:events']({ runId });
        const ended = events.find((e) => e.type === 'run-ended');
        expect(ended).toBeDefined();
        if (ended?.type === 'run-ended' && ended.outputs['jobId']) expect(events.some((e) => e.type === 'import-results')).toBe(true);
        expect(await handlers['run:active']()).toBeNull();
      },
      { timeout: 60_000, interval: 100 },
    );
    return events;
  }

  const sent = (events: RunEvent[], op: string) => events.filter((e): e is Extract<RunEvent, { type: 'request-sent' }> => e.type === 'request-sent' && e.operationId === op);

  async function sandboxCounts(): Promise<{ datastores: number; jobs: number }> {
    const { ListDatastoresCommand, ListDICOMImportJobsCommand, MedicalImagingClient } = await import('@aws-sdk/client-medical-imaging');
    const client = new MedicalImagingClient({ endpoint: sandbox!.url, region: sandbox!.region, credentials: sandbox!.credentials });
    try {
      const stores = (await client.send(new ListDatastoresCommand({}))).datastoreSummaries ?? [];
      let jobs = 0;
      for (const d of stores) jobs += (await client.send(new ListDICOMImportJobsCommand({ datastoreId: d.datastoreId! }))).jobSummaries?.length ?? 0;
      return { datastores: stores.length, jobs };
    } finally {
      client.destroy();
    }
  }

  it('runs import-into-datastore on the same store: one data store, two jobs, a new import token, the store in History', async () => {
    const defaults = await handlers['inputs:defaults'](target);
    const polling = await handlers['polling:defaults'](target);
    const onboarding = await finished((await handlers['run:start']({ ...target, inputs: defaults, polling })).runId);
    const onboarded = onboarding.find((e) => e.type === 'run-ended');
    expect(onboarded).toMatchObject({ status: 'succeeded' });
    const datastoreId = String(onboarded?.type === 'run-ended' && onboarded.outputs['datastoreId']);

    const importInputs = { dataAccessRoleArn: defaults.dataAccessRoleArn, inputS3Uri: defaults.inputS3Uri, outputS3Uri: defaults.outputS3Uri, jobName: 'more-data' };
    expect(await handlers['inputs:validate']({ importInto: { datastoreId }, inputs: importInputs })).toEqual([]);
    const { runId } = await handlers['run:start']({ ...target, importInto: { datastoreId }, inputs: importInputs, polling });
    const events = await finished(runId);

    const started = events.find((e) => e.type === 'run-started');
    expect(started).toMatchObject({ workflowId: 'import-into-datastore', inputs: { datastoreId, jobName: 'more-data' } });
    expect(started?.type === 'run-started' && started.steps.map((s) => s.stepId)).toEqual(['checkDatastore', 'startImportJob', 'pollImportJob']);
    expect(events.find((e) => e.type === 'run-ended')).toMatchObject({ status: 'succeeded', outputs: { datastoreId, jobStatus: 'COMPLETED' } });
    expect(sent(events, 'CreateDatastore')).toHaveLength(0);
    // A new import client token, not the onboarding's: HealthImaging would answer that one with the first job.
    const token = sent(events, 'StartDICOMImportJob')[0]?.clientToken;
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    expect(token).not.toBe(sent(onboarding, 'StartDICOMImportJob')[0]?.clientToken);
    expect(events.find((e) => e.type === 'import-results')).toMatchObject({ results: { state: 'read' } });
    expect(await sandboxCounts()).toEqual({ datastores: 1, jobs: 2 });

    // History shows the data store (its name learned from GetDatastore) and which workflow ran.
    const summary = (await handlers['runs:list']()).find((r) => r.runId === runId);
    expect(summary).toMatchObject({ workflowId: 'import-into-datastore', state: 'succeeded', datastoreId, datastoreName: defaults.datastoreName, jobStatus: 'COMPLETED', sandbox: true });
    await handlers['report:export']({ runId, format: 'md' });
    expect(saved.at(-1)).toMatch(new RegExp(`^ahi-onboarding-${defaults.datastoreName}-\\d{4}-\\d{2}-\\d{2}\\.md$`));
    expect(readFileSync(path.join(dir, saved.at(-1)!), 'utf8')).toContain('checkDatastore');

    // The same request again is a new import (a new token), not a replay of this one.
    const again = await finished((await handlers['run:start']({ ...target, importInto: { datastoreId }, inputs: importInputs, polling })).runId);
    expect(sent(again, 'StartDICOMImportJob')[0]?.clientToken).not.toBe(token);
    expect(await sandboxCounts()).toEqual({ datastores: 1, jobs: 3 });
  });

  it('names a bad data store id and a role of another account before anything is sent', async () => {
    const defaults = await handlers['inputs:defaults'](target);
    const inputs = { dataAccessRoleArn: 'arn:aws:iam::111122223333:role/x', inputS3Uri: defaults.inputS3Uri, outputS3Uri: defaults.outputS3Uri };
    const issues = await handlers['inputs:validate']({ importInto: { datastoreId: 'My-Store' }, inputs, callerAccountId: '123456789012' });
    expect(issues).toEqual([
      { field: 'datastoreId', message: 'datastoreId must be 32 lowercase letters or digits' },
      { field: 'dataAccessRoleArn', message: expect.stringMatching(/111122223333.*123456789012/) },
    ]);
    const before = (await handlers['runs:list']()).length;
    await expect(handlers['run:start']({ ...target, importInto: { datastoreId: 'My-Store' }, inputs: { ...inputs, dataAccessRoleArn: defaults.dataAccessRoleArn } })).rejects.toThrow(/datastoreId must be 32 lowercase/);
    expect(await handlers['runs:list']()).toHaveLength(before);
  });

  it('a store that is no longer ACTIVE: the run fails naming the status, and no import job is started', async () => {
    const defaults = await handlers['inputs:defaults'](target);
    const polling = await handlers['polling:defaults'](target);
    const onboarding = await finished((await handlers['run:start']({ ...target, inputs: defaults, polling })).runId);
    const ended = onboarding.find((e) => e.type === 'run-ended');
    const datastoreId = String(ended?.type === 'run-ended' && ended.outputs['datastoreId']);
    sandbox!.faults.setDatastoreStatus(datastoreId, 'DELETING');
    const jobsBefore = (await sandboxCounts()).jobs;

    const { runId } = await handlers['run:start']({ ...target, importInto: { datastoreId }, inputs: { dataAccessRoleArn: defaults.dataAccessRoleArn, inputS3Uri: defaults.inputS3Uri, outputS3Uri: defaults.outputS3Uri }, polling });
    const events = await finished(runId);
    const failed = events.find((e) => e.type === 'run-ended');
    expect(failed).toMatchObject({ status: 'failed', resumable: false, error: { stepId: 'checkDatastore', message: expect.stringContaining('status DELETING') } });
    expect(sent(events, 'StartDICOMImportJob')).toHaveLength(0);
    expect((await sandboxCounts()).jobs).toBe(jobsBefore);
    expect((await handlers['runs:list']()).find((r) => r.runId === runId)).toMatchObject({ state: 'failed', datastoreId, resumable: false });
  });
});

describe('quitting during a run', () => {
  it('leaves the run interrupted and resumable; a new app instance resumes it to the end', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'handlers-quit-'));
    const make = () =>
      createHandlers({
        runsDir: path.join(dir, 'runs'),
        userDataDir: dir,
        env: { AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none') },
        dialogs: { saveReport: async () => undefined },
        openExternal: async () => undefined,
        printToPdf: async () => Buffer.alloc(0),
        push: () => undefined,
        // Slow enough that the run is still going when we quit.
        sandboxTimeScale: 15,
      });
    try {
      const first = make();
      const inputs = await first['inputs:defaults'](target);
      const { runId } = await first['run:start']({ ...target, inputs });
      await vi.waitFor(async () => expect((await first['runs:events']({ runId })).some((e) => e.type === 'waiting')).toBe(true), { timeout: 20_000 });
      await first.dispose();
      const log = await first['runs:events']({ runId });
      expect(log.some((e) => e.type === 'run-ended')).toBe(false);

      const second = make();
      const listed = (await second['runs:list']()).find((r) => r.runId === runId)!;
      expect(listed).toMatchObject({ state: 'interrupted', resumable: true });
      await second['run:resume']({ runId });
      await vi.waitFor(async () => expect((await second['runs:events']({ runId })).some((e) => e.type === 'run-ended')).toBe(true), { timeout: 60_000, interval: 200 });
      const events = await second['runs:events']({ runId });
      expect(events.find((e) => e.type === 'run-ended')).toMatchObject({ status: 'succeeded' });
      // Nothing created twice: one CreateDatastore answer with an id, reused after the resume.
      const ids = new Set(events.flatMap((e) => (e.type === 'response-received' && e.operationId === 'CreateDatastore' && e.outputs?.['datastoreId'] ? [e.outputs['datastoreId']] : [])));
      expect(ids.size).toBe(1);
      await second.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe('MFA for an assumed role', () => {
  let server: Server;
  let url = '';
  const assumed: URLSearchParams[] = [];

  beforeAll(async () => {
    // A minimal STS (query protocol): AssumeRole and GetCallerIdentity.
    server = createServer((req: IncomingMessage, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const body = new URLSearchParams(raw);
        res.setHeader('content-type', 'text/xml');
        if (body.get('Action') === 'AssumeRole') {
          assumed.push(body);
          const exp = new Date(Date.now() + 3600_000).toISOString();
          res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAASSUMED</AccessKeyId><SecretAccessKey>assumedsecret</SecretAccessKey><SessionToken>assumedtoken</SessionToken><Expiration>${exp}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::210987654321:assumed-role/Admin/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r1</RequestId></ResponseMetadata></AssumeRoleResponse>`);
        } else {
          res.end(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::210987654321:assumed-role/Admin/s</Arn><UserId>AROA:s</UserId><Account>210987654321</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  function setup() {
    const cfg = writeTempAwsConfig(
      `[profile admin]\nrole_arn = arn:aws:iam::210987654321:role/Admin\nsource_profile = base\nmfa_serial = arn:aws:iam::210987654321:mfa/alice\nregion = eu-west-1\nservices = local\n\n[services local]\nsts =\n  endpoint_url = ${url}\n`,
      `[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = basesecret\n`,
    );
    const pushes: Array<{ name: string; payload: Pushes['mfa:request'] }> = [];
    const handlers = createHandlers({
      runsDir: path.join(cfg.dir, 'runs'),
      userDataDir: cfg.dir,
      env: cfg.env,
      dialogs: { saveReport: async () => undefined },
      openExternal: async () => undefined,
      printToPdf: async () => Buffer.alloc(0),
      push: (name, payload) => pushes.push({ name, payload: payload as Pushes['mfa:request'] }),
    });
    return { cfg, handlers, pushes };
  }

  it('lists the profile as needing MFA, asks the window for a code and assumes the role with it', async () => {
    const { cfg, handlers, pushes } = setup();
    try {
      const profiles = await handlers['profiles:list']();
      expect(profiles.find((p) => p.name === 'admin')).toMatchObject({ kind: 'assume-role', mfa: true, region: 'eu-west-1' });
      const checking = handlers['identity:check']({ profile: 'admin', region: 'eu-west-1' });
      await vi.waitFor(() => expect(pushes).toHaveLength(1));
      expect(pushes[0]).toEqual({ name: 'mfa:request', payload: { requestId: expect.any(String), profile: 'admin', serialNumber: 'arn:aws:iam::210987654321:mfa/alice' } });
      await handlers['mfa:answer']({ requestId: pushes[0]!.payload.requestId, code: '654321' });
      expect(await checking).toEqual({ ok: true, accountId: '210987654321', arn: 'arn:aws:sts::210987654321:assumed-role/Admin/s', userId: 'AROA:s' });
      expect(assumed.at(-1)?.get('TokenCode')).toBe('654321');
      // The session is kept: a second check does not ask again.
      await handlers['identity:check']({ profile: 'admin', region: 'eu-west-1' });
      expect(pushes).toHaveLength(1);
      await expect(handlers['mfa:answer']({ requestId: pushes[0]!.payload.requestId, code: '111111' })).rejects.toThrow(/no longer waiting/);
    } finally {
      await handlers.dispose();
      cfg.cleanup();
    }
  });

  it('a cancelled MFA prompt is "MFA required", in words, never a crash', async () => {
    const { cfg, handlers, pushes } = setup();
    try {
      const checking = handlers['identity:check']({ profile: 'admin', region: 'eu-west-1' });
      await vi.waitFor(() => expect(pushes).toHaveLength(1));
      await handlers['mfa:answer']({ requestId: pushes[0]!.payload.requestId, code: null });
      const result = await checking;
      expect(result).toMatchObject({ ok: false, reason: 'mfa-required', error: { code: 'MfaRequired', message: expect.stringMatching(/MFA/) } });
    } finally {
      await handlers.dispose();
      cfg.cleanup();
    }
  });
});
