/**
 * createAwsSession and the operation table through the real SDK against the sandbox: a profile
 * whose `services` section points at the sandbox, a credential_process profile, and every fault
 * class the engine relies on, as the SDK really surfaces it.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListDatastoresCommand } from '@aws-sdk/client-medical-imaging';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import type { OperationRequest } from '../engine/binding';
import { AwsFaultError, classifyAwsError } from './errors';
import { createAwsSession, type AwsSession } from './session';
import { writeTempAwsConfig, type TempAwsConfig } from './test-config';

let sandbox: Sandbox;
let cfg: TempAwsConfig;
let session: AwsSession;

const req = (operationId: string, parts: Partial<OperationRequest> = {}): OperationRequest => ({
  operationId,
  pathParameters: {},
  query: {},
  headers: {},
  ...parts,
});

let seq = 0;
const token = () => `tok-${Date.now()}-${++seq}`;

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 600, demoData: true });
  const { accessKeyId, secretAccessKey } = sandbox.credentials;
  cfg = writeTempAwsConfig(
    `[profile sbx]
region = ${sandbox.region}
services = local-sandbox

[services local-sandbox]
medical_imaging =
  endpoint_url = ${sandbox.url}
s3 =
  endpoint_url = ${sandbox.url}
sts =
  endpoint_url = ${sandbox.url}

[profile proc]
region = ${sandbox.region}
endpoint_url = ${sandbox.url}
credential_process = "${process.execPath}" PROCESS_SCRIPT

[profile wrong-secret]
region = ${sandbox.region}
endpoint_url = ${sandbox.url}
`,
    `[sbx]
aws_access_key_id = ${accessKeyId}
aws_secret_access_key = ${secretAccessKey}

[wrong-secret]
aws_access_key_id = ${accessKeyId}
aws_secret_access_key = ${'x'.repeat(40)}
`,
  );
  // credential_process: a tiny node script printing the documented JSON (Version 1).
  const proc = join(cfg.dir, 'creds.mjs');
  writeFileSync(proc, `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: ${JSON.stringify(accessKeyId)}, SecretAccessKey: ${JSON.stringify(secretAccessKey)} }));\n`);
  chmodSync(proc, 0o700);
  const configPath = cfg.env.AWS_CONFIG_FILE!;
  writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('PROCESS_SCRIPT', proc));

  session = await createAwsSession({ profile: 'sbx', env: cfg.env });
});

afterAll(async () => {
  session?.close();
  await sandbox?.close();
  cfg?.cleanup();
});

beforeEach(() => sandbox.faults.reset());

describe('a profile whose services section points at the sandbox', () => {
  it('resolves all three endpoints from the profile (not AWS_PROFILE/default)', () => {
    expect(session.endpoints).toEqual({ medicalImaging: sandbox.url, s3: sandbox.url, sts: sandbox.url });
    expect(session.region).toBe(sandbox.region);
  });

  it('identity() and CreateDatastore/GetDatastore work end to end through the binding', async () => {
    const who = await session.identity();
    expect(who.accountId).toBe(sandbox.accountId);
    expect(who.arn).toMatch(/^arn:aws:iam::\d{12}:/);
    expect(session.describe()).toMatchObject({ profile: 'sbx', region: sandbox.region, sandbox: false, accountId: sandbox.accountId, endpoint: sandbox.url });

    const created = await session.binding.send(req('CreateDatastore', { body: { datastoreName: 'aws-session-test', clientToken: token() } }));
    expect(created.fault).toBe('none');
    expect(created.statusCode).toBe(200);
    expect(created.requestId).toBeTruthy();
    expect(created.headers['x-amzn-requestid']).toBe(created.requestId);
    const body = created.body as { datastoreId: string; datastoreStatus: string };
    expect(body.datastoreId).toMatch(/^[0-9a-z]{32}$/);
    expect(body.datastoreStatus).toBe('CREATING');
    expect(created.body).not.toHaveProperty('$metadata');

    const got = await session.binding.send(req('GetDatastore', { pathParameters: { datastoreId: body.datastoreId } }));
    const props = (got.body as { datastoreProperties: Record<string, unknown> }).datastoreProperties;
    expect(props.datastoreName).toBe('aws-session-test');
    // Timestamps come back as epoch seconds, as on the wire, not Date objects.
    expect(typeof props.createdAt).toBe('number');
    expect(Math.abs((props.createdAt as number) - sandbox.clock.now() / 1000)).toBeLessThan(24 * 3600);
  });

  it('query parameters given as strings are coerced the way the model types them', async () => {
    const res = await session.binding.send(req('ListDatastores', { query: { maxResults: '1' } }));
    expect(res.fault).toBe('none');
    expect((res.body as { datastoreSummaries?: unknown[] }).datastoreSummaries?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it('S3 goes to the sandbox path-style', async () => {
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const out = await session.s3.send(new ListObjectsV2Command({ Bucket: sandbox.demo.bucket, MaxKeys: 5 }));
    expect(out.KeyCount).toBeGreaterThan(0);
  });

  it('lists every control-plane operation and its path parameters', () => {
    for (const op of ['CreateDatastore', 'GetDatastore', 'ListDatastores', 'DeleteDatastore', 'StartDICOMImportJob', 'GetDICOMImportJob', 'ListDICOMImportJobs', 'TagResource', 'ListTagsForResource', 'UntagResource'])
      expect(session.binding.has(op)).toBe(true);
    expect(session.binding.has('GetImageFrame')).toBe(false);
    expect(session.binding.pathParameters?.('GetDICOMImportJob')).toEqual(['datastoreId', 'jobId']);
    expect(session.binding.pathParameters?.('Nope')).toBeUndefined();
  });

  it('tags: TagResource, ListTagsForResource, UntagResource with a single tag key given as a string', async () => {
    const created = await session.binding.send(req('CreateDatastore', { body: { datastoreName: 'tagged', clientToken: token() } }));
    const id = (created.body as { datastoreId: string }).datastoreId;
    const got = await session.binding.send(req('GetDatastore', { pathParameters: { datastoreId: id } }));
    const arn = (got.body as { datastoreProperties: { datastoreArn: string } }).datastoreProperties.datastoreArn;
    expect((await session.binding.send(req('TagResource', { pathParameters: { resourceArn: arn }, body: { tags: { team: 'imaging', env: 'dev' } } }))).fault).toBe('none');
    expect((await session.binding.send(req('UntagResource', { pathParameters: { resourceArn: arn }, query: { tagKeys: 'env' } }))).fault).toBe('none');
    const tags = await session.binding.send(req('ListTagsForResource', { pathParameters: { resourceArn: arn } }));
    expect(tags.body).toEqual({ tags: { team: 'imaging' } });
  });
});

describe('a credential_process profile', () => {
  it('gets its keys from the process and signs real requests', async () => {
    const s = await createAwsSession({ profile: 'proc', env: cfg.env });
    try {
      expect((await s.identity()).accountId).toBe(sandbox.accountId);
      expect((await s.binding.send(req('ListDatastores'))).statusCode).toBe(200);
    } finally {
      s.close();
    }
  });
});

describe('faults as the engine sees them (real SDK, sandbox faults)', () => {
  it('throttling that outlasts the SDK retry comes back as a throttled response', async () => {
    sandbox.faults.failNext('ListDatastores', 5, 'ThrottlingException');
    const res = await session.binding.send(req('ListDatastores'));
    expect(res).toMatchObject({ statusCode: 429, fault: 'throttled', body: { __type: 'ThrottlingException' }, error: { code: 'ThrottlingException' } });
  });

  it('one throttle or 5xx is absorbed by the single SDK retry', async () => {
    sandbox.faults.failNext('ListDatastores', 1, 'InternalServerException');
    expect((await session.binding.send(req('ListDatastores'))).fault).toBe('none');
  });

  it('5xx and 503 are transient', async () => {
    sandbox.faults.failNext('ListDatastores', 5, 'InternalServerException');
    expect(await session.binding.send(req('ListDatastores'))).toMatchObject({ statusCode: 500, fault: 'transient' });
    sandbox.faults.failNext('ListDatastores', 5, 'ServiceUnavailable');
    expect(await session.binding.send(req('ListDatastores'))).toMatchObject({ statusCode: 503, fault: 'transient' });
  });

  it('a dropped connection is transient, and the SDK re-send with the same clientToken creates once', async () => {
    sandbox.faults.dropNext('ListDatastores', 2); // both SDK attempts
    const dropped = await session.binding.send(req('ListDatastores'));
    expect(dropped).toMatchObject({ statusCode: 0, fault: 'transient' });

    const name = `drop-${Date.now()}`;
    sandbox.faults.dropNext('CreateDatastore', 1);
    const created = await session.binding.send(req('CreateDatastore', { body: { datastoreName: name, clientToken: token() } }));
    expect(created.fault).toBe('none');
    const all = await session.medicalImaging.send(new ListDatastoresCommand({}));
    expect(all.datastoreSummaries?.filter((d) => d.datastoreName === name)).toHaveLength(1);
  });

  it('AccessDenied is a client fault naming the likely missing permission', async () => {
    sandbox.faults.failNext('StartDICOMImportJob', 1, 'AccessDeniedException');
    const res = await session.binding.send(
      req('StartDICOMImportJob', {
        pathParameters: { datastoreId: 'a'.repeat(32) },
        body: { dataAccessRoleArn: sandbox.demo.dataAccessRoleArn, clientToken: token(), inputS3Uri: sandbox.demo.inputS3Uri, outputS3Uri: sandbox.demo.outputS3Uri },
      }),
    );
    expect(res).toMatchObject({ statusCode: 403, fault: 'client', error: { code: 'AccessDeniedException' } });
    expect(res.error!.message).toMatch(/medical-imaging:StartDICOMImportJob and iam:PassRole/);
    expect(res.error!.action).toMatch(/grant/);
  });

  it('ExpiredTokenException is a credentials fault with a way forward', async () => {
    sandbox.faults.failNext('GetDatastore', 1, 'ExpiredTokenException');
    const res = await session.binding.send(req('GetDatastore', { pathParameters: { datastoreId: 'a'.repeat(32) } }));
    expect(res.fault).toBe('credentials');
    expect(res.error!.message).toMatch(/profile "sbx" have expired/);
    // The next request reads the profile again and goes through.
    expect((await session.binding.send(req('ListDatastores'))).fault).toBe('none');
  });

  it('a wrong secret key is a credentials fault; identity() says so too', async () => {
    const s = await createAwsSession({ profile: 'wrong-secret', env: cfg.env });
    try {
      const res = await s.binding.send(req('ListDatastores'));
      expect(res).toMatchObject({ statusCode: 403, fault: 'credentials', error: { code: 'InvalidSignatureException' } });
      const err = (await s.identity().catch((e: unknown) => e)) as AwsFaultError;
      expect(err).toBeInstanceOf(AwsFaultError);
      expect(err.classification.fault).toBe('credentials');
    } finally {
      s.close();
    }
  });

  it('not found, validation and conflict are client faults with the service words', async () => {
    const missing = await session.binding.send(req('GetDatastore', { pathParameters: { datastoreId: '0'.repeat(32) } }));
    expect(missing).toMatchObject({ statusCode: 404, fault: 'client', body: { __type: 'ResourceNotFoundException' } });

    const invalid = await session.binding.send(req('CreateDatastore', { body: { datastoreName: 'bad name!', clientToken: token() } }));
    expect(invalid).toMatchObject({ statusCode: 400, fault: 'client', body: { __type: 'ValidationException' } });
    expect(invalid.error!.message).toMatch(/datastoreName/);

    const created = await session.binding.send(req('CreateDatastore', { body: { datastoreName: 'conflict', clientToken: token() } }));
    const id = (created.body as { datastoreId: string }).datastoreId;
    const conflict = await session.binding.send(
      req('StartDICOMImportJob', {
        pathParameters: { datastoreId: id },
        body: { dataAccessRoleArn: sandbox.demo.dataAccessRoleArn, clientToken: token(), inputS3Uri: sandbox.demo.inputS3Uri, outputS3Uri: sandbox.demo.outputS3Uri },
      }),
    );
    expect(conflict).toMatchObject({ statusCode: 409, fault: 'client', body: { __type: 'ConflictException' } });
  });

  it('a refused connection is transient', async () => {
    const s = await createAwsSession({ sandbox: { endpoint: 'http://127.0.0.1:9', region: 'us-east-1', credentials: sandbox.credentials } });
    try {
      const res = await s.binding.send(req('ListDatastores'));
      expect(res).toMatchObject({ statusCode: 0, fault: 'transient', error: { code: 'ECONNREFUSED' } });
    } finally {
      s.close();
    }
  });

  it('cancellation during a slow request rejects with the abort reason instead of answering', async () => {
    sandbox.faults.latency(2_000);
    const ac = new AbortController();
    const pending = session.binding.send(req('ListDatastores'), ac.signal);
    setTimeout(() => ac.abort(new Error('user cancelled')), 50);
    await expect(pending).rejects.toThrow('user cancelled');
  });

  it('classifyAwsError names the profile in credential-provider failures', () => {
    const e = Object.assign(new Error('Could not resolve credentials'), { name: 'CredentialsProviderError' });
    expect(classifyAwsError(e, { profile: 'dev' })).toMatchObject({ fault: 'credentials', code: 'CredentialsUnavailable', action: expect.stringContaining('[profile dev]') });
  });
});

describe('a sandbox session', () => {
  it('uses the sandbox keys and endpoint for all three clients and says so in describe()', async () => {
    const s = await createAwsSession({ sandbox: { endpoint: sandbox.url, region: sandbox.region, credentials: sandbox.credentials } });
    try {
      expect(s.describe()).toEqual({ region: sandbox.region, sandbox: true, endpoint: sandbox.url });
      expect((await s.identity()).accountId).toBe(sandbox.accountId);
      const d = s.describe();
      expect(JSON.stringify(d)).not.toContain(sandbox.credentials.secretAccessKey);
      expect(JSON.stringify(d)).not.toContain(sandbox.credentials.accessKeyId);
    } finally {
      s.close();
    }
  });
});
