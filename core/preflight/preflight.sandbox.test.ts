/**
 * Every preflight check through the real SDK clients (STS, S3, IAM, KMS, HealthImaging) against
 * the sandbox: pass, warn, fail and skipped, as issue 12 lists them.
 */
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsSession, type AwsSession } from '../aws/session';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { NO_IAM_POLICY } from '../../sandbox/principals';
import { rolePoliciesFor } from './role-policy';
import { runPreflight } from './runner';
import type { CheckId, PreflightInputs, PreflightReport } from './types';

let sb: Sandbox;
let session: AwsSession;
let demo: PreflightInputs;

const sessionFor = (credentials: { accessKeyId: string; secretAccessKey: string }) =>
  createAwsSession({ sandbox: { endpoint: sb.url, region: sb.region, credentials } });
const check = (r: PreflightReport, id: CheckId) => r.checks.find((c) => c.id === id)!;
const roleArn = (name: string) => `arn:aws:iam::${sb.accountId}:role/${name}`;

async function makeRole(name: string, trust: unknown, permissions?: unknown) {
  await session.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  if (permissions) await session.iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'access', PolicyDocument: JSON.stringify(permissions) }));
  return roleArn(name);
}

async function putObjects(bucket: string, keys: string[], body: Buffer | string) {
  const queue = [...keys];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let k = queue.shift(); k; k = queue.shift()) await session.s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: body }));
    }),
  );
}

beforeAll(async () => {
  sb = await startSandbox({ demoData: true });
  session = await sessionFor(sb.credentials);
  demo = { dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: sb.demo.inputS3Uri, outputS3Uri: sb.demo.outputS3Uri };
});
afterAll(async () => {
  session?.close();
  await sb?.close();
});

