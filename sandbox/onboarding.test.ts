import {
  CreateDatastoreCommand,
  DeleteDatastoreCommand,
  GetDatastoreCommand,
  GetDICOMImportJobCommand,
  ListDatastoresCommand,
  StartDICOMImportJobCommand,
} from '@aws-sdk/client-medical-imaging';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type StatusChange } from './index';
import { DEMO_COUNTS } from './demo-data';
import { clients } from './test-clients';

let sb: Sandbox;
let c: ReturnType<typeof clients>;
beforeEach(async () => {
  sb = await startSandbox({ manualClock: true });
  c = clients(sb);
});
afterEach(async () => {
  await sb.close();
});

async function activeStore(name = 'onboarding-test'): Promise<string> {
  const created = await c.mi.send(new CreateDatastoreCommand({ datastoreName: name }));
  sb.clock.advance(120_000);
  return created.datastoreId!;
}

async function readJson(bucket: string, key: string): Promise<any> {
  const obj = await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await obj.Body!.transformToString());
}

describe('onboarding path through the real SDK', () => {
  it('creates a store, polls it ACTIVE, imports the demo set, polls COMPLETED and reads the manifest over S3', async () => {
    const identity = await c.sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(sb.accountId);

    const created = await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'demo-store' }));
    expect(created.datastoreStatus).toBe('CREATING');
    expect(created.datastoreId).toMatch(/^[0-9a-z]{32}$/);
    const id = created.datastoreId!;

    const statuses: string[] = [];
    for (let i = 0; i < 20; i++) {
      const got = await c.mi.send(new GetDatastoreCommand({ datastoreId: id }));
      statuses.push(got.datastoreProperties!.datastoreStatus!);
      if (got.datastoreProperties!.datastoreStatus === 'ACTIVE') {
        expect(got.datastoreProperties!.createdAt).toBeInstanceOf(Date);
        expect(got.datastoreProperties!.datastoreArn).toBe(`arn:aws:medical-imaging:${sb.region}:${sb.accountId}:datastore/${id}`);
        break;
      }
      sb.clock.advance(15_000);
    }
    expect(statuses[0]).toBe('CREATING');
    expect(statuses.at(-1)).toBe('ACTIVE');
    // About two minutes at time scale 1.
    expect(statuses.length).toBeGreaterThanOrEqual(8);

    const started = await c.mi.send(
      new StartDICOMImportJobCommand({
        datastoreId: id,
        dataAccessRoleArn: sb.demo.dataAccessRoleArn,
        inputS3Uri: sb.demo.inputS3Uri,
        outputS3Uri: sb.demo.outputS3Uri,
      }),
    );
    expect(started.jobStatus).toBe('SUBMITTED');
    expect(started.submittedAt).toBeInstanceOf(Date);

    const seen = new Set<string>();
    let job;
    for (let i = 0; i < 40; i++) {
      job = (await c.mi.send(new GetDICOMImportJobCommand({ datastoreId: id, jobId: started.jobId! }))).jobProperties!;
      seen.add(job.jobStatus!);
      if (job.jobStatus === 'COMPLETED' || job.jobStatus === 'FAILED') break;
      sb.clock.advance(10_000);
    }
    expect([...seen]).toEqual(['SUBMITTED', 'IN_PROGRESS', 'COMPLETED']);
    expect(job!.jobName).toBeTruthy();
    expect(job!.endedAt).toBeInstanceOf(Date);
    const folder = `${sb.demo.outputS3Uri}${id}-DicomImport-${started.jobId}/`;
    expect(job!.outputS3Uri).toBe(folder);

    const prefix = folder.replace(`s3://${sb.demo.bucket}/`, '');
    const listed = await c.s3.send(new ListObjectsV2Command({ Bucket: sb.demo.bucket, Prefix: prefix }));
    expect(listed.Contents!.map((o) => o.Key!.slice(prefix.length)).sort()).toEqual(['SUCCESS/success.ndjson', 'job-output-manifest.json']);

    const manifest = await readJson(sb.demo.bucket, `${prefix}job-output-manifest.json`);
    expect(manifest.jobSummary).toMatchObject({
      jobId: started.jobId,
      datastoreId: id,
      inputS3Uri: sb.demo.inputS3Uri,
      outputS3Uri: folder,
      successOutputS3Uri: `${folder}SUCCESS/`,
      failureOutputS3Uri: `${folder}FAILURE/`,
      numberOfScannedFiles: DEMO_COUNTS.files,
      numberOfImportedFiles: DEMO_COUNTS.files,
      numberOfFilesWithCustomerError: 0,
      numberOfFilesWithServerError: 0,
      numberOfGeneratedImageSets: DEMO_COUNTS.series,
    });
    const matched = manifest.jobSummary.imageSetsSummary.map((s: any) => s.numberOfMatchedSOPInstances).sort((a: number, b: number) => a - b);
    expect(matched).toEqual([4, 6, 6, 6, 8]);

    const success = await c.s3.send(new GetObjectCommand({ Bucket: sb.demo.bucket, Key: `${prefix}SUCCESS/success.ndjson` }));
    const lines = (await success.Body!.transformToString()).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(DEMO_COUNTS.files);
    expect(lines[0].importResponse.imageSetId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reports "completed with errors": the broken demo prefix COMPLETES and lists each bad file in failure.ndjson', async () => {
    const id = await activeStore();
    const started = await c.mi.send(
      new StartDICOMImportJobCommand({ datastoreId: id, dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: sb.demo.withErrorsInputS3Uri, outputS3Uri: sb.demo.outputS3Uri }),
    );
    sb.clock.advance(3_600_000);
    const job = (await c.mi.send(new GetDICOMImportJobCommand({ datastoreId: id, jobId: started.jobId! }))).jobProperties!;
    expect(job.jobStatus).toBe('COMPLETED');
    const prefix = job.outputS3Uri!.replace(`s3://${sb.demo.bucket}/`, '');
    const manifest = await readJson(sb.demo.bucket, `${prefix}job-output-manifest.json`);
    expect(manifest.jobSummary.numberOfImportedFiles).toBe(DEMO_COUNTS.errorsPrefixValid);
    expect(manifest.jobSummary.numberOfFilesWithCustomerError).toBe(DEMO_COUNTS.errorsPrefixBroken);
    const failure = await c.s3.send(new GetObjectCommand({ Bucket: sb.demo.bucket, Key: `${prefix}FAILURE/failure.ndjson` }));
    const failures = (await failure.Body!.transformToString()).trim().split('\n').map((l) => JSON.parse(l));
    expect(failures.map((f) => f.inputFile.split('/').pop()).sort()).toEqual(['README.txt', 'missing-series-uid.dcm', 'truncated.dcm']);
    expect(failures.find((f) => f.inputFile.endsWith('missing-series-uid.dcm')).exception.message).toContain('SeriesInstanceUID');
    for (const f of failures) expect(f.exception.exceptionType).toBeTruthy();
  });

  it('fails a job whose input prefix is empty or missing, with a message', async () => {
    const id = await activeStore();
    for (const inputS3Uri of [`s3://${sb.demo.bucket}/nothing-here/`, 's3://no-such-bucket/x/']) {
      const started = await c.mi.send(
        new StartDICOMImportJobCommand({ datastoreId: id, dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri, outputS3Uri: sb.demo.outputS3Uri }),
      );
      sb.clock.advance(3_600_000);
      const job = (await c.mi.send(new GetDICOMImportJobCommand({ datastoreId: id, jobId: started.jobId! }))).jobProperties!;
      expect(job.jobStatus).toBe('FAILED');
      expect(job.message).toMatch(/^[\w -:`]+$/);
      expect(job.message!.length).toBeGreaterThan(10);
    }
  });

  it('an inputS3Uri under a fail-import prefix makes the job FAILED', async () => {
    const id = await activeStore();
    const started = await c.mi.send(
      new StartDICOMImportJobCommand({ datastoreId: id, dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: `s3://${sb.demo.bucket}/fail-import/`, outputS3Uri: sb.demo.outputS3Uri }),
    );
    sb.clock.advance(60_000);
    expect((await c.mi.send(new GetDICOMImportJobCommand({ datastoreId: id, jobId: started.jobId! }))).jobProperties!.jobStatus).toBe('IN_PROGRESS');
    sb.clock.advance(3_600_000);
    const job = (await c.mi.send(new GetDICOMImportJobCommand({ datastoreId: id, jobId: started.jobId! }))).jobProperties!;
    expect(job.jobStatus).toBe('FAILED');
    expect(job.message).toContain('access denied');
  });

  it('a datastoreName containing fail-create ends CREATE_FAILED; deleting goes DELETING then DELETED', async () => {
    const bad = await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'x-fail-create-y' }));
    sb.clock.advance(120_000);
    expect((await c.mi.send(new GetDatastoreCommand({ datastoreId: bad.datastoreId! }))).datastoreProperties!.datastoreStatus).toBe('CREATE_FAILED');

    const id = await activeStore('to-delete');
    const del = await c.mi.send(new DeleteDatastoreCommand({ datastoreId: id }));
    expect(del.datastoreStatus).toBe('DELETING');
    sb.clock.advance(60_000);
    expect((await c.mi.send(new GetDatastoreCommand({ datastoreId: id }))).datastoreProperties!.datastoreStatus).toBe('DELETED');
    const deleted = await c.mi.send(new ListDatastoresCommand({ datastoreStatus: 'DELETED' }));
    expect(deleted.datastoreSummaries!.map((d) => d.datastoreId)).toEqual([id]);
  });

  it('refuses to import into a store that is not ACTIVE (ConflictException) and to delete a CREATING store', async () => {
    const created = await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'still-creating' }));
    const start = () =>
      c.mi.send(
        new StartDICOMImportJobCommand({ datastoreId: created.datastoreId!, dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: sb.demo.inputS3Uri, outputS3Uri: sb.demo.outputS3Uri }),
      );
    await expect(start()).rejects.toMatchObject({ name: 'ConflictException', $metadata: { httpStatusCode: 409 } });
    await expect(c.mi.send(new DeleteDatastoreCommand({ datastoreId: created.datastoreId! }))).rejects.toMatchObject({ name: 'ConflictException' });
  });

  it('reports every status transition in sandbox time through onStatusChange', async () => {
    const changes: StatusChange[] = [];
    const off = sb.onStatusChange((ch) => changes.push(ch));
    const t0 = sb.clock.now();
    const created = await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'watched' }));
    sb.clock.advance(200_000); // one jump past the end still yields the exact transition time
    const id = created.datastoreId!;
    expect(changes.filter((ch) => ch.id === id).map((ch) => [ch.status, ch.at - t0])).toEqual([
      ['CREATING', 0],
      ['ACTIVE', 120_000],
    ]);
    const started = await c.mi.send(
      new StartDICOMImportJobCommand({ datastoreId: id, dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: sb.demo.inputS3Uri, outputS3Uri: sb.demo.outputS3Uri }),
    );
    const t1 = sb.clock.now();
    sb.clock.advance(3_600_000);
    const jobChanges = changes.filter((ch) => ch.id === started.jobId);
    expect(jobChanges.map((ch) => ch.status)).toEqual(['SUBMITTED', 'IN_PROGRESS', 'COMPLETED']);
    // An import takes about a minute plus a little per file.
    expect(jobChanges[2]!.at - t1).toBe(10_000 + 60_000 + 500 * DEMO_COUNTS.files);
    off();
  });
});

