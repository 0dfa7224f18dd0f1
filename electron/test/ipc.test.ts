import * as electron from 'electron';
import { FAKE_ACCESS_KEY_ID } from '../../core/testing/fake-aws-credentials';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, type CommandName } from '../../contract/ipc';
import { setupIpc, type IpcManager } from '../main/ipc';
import type { CommandHandlers } from '../main/handlers';
import { isAppUrl } from '../main/security';
import { FakeWebContents, ipcEvent, type FakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const fake = electron as unknown as FakeElectron;

function fakeHandlers() {
  const handlers = {} as Record<CommandName, ReturnType<typeof vi.fn>>;
  for (const name of COMMAND_NAMES) handlers[name] = vi.fn(async () => ({ ok: name }));
  return handlers as unknown as CommandHandlers & Record<CommandName, ReturnType<typeof vi.fn>>;
}

const validRequests: { [K in CommandName]: unknown } = {
  'app:info': undefined,
  'profiles:list': undefined,
  'identity:check': { profile: '__sandbox__', region: 'us-east-1' },
  'network:check': { profile: '__sandbox__', region: 'us-east-1' },
  'mfa:answer': { requestId: 'r1', code: '123456' },
  'inputs:defaults': { profile: 'dev', region: 'us-west-2' },
  'inputs:validate': {
    inputs: {
      datastoreName: 'x',
      datastoreClientToken: 't',
      dataAccessRoleArn: 'arn',
      importClientToken: 't2',
      inputS3Uri: 's3://a/b',
      outputS3Uri: 's3://a/c',
    },
  },
  'polling:defaults': { profile: 'dev', region: 'us-west-2' },
  'run:start': {
    profile: '__sandbox__',
    region: 'us-east-1',
    inputs: {
      datastoreName: 'demo',
      datastoreClientToken: 'tok1',
      dataAccessRoleArn: 'arn:aws:iam::123456789012:role/r',
      importClientToken: 'tok2',
      inputS3Uri: 's3://bucket/in/',
      outputS3Uri: 's3://bucket/out/',
      tags: { team: 'imaging' },
    },
    polling: { initialDelaySeconds: 1, multiplier: 1.5, maxDelaySeconds: 10, stepTimeoutSeconds: 600 },
  },
  'preflight:run': {
    profile: '__sandbox__',
    region: 'us-east-1',
    importInto: { datastoreId: '0123456789abcdef0123456789abcdef' },
    inputs: { dataAccessRoleArn: 'arn:aws:iam::123456789012:role/r', inputS3Uri: 's3://bucket/in/', outputS3Uri: 's3://bucket/out/' },
    requestId: 'review-1',
  },
  'preflight:cancel': { requestId: 'review-1' },
  'role:policy': { profile: 'dev', region: 'us-west-2', scope: { inputS3Uri: 's3://bucket/in/', outputS3Uri: 's3://bucket/out/' } },
  'role:create': { profile: 'dev', region: 'us-west-2', roleName: 'HealthImagingImportRole', scope: { inputS3Uri: 's3://bucket/in/', outputS3Uri: 's3://bucket/out/', kmsKeyArn: 'arn:aws:kms:us-west-2:123456789012:key/abc' } },
  'run:cancel': { runId: 'run-1' },
  'run:poll-now': { runId: 'run-1' },
  'run:continue': { runId: 'run-1' },
  'run:resume': { runId: 'run-1' },
  'run:repair': { runId: 'run-1' },
  'run:active': undefined,
  'runs:list': undefined,
  'runs:events': { runId: 'run-1' },
  'report:export': { runId: 'run-1', format: 'pdf' },
  'external:open': { url: 'https://docs.aws.amazon.com/healthimaging/' },
  'sso:sign-in': { profile: 'imaging', useDeviceCode: true },
  'batch:plan': { profile: '__sandbox__', region: 'us-east-1', datastoreId: 'a'.repeat(32), inputS3Uri: 's3://bucket/in/', outputS3Uri: 's3://bucket/out/', dataAccessRoleArn: 'arn:aws:iam::123456789012:role/r', limits: { maxFiles: 100 } },
  'batch:start': { profile: '__sandbox__', region: 'us-east-1', datastoreId: 'a'.repeat(32), inputS3Uri: 's3://bucket/in/', outputS3Uri: 's3://bucket/out/', dataAccessRoleArn: 'arn:aws:iam::123456789012:role/r', concurrency: 3, stageTo: 's3://bucket/staged/' },
  'batch:pause': { batchId: 'batch-1' },
  'batch:resume': { batchId: 'batch-1' },
  'batch:cancel': { batchId: 'batch-1' },
  'batches:list': undefined,
  'batch:report': { batchId: 'batch-1' },
  'batch:export': { batchId: 'batch-1', format: 'html' },
  's3:buckets': { profile: 'dev', region: 'us-west-2' },
  's3:list': { profile: 'dev', region: 'us-west-2', bucket: 'my-dicom.bucket', prefix: 'incoming/2024/', continuationToken: 'tok' },
  's3:summary': { profile: '__sandbox__', region: 'us-east-1', bucket: 'healthimaging-sandbox-demo', prefix: '', expectedBucketOwner: '123456789012' },
  'datastores:list': { profile: '__sandbox__', region: 'us-east-1' },
  'datastore:get': { profile: 'dev', region: 'us-west-2', datastoreId: '0123456789abcdef0123456789abcdef' },
  'datastore:delete': { profile: '__sandbox__', region: 'us-east-1', datastoreId: '0123456789abcdef0123456789abcdef' },
  'jobs:list': { profile: 'dev', region: 'us-west-2', datastoreId: '0123456789abcdef0123456789abcdef', status: 'IN_PROGRESS' },
  'job:get': { profile: 'dev', region: 'us-west-2', datastoreId: '0123456789abcdef0123456789abcdef', jobId: 'fedcba9876543210fedcba9876543210' },
  'job:results': { profile: 'dev', region: 'us-west-2', datastoreId: '0123456789abcdef0123456789abcdef', jobId: 'fedcba9876543210fedcba9876543210' },
  'job:attach': { profile: '__sandbox__', region: 'us-east-1', datastoreId: '0123456789abcdef0123456789abcdef', jobId: 'fedcba9876543210fedcba9876543210' },
};

describe('IPC manager', () => {
  let app: FakeWebContents;
  let handlers: ReturnType<typeof fakeHandlers>;
  let manager: IpcManager;
  const log = vi.fn();

  beforeEach(() => {
    manager?.dispose();
    app = new FakeWebContents();
    handlers = fakeHandlers();
    log.mockClear();
    manager = setupIpc({ handlers, appContents: () => app as never, isAppUrl: (u) => isAppUrl(u), log });
  });

  it('registers exactly one handler per contract command', () => {
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual([...COMMAND_NAMES].sort());
  });

  it('passes every valid request from the app window to its handler', async () => {
    for (const name of COMMAND_NAMES) {
      const request = validRequests[name];
      const args = request === undefined ? [] : [request];
      await expect(fake.ipcMain.invoke(name, ipcEvent(app), ...args)).resolves.toEqual({ ok: name });
      expect(handlers[name]).toHaveBeenCalledTimes(1);
    }
  });

  it('rejects senders that are not the app window, without calling the handler', async () => {
    const stranger = new FakeWebContents();
    const cases = [
      ipcEvent(stranger), // another web contents, even showing an app URL
      ipcEvent(app, 'https://evil.example/'), // the app window navigated away (or a spoofed frame)
      ipcEvent(app, 'file:///etc/passwd'),
      ipcEvent(app, 'app://bundle/index.html', { url: 'app://bundle/index.html' }), // a subframe
      { sender: app, senderFrame: null },
    ];
    for (const event of cases) {
      await expect(fake.ipcMain.invoke('run:start', event, validRequests['run:start'])).rejects.toThrow(/not the app's window/);
    }
    expect(handlers['run:start']).not.toHaveBeenCalled();
  });

  it('rejects a sender once the app window is gone', async () => {
    app.destroyed = true;
    await expect(fake.ipcMain.invoke('profiles:list', ipcEvent(app))).rejects.toThrow(/not the app's window/);
  });

  it('answers invalid payloads with an error naming the field, and never calls the handler', async () => {
    const startErr = fake.ipcMain.invoke('run:start', ipcEvent(app), { profile: 'dev', region: 'us-east-1', inputs: { datastoreName: 42 } });
    await expect(startErr).rejects.toThrow(/Invalid request for 'run:start': inputs\.datastoreName/);
    await expect(fake.ipcMain.invoke('report:export', ipcEvent(app), { runId: 'r', format: 'exe' })).rejects.toThrow(/format/);
    await expect(fake.ipcMain.invoke('run:cancel', ipcEvent(app), { runId: '../../etc' })).rejects.toThrow(/runId/);
    await expect(fake.ipcMain.invoke('mfa:answer', ipcEvent(app), { requestId: 'r', code: 'abc' })).rejects.toThrow(/code/);
    await expect(fake.ipcMain.invoke('run:cancel', ipcEvent(app), { runId: 'r', extra: 1 })).rejects.toThrow(/extra|Unrecognized/i);
    await expect(fake.ipcMain.invoke('app:info', ipcEvent(app), undefined, 'second')).rejects.toThrow(/one argument/);
    // S3 browsing: S3's bucket naming rules and a folder prefix, checked before any AWS call.
    const folder = { profile: 'dev', region: 'us-east-1', bucket: 'ok-bucket', prefix: 'in/' };
    await expect(fake.ipcMain.invoke('s3:list', ipcEvent(app), { ...folder, bucket: 'Bad_Bucket' })).rejects.toThrow(/bucket: an S3 bucket name/);
    await expect(fake.ipcMain.invoke('s3:list', ipcEvent(app), { ...folder, bucket: 'a..b' })).rejects.toThrow(/bucket: an S3 bucket name/);
    await expect(fake.ipcMain.invoke('s3:summary', ipcEvent(app), { ...folder, prefix: 'in/file.dcm' })).rejects.toThrow(/prefix: a folder prefix/);
    await expect(fake.ipcMain.invoke('s3:summary', ipcEvent(app), { ...folder, prefix: `${'é'.repeat(600)}/` })).rejects.toThrow(/prefix: a folder prefix/);
    await expect(fake.ipcMain.invoke('s3:summary', ipcEvent(app), { ...folder, expectedBucketOwner: '12' })).rejects.toThrow(/expectedBucketOwner/);
    for (const h of Object.values(handlers)) expect(h).not.toHaveBeenCalled();
  });

  it('takes an import into an existing data store only as importInto plus the import\'s inputs, never mixed with an onboarding', async () => {
    const importInputs = { dataAccessRoleArn: 'arn:aws:iam::123456789012:role/r', inputS3Uri: 's3://bucket/in/', outputS3Uri: 's3://bucket/out/' };
    const importStart = { profile: '__sandbox__', region: 'us-east-1', importInto: { datastoreId: 'a'.repeat(32) }, inputs: importInputs };
    await expect(fake.ipcMain.invoke('run:start', ipcEvent(app), importStart)).resolves.toEqual({ ok: 'run:start' });
    expect(handlers['run:start']).toHaveBeenCalledWith(importStart);
    await expect(fake.ipcMain.invoke('inputs:validate', ipcEvent(app), { importInto: importStart.importInto, inputs: importInputs })).resolves.toEqual({ ok: 'inputs:validate' });
    handlers['run:start'].mockClear();
    const start = validRequests['run:start'] as { inputs: Record<string, unknown> };
    const refused: Array<[unknown, RegExp]> = [
      // The data store's create settings have no place in an import, nor its own client token (main makes one).
      [{ ...importStart, inputs: { ...importInputs, datastoreName: 'x' } }, /inputs: Unrecognized key: "datastoreName"/],
      [{ ...importStart, inputs: { ...importInputs, importClientToken: 'old-token' } }, /Unrecognized key: "importClientToken"/],
      // An onboarding's inputs with importInto: read as an import, so the create fields are refused.
      [{ ...(validRequests['run:start'] as object), importInto: importStart.importInto }, /Unrecognized keys?: .*datastoreName/],
      [{ ...importStart, importInto: { datastoreId: 7 } }, /importInto\.datastoreId/],
      [{ ...importStart, importInto: { datastoreId: 'a'.repeat(32), datastoreName: 'n' } }, /importInto: Unrecognized key: "datastoreName"/],
      [{ ...importStart, inputs: { ...importInputs, inputS3Uri: undefined } }, /inputs\.inputS3Uri/],
      [{ ...validRequests['run:start'] as object, inputs: { ...start.inputs, datastoreName: undefined } }, /inputs\.datastoreName/],
    ];
    for (const [payload, message] of refused) {
      await expect(fake.ipcMain.invoke('run:start', ipcEvent(app), payload)).rejects.toThrow(message);
    }
    expect(handlers['run:start']).not.toHaveBeenCalled();
  });

  it('rejects fuzzed malformed payloads for every command', async () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const junk = (depth = 0): unknown => {
      const r = rnd();
      if (depth > 2 || r < 0.15) return [1, 'x', true, -0.5, '', 'a'.repeat(5000), Number.NaN][Math.floor(rnd() * 7)];
      if (r < 0.3) return [junk(depth + 1), junk(depth + 1)];
      if (r < 0.4) return { __proto__: { polluted: true }, constructor: 'x' };
      const obj: Record<string, unknown> = {};
      for (const key of ['runId', 'profile', 'region', 'inputs', 'importInto', 'format', 'url', 'code', 'requestId', 'zzz']) if (rnd() < 0.4) obj[key] = junk(depth + 1);
      return obj;
    };
    let rejected = 0;
    for (let i = 0; i < 400; i++) {
      const name = COMMAND_NAMES[i % COMMAND_NAMES.length]!;
      const payload = junk();
      try {
        await fake.ipcMain.invoke(name, ipcEvent(app), payload);
        // A payload may be valid by chance only for commands whose request is void or tiny; it must then be well-formed.
        expect(validRequests[name] === undefined || typeof payload === 'object').toBe(true);
      } catch (error) {
        rejected++;
        expect((error as Error).message).toMatch(new RegExp(`Invalid request for '${name}'`));
      }
    }
    expect(rejected).toBeGreaterThan(300);
  });

  it('never lets a handler exception leak its stack or a secret', async () => {
    handlers['identity:check'].mockRejectedValueOnce(
      Object.assign(new Error(`boom with ${FAKE_ACCESS_KEY_ID} and secretAccessKey=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`), {
        stack: 'Error: boom\n    at secretPlace (/home/u/.aws/credentials:1:1)',
      }),
    );
    const error = (await fake.ipcMain.invoke('identity:check', ipcEvent(app), validRequests['identity:check']).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('boom');
    expect(error.message).not.toContain(FAKE_ACCESS_KEY_ID);
    expect(error.message).not.toContain('wJalrXUtnFEMI');
    expect(error.stack ?? '').not.toContain('secretPlace');
    expect(log.mock.calls.flat().join('\n')).not.toContain('wJalrXUtnFEMI');
  });

  it('pushes only to the app window, and only while it shows the app', () => {
    manager.push('run:events', { runId: 'r', events: [] });
    expect(app.sent).toEqual([{ channel: 'run:events', payload: { runId: 'r', events: [] } }]);
    app.url = 'https://evil.example/';
    manager.push('mfa:request', { requestId: 'x', profile: 'p', serialNumber: 's' });
    expect(app.sent).toHaveLength(1);
  });

  it('unregisters every handler on dispose', () => {
    manager.dispose();
    expect(fake.ipcMain.handlers.size).toBe(0);
  });
});
