import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { CreateDatastoreCommand, GetDICOMImportJobCommand, StartDICOMImportJobCommand } from '@aws-sdk/client-medical-imaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
import { clients } from './test-clients';

let sb: Sandbox;
let c: ReturnType<typeof clients>;
let datastoreId = '';
beforeAll(async () => {
  sb = await startSandbox({ manualClock: true });
  c = clients(sb);
  datastoreId = (await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'roles' }))).datastoreId!;
  sb.clock.advance(180_000);
});
afterAll(async () => {
  await sb.close();
});

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const trusting = (service: string, Condition?: object) => doc({ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', ...(Condition ? { Condition } : {}) });
const demoAccess = () =>
  doc(
    { Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${sb.demo.bucket}`, `arn:aws:s3:::${sb.demo.bucket}/*`] },
    { Effect: 'Allow', Action: 's3:PutObject', Resource: `arn:aws:s3:::${sb.demo.bucket}/output/*` },
  );

async function role(name: string, trust: string, policies: Record<string, string> = {}): Promise<string> {
  const arn = (await c.iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust }))).Role!.Arn!;
  for (const [PolicyName, PolicyDocument] of Object.entries(policies)) await c.iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName, PolicyDocument }));
  return arn;
}

async function runJob(dataAccessRoleArn: string, inputS3Uri = sb.demo.inputS3Uri, outputS3Uri = sb.demo.outputS3Uri) {
  const { jobId } = await c.mi.send(new StartDICOMImportJobCommand({ datastoreId, dataAccessRoleArn, inputS3Uri, outputS3Uri }));
  sb.clock.advance(3_600_000);
  return (await c.mi.send(new GetDICOMImportJobCommand({ datastoreId, jobId: jobId! }))).jobProperties!;
}

describe('an import job acts as its data-access role', () => {
  it('the demo role imports the demo data', async () => {
    expect((await runJob(sb.demo.dataAccessRoleArn)).jobStatus).toBe('COMPLETED');
  });

  it('a missing role, or one that does not trust HealthImaging, fails naming the role', async () => {
    const ghost = `arn:aws:iam::${sb.accountId}:role/NoSuchRole`;
    const missing = await runJob(ghost);
    expect(missing.jobStatus).toBe('FAILED');
    expect(missing.message).toContain(`Failed to assume the data access role ${ghost}`);
    expect(missing.message).toMatch(/^[\w -:`]+$/);
    const ec2 = await role('Ec2Role', trusting('ec2.amazonaws.com'), { access: demoAccess() });
    const untrusted = await runJob(ec2);
    expect(untrusted.jobStatus).toBe('FAILED');
    expect(untrusted.message).toContain(`Failed to assume the data access role ${ec2}`);
  });

  it('trust conditions are evaluated: a SourceArn pinned to another data store fails, datastore/* passes', async () => {
    const other = `arn:aws:medical-imaging:${sb.region}:${sb.accountId}:datastore/${'0'.repeat(32)}`;
    const pinned = await role('PinnedRole', trusting('medical-imaging.amazonaws.com', { ArnEquals: { 'aws:SourceArn': other } }), { access: demoAccess() });
    expect((await runJob(pinned)).message).toContain('Failed to assume the data access role');
    const wide = await role('WideRole', trusting('medical-imaging.amazonaws.com', { StringEquals: { 'aws:SourceAccount': sb.accountId }, ArnLike: { 'aws:SourceArn': `arn:aws:medical-imaging:${sb.region}:${sb.accountId}:datastore/*` } }), {
      access: demoAccess(),
    });
    expect((await runJob(wide)).jobStatus).toBe('COMPLETED');
  });

  it('a role that cannot list or read the input, or write the output, fails naming the role, action and resource', async () => {
    const none = await role('NoS3Role', trusting('medical-imaging.amazonaws.com'));
    const noS3 = await runJob(none);
    expect(noS3.jobStatus).toBe('FAILED');
    expect(noS3.message).toContain(`The data access role ${none} is not authorized to perform s3:ListBucket on arn:aws:s3:::${sb.demo.bucket}`);

    const listOnly = await role('ListOnlyRole', trusting('medical-imaging.amazonaws.com'), {
      list: doc({ Effect: 'Allow', Action: ['s3:ListBucket', 's3:PutObject'], Resource: [`arn:aws:s3:::${sb.demo.bucket}`, `arn:aws:s3:::${sb.demo.bucket}/*`] }),
    });
    expect((await runJob(listOnly)).message).toMatch(new RegExp(`not authorized to perform s3:GetObject on arn:aws:s3:::${sb.demo.bucket}/dicom/`));

    const readOnly = await role('ReadOnlyRole', trusting('medical-imaging.amazonaws.com'), {
      read: doc({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${sb.demo.bucket}`, `arn:aws:s3:::${sb.demo.bucket}/*`] }),
    });
    const noWrite = await runJob(readOnly);
    expect(noWrite.jobStatus).toBe('FAILED');
    expect(noWrite.message).toContain(`The data access role ${readOnly} is not authorized to perform s3:PutObject`);
    expect(noWrite.message).toContain(`unable to write to output S3 location ${sb.demo.outputS3Uri}`);

    const denied = await role('DeniedRole', trusting('medical-imaging.amazonaws.com'), { access: demoAccess(), guard: doc({ Effect: 'Deny', Action: 's3:GetObject', Resource: `arn:aws:s3:::${sb.demo.bucket}/dicom/SBX0002/*` }) });
    expect((await runJob(denied)).message).toContain('s3:GetObject on arn:aws:s3:::healthimaging-sandbox-demo/dicom/SBX0002/');
  });

  it('an input bucket of another region fails, naming both regions', async () => {
    await c.s3.send(new CreateBucketCommand({ Bucket: 'far-input', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const far = await role('FarRole', trusting('medical-imaging.amazonaws.com'), { all: doc({ Effect: 'Allow', Action: 's3:*', Resource: '*' }) });
    const job = await runJob(far, 's3://far-input/dicom/');
    expect(job.jobStatus).toBe('FAILED');
    expect(job.message).toContain(`Input S3 bucket far-input is in eu-west-1: HealthImaging in ${sb.region}`);
    await c.s3.send(new CreateBucketCommand({ Bucket: 'near-output' }));
    await c.s3.send(new PutObjectCommand({ Bucket: 'near-output', Key: 'keep', Body: 'x' }));
    expect((await runJob(far, sb.demo.inputS3Uri, 's3://near-output/out/')).jobStatus).toBe('COMPLETED');
  });
});