describe('imports over the 5,000-file limit', () => {
  it('fail with a message naming the limit', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ahi-sb-many-'));
    const big = await startSandbox({ manualClock: true, dataDir, demoData: false });
    try {
      const dir = join(dataDir, 's3', 'many-files', 'in');
      mkdirSync(dir, { recursive: true });
      mkdirSync(join(dataDir, 's3', 'many-out'), { recursive: true });
      for (let i = 0; i <= 5000; i++) writeFileSync(join(dir, `f${i}.dcm`), '');
      const bc = clients(big);
      // No demo data, so no demo role: one that may read and write these buckets.
      const roleArn = big.addRole(
        'ManyFilesRole',
        JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'medical-imaging.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
        { s3: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'], Resource: '*' }] }) },
      );
      const created = await bc.mi.send(new CreateDatastoreCommand({ datastoreName: 'big' }));
      big.clock.advance(120_000);
      const started = await bc.mi.send(
        new StartDICOMImportJobCommand({
          datastoreId: created.datastoreId!,
          dataAccessRoleArn: roleArn,
          inputS3Uri: 's3://many-files/in/',
          outputS3Uri: 's3://many-out/out/',
        }),
      );
      big.clock.advance(10 * 3_600_000);
      const job = (await bc.mi.send(new GetDICOMImportJobCommand({ datastoreId: created.datastoreId!, jobId: started.jobId! }))).jobProperties!;
      expect(job.jobStatus).toBe('FAILED');
      expect(job.message).toContain('5000');
    } finally {
      await big.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