describe('runPreflight against the sandbox', () => {
  it('the demo inputs pass every check; no KMS key is skipped', async () => {
    const r = await runPreflight(session, demo);
    expect(r.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'identity:pass', 'region:pass', 'datastore-quota:pass', 'role-exists:pass', 'role-trust:pass', 'role-permissions:pass',
      'input-bucket:pass', 'output-bucket:pass', 'input-objects:pass', 'input-dicom:pass', 'kms-key:skipped',
    ]);
    expect(r).toMatchObject({ ready: true, errors: [] });
    expect(check(r, 'input-objects').detail).toContain('30 files');
  });

  it('no role: role-exists fails with the fix, the role checks that need it are skipped', async () => {
    const r = await runPreflight(session, { ...demo, dataAccessRoleArn: roleArn('NoSuchRole') });
    expect(check(r, 'role-exists')).toMatchObject({ status: 'fail', detail: expect.stringContaining('NoSuchRole does not exist'), fix: expect.stringContaining('ahi-onboard role create --name NoSuchRole') });
    expect(check(r, 'role-trust').status).toBe('skipped');
    expect(check(r, 'role-permissions').status).toBe('skipped');
    expect(r.ready).toBe(false);
    expect(r.errors).toEqual([]);
  });

  it('a role trusting ec2.amazonaws.com fails role-trust, naming what it trusts', async () => {
    const arn = await makeRole('Ec2Role', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    const r = await runPreflight(session, { ...demo, dataAccessRoleArn: arn });
    expect(check(r, 'role-trust')).toMatchObject({ status: 'fail', detail: expect.stringContaining('(it trusts ec2.amazonaws.com)'), fix: expect.stringContaining('medical-imaging.amazonaws.com') });
  });

  it('a role without S3 policies fails role-permissions, naming s3:GetObject and the bucket', async () => {
    const scope = { account: sb.accountId, region: sb.region, inputS3Uri: demo.inputS3Uri, outputS3Uri: demo.outputS3Uri };
    const arn = await makeRole('NoS3Role', rolePoliciesFor(scope).trustPolicy);
    const r = await runPreflight(session, { ...demo, dataAccessRoleArn: arn });
    expect(check(r, 'role-trust').status).toBe('pass');
    const p = check(r, 'role-permissions');
    expect(p.status).toBe('fail');
    expect(p.detail).toContain(`s3:GetObject on arn:aws:s3:::${sb.demo.bucket}/dicom/*`);
    expect(p.detail).toContain('s3:PutObject on');
    expect(p.fix).toContain('ahi-onboard role policy');
  });

  it('a SourceArn pinned to another data store fails role-trust and says so', async () => {
    const other = `arn:aws:medical-imaging:${sb.region}:${sb.accountId}:datastore/${'f'.repeat(32)}`;
    const arn = await makeRole('PinnedRole', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'medical-imaging.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { ArnEquals: { 'aws:SourceArn': other } } }],
    });
    const r = await runPreflight(session, { ...demo, dataAccessRoleArn: arn });
    expect(check(r, 'role-trust')).toMatchObject({ status: 'fail', detail: expect.stringContaining(`pinned to data store ${'f'.repeat(32)}`), fix: expect.stringContaining('datastore/*') });
  });

  it('5,001 objects fail input-objects naming the 5,000-file limit; progress is reported per page', async () => {
    await session.s3.send(new CreateBucketCommand({ Bucket: 'many-files' }));
    await putObjects('many-files', Array.from({ length: 5001 }, (_, i) => `in/f${String(i).padStart(5, '0')}.dcm`), 'x');
    const progress: number[] = [];
    const r = await runPreflight(session, { ...demo, inputS3Uri: 's3://many-files/in/' }, { onProgress: (p) => p.objects !== undefined && progress.push(p.objects) });
    expect(check(r, 'input-objects')).toMatchObject({ status: 'fail', detail: expect.stringContaining('5,001 files, more than the 5,000 files one import job takes'), fix: expect.stringContaining('Split') });
    expect(progress).toEqual([1000, 2000, 3000, 4000, 5000, 5001]);
    // The files are 1 byte: not DICOM, a warning and not a failure.
    expect(check(r, 'input-dicom').status).toBe('warn');
  }, 120_000);

  it('limits are configurable', async () => {
    const r = await runPreflight(session, demo, { limits: { maxFiles: 10 } });
    expect(check(r, 'input-objects').detail).toContain('30 files, more than the 10 files');
  });

  it('text files among DICOM are a warning with their count and examples', async () => {
    const r = await runPreflight(session, { ...demo, inputS3Uri: sb.demo.withErrorsInputS3Uri });
    const d = check(r, 'input-dicom');
    expect(d.status).toBe('warn');
    expect(d.detail).toMatch(/^\d+ of \d+ sampled files \(of \d+\) do not start with the DICOM Part 10 prefix "DICM": .*\.txt/);
    expect(r.ready).toBe(true);
  });

  it('a bucket in eu-west-1 for a us-east-1 run fails, naming both regions; its listing is skipped', async () => {
    await session.s3.send(new CreateBucketCommand({ Bucket: 'eu-bucket', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const r = await runPreflight(session, { ...demo, inputS3Uri: 's3://eu-bucket/in/' });
    expect(check(r, 'input-bucket')).toMatchObject({ status: 'fail', detail: expect.stringContaining('is in eu-west-1, but this run is in us-east-1'), fix: expect.stringContaining('--region eu-west-1') });
    expect(check(r, 'input-objects').status).toBe('skipped');
    const missing = await runPreflight(session, { ...demo, outputS3Uri: 's3://no-such-bucket-here/out/' });
    expect(check(missing, 'output-bucket')).toMatchObject({ status: 'fail', detail: 'The bucket no-such-bucket-here does not exist.' });
  });

  it('a caller denied iam:GetRole gets skipped role checks, not failures, and is still ready', async () => {
    const user = sb.addUser('no-iam-preflight', NO_IAM_POLICY);
    const limited = await sessionFor(user);
    try {
      const r = await runPreflight(limited, demo);
      expect(check(r, 'role-exists')).toMatchObject({ status: 'skipped', detail: expect.stringContaining('not allowed iam:GetRole') });
      expect(check(r, 'role-trust').status).toBe('skipped');
      expect(check(r, 'role-permissions')).toMatchObject({ status: 'skipped', detail: expect.stringContaining('iam:SimulatePrincipalPolicy') });
      expect(r).toMatchObject({ ready: true, errors: [] });
    } finally {
      limited.close();
    }
  });

  it('kms-key: an enabled key passes (and joins the simulated permissions), a disabled one or another region fails', async () => {
    const key = sb.kms.addKey({ description: 'preflight' });
    const ok = await runPreflight(session, { ...demo, kmsKeyArn: key });
    expect(check(ok, 'kms-key').status).toBe('pass');
    // The demo role has no KMS permissions: the role check names them with the key.
    expect(check(ok, 'role-permissions').detail).toContain(`kms:Decrypt on ${key}`);
    const disabled = sb.kms.addKey({ enabled: false });
    expect(check(await runPreflight(session, { ...demo, kmsKeyArn: disabled }), 'kms-key')).toMatchObject({ status: 'fail', detail: expect.stringContaining('Disabled') });
    const elsewhere = key.replace(`:${sb.region}:`, ':eu-west-1:');
    expect(check(await runPreflight(session, { ...demo, kmsKeyArn: elsewhere }), 'kms-key')).toMatchObject({ status: 'fail', detail: expect.stringContaining('is in eu-west-1') });
  });

  it('datastore-quota warns near the quota and fails at it; an import into an existing data store skips it', async () => {
    const atQuota = await runPreflight(session, demo, { datastoreQuota: 0 });
    expect(check(atQuota, 'datastore-quota')).toMatchObject({ status: 'fail', detail: expect.stringContaining('ServiceQuotaExceededException') });
    const near = await runPreflight(session, demo, { datastoreQuota: 1 });
    expect(['warn', 'fail']).toContain(check(near, 'datastore-quota').status);
    const imp = await runPreflight(session, { ...demo, datastoreId: 'a'.repeat(32) });
    expect(check(imp, 'datastore-quota').status).toBe('skipped');
  });

  it('cancelling rejects with the signal\'s reason', async () => {
    const abort = new AbortController();
    const run = runPreflight(session, { ...demo, inputS3Uri: 's3://many-files/in/' }, { signal: abort.signal, onProgress: (p) => p.objects && abort.abort(new Error('stop')) });
    await expect(run).rejects.toThrow('stop');
  });

  it('bad credentials: identity fails as an AWS error and nothing else is checked', async () => {
    const bad = await sessionFor({ accessKeyId: sb.credentials.accessKeyId, secretAccessKey: 'x'.repeat(40) });
    try {
      const r = await runPreflight(bad, demo);
      expect(check(r, 'identity').status).toBe('fail');
      expect(r.errors.map((e) => e.checkId)).toEqual(['identity']);
      expect(r.checks.filter((c) => c.id !== 'identity').every((c) => c.status === 'skipped')).toBe(true);
    } finally {
      bad.close();
    }
  });
});
