import { CreateDatastoreCommand, GetDatastoreCommand, GetDICOMImportJobCommand, ListTagsForResourceCommand, StartDICOMImportJobCommand } from '@aws-sdk/client-medical-imaging';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox } from './index';
import { clients } from './test-clients';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'ahi-sb-persist-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const credentials = { accessKeyId: 'AKIA' + 'PERSISTTEST00001', secretAccessKey: 'p'.repeat(40) };

describe('restart persistence with a data dir', () => {
  it('keeps stores, jobs, tokens, tags and results across a restart', async () => {
    const first = await startSandbox({ manualClock: true, dataDir, credentials });
    let c = clients(first);
    const ds = await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'persisted', clientToken: 'persist-token', tags: { keep: 'me' } }));
    first.clock.advance(120_000);
    const job = await c.mi.send(
      new StartDICOMImportJobCommand({ datastoreId: ds.datastoreId!, dataAccessRoleArn: first.demo.dataAccessRoleArn, inputS3Uri: first.demo.inputS3Uri, outputS3Uri: first.demo.outputS3Uri, clientToken: 'job-token' }),
    );
    first.clock.advance(3_600_000);
    const done = (await c.mi.send(new GetDICOMImportJobCommand({ datastoreId: ds.datastoreId!, jobId: job.jobId! }))).jobProperties!;
    expect(done.jobStatus).toBe('COMPLETED');
    const timeBefore = first.clock.now();
    await first.close();

    // State file is complete JSON, written atomically (no temp files left behind).
    expect(JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8')).version).toBe(1);
    expect(readdirSync(dataDir).filter((f) => f.includes('.tmp'))).toEqual([]);

    const second = await startSandbox({ manualClock: true, dataDir, credentials });
    try {
      expect(second.clock.now()).toBeGreaterThanOrEqual(timeBefore); // time never runs backwards
      c = clients(second);
      const got = await c.mi.send(new GetDatastoreCommand({ datastoreId: ds.datastoreId! }));
      expect(got.datastoreProperties).toMatchObject({ datastoreName: 'persisted', datastoreStatus: 'ACTIVE' });
      const again = await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'persisted', clientToken: 'persist-token', tags: { keep: 'me' } }));
      expect(again.datastoreId).toBe(ds.datastoreId);
      const jobAgain = (await c.mi.send(new GetDICOMImportJobCommand({ datastoreId: ds.datastoreId!, jobId: job.jobId! }))).jobProperties!;
      expect(jobAgain).toMatchObject({ jobStatus: 'COMPLETED', outputS3Uri: done.outputS3Uri });
      const tags = await c.mi.send(new ListTagsForResourceCommand({ resourceArn: got.datastoreProperties!.datastoreArn! }));
      expect(tags.tags).toEqual({ keep: 'me' });
      const key = `${done.outputS3Uri!.replace(`s3://${second.demo.bucket}/`, '')}job-output-manifest.json`;
      const manifest = await c.s3.send(new GetObjectCommand({ Bucket: second.demo.bucket, Key: key }));
      expect(JSON.parse(await manifest.Body!.transformToString()).jobSummary.jobId).toBe(job.jobId);
    } finally {
      await second.close();
    }
  });

  it('a job still running at shutdown finishes after restart', async () => {
    const first = await startSandbox({ manualClock: true, dataDir, credentials });
    const c = clients(first);
    const ds = await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'running' }));
    first.clock.advance(120_000);
    const job = await c.mi.send(
      new StartDICOMImportJobCommand({ datastoreId: ds.datastoreId!, dataAccessRoleArn: first.demo.dataAccessRoleArn, inputS3Uri: first.demo.inputS3Uri, outputS3Uri: first.demo.outputS3Uri }),
    );
    await first.close();
    const second = await startSandbox({ manualClock: true, dataDir, credentials });
    try {
      const c2 = clients(second);
      const changes: string[] = [];
      second.onStatusChange((ch) => ch.id === job.jobId && changes.push(ch.status));
      second.clock.advance(3_600_000);
      expect(changes).toEqual(['IN_PROGRESS', 'COMPLETED']);
      expect((await c2.mi.send(new GetDICOMImportJobCommand({ datastoreId: ds.datastoreId!, jobId: job.jobId! }))).jobProperties!.jobStatus).toBe('COMPLETED');
    } finally {
      await second.close();
    }
  });

  it('the demo bucket is laid on first start only', async () => {
    const first = await startSandbox({ manualClock: true, dataDir, credentials });
    await first.close();
    rmSync(join(dataDir, 's3', first.demo.bucket, 'dicom', 'SBX0001'), { recursive: true });
    const second = await startSandbox({ manualClock: true, dataDir, credentials });
    await second.close();
    expect(existsSync(join(dataDir, 's3', first.demo.bucket, 'dicom', 'SBX0001'))).toBe(false);
  });

  it('without a data dir nothing survives and the temp S3 folder is removed', async () => {
    const a = await startSandbox({ manualClock: true, credentials });
    const c = clients(a);
    await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'ephemeral' }));
    await a.close();
    const b = await startSandbox({ manualClock: true, credentials });
    try {
      const { ListDatastoresCommand } = await import('@aws-sdk/client-medical-imaging');
      expect((await clients(b).mi.send(new ListDatastoresCommand({}))).datastoreSummaries).toEqual([]);
    } finally {
      await b.close();
    }
  });
});

describe('IAM roles, KMS keys and bucket regions persist', () => {
  it('across a restart, with no user secret written to the data dir', async () => {
    const { CreateRoleCommand, GetRoleCommand } = await import('@aws-sdk/client-iam');
    const { CreateBucketCommand, GetBucketLocationCommand } = await import('@aws-sdk/client-s3');
    const { DescribeKeyCommand } = await import('@aws-sdk/client-kms');
    const first = await startSandbox({ manualClock: true, dataDir, credentials });
    const c1 = clients(first);
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'medical-imaging.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
    await c1.iam.send(new CreateRoleCommand({ RoleName: 'Kept', AssumeRolePolicyDocument: trust }));
    await c1.s3.send(new CreateBucketCommand({ Bucket: 'kept-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const key = first.kms.addKey({ alias: 'kept' });
    const user = first.addUser('temp', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }));
    await first.close();
    expect(readFileSync(join(dataDir, 'state.json'), 'utf8')).not.toContain(user.secretAccessKey);

    const second = await startSandbox({ manualClock: true, dataDir, credentials });
    try {
      const c2 = clients(second);
      expect((await c2.iam.send(new GetRoleCommand({ RoleName: 'Kept' }))).Role!.Arn).toBe(`arn:aws:iam::${second.accountId}:role/Kept`);
      expect((await c2.s3.send(new GetBucketLocationCommand({ Bucket: 'kept-eu' }))).LocationConstraint).toBe('eu-west-1');
      expect((await c2.kms.send(new DescribeKeyCommand({ KeyId: 'alias/kept' }))).KeyMetadata!.Arn).toBe(key);
    } finally {
      await second.close();
    }
  });
});
