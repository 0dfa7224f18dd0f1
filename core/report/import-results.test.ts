/**
 * readImportResults through the real S3 client against the sandbox's S3 (real SigV4, real wire):
 * a real import job's output, a manifest that appears late, one that never does, access denied,
 * a missing bucket, a huge failure.ndjson read by range, cancellation, bad input. Never throws.
 */
import {
  CreateDatastoreCommand,
  GetDICOMImportJobCommand,
  StartDICOMImportJobCommand,
} from '@aws-sdk/client-medical-imaging';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { clients } from '../../sandbox/test-clients';
import { FAILURE_BYTES, jobOutputFolder, parseFailureLines, readImportResults } from './import-results';

let sb: Sandbox;
let c: ReturnType<typeof clients>;
const BUCKET = 'report-results-test';
const JOB = 's3://report-results-test/out/0123456789abcdef0123456789abcdef-DicomImport-77aa/';
const PREFIX = 'out/0123456789abcdef0123456789abcdef-DicomImport-77aa/';
const noSleep = async () => {};

beforeAll(async () => {
  sb = await startSandbox({ manualClock: true });
  c = clients(sb);
  await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  await sb.close();
});

async function put(key: string, body: string | Buffer, s3: S3Client = c.s3) {
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
}

function manifest(extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    jobSummary: {
      jobId: '77aa',
      datastoreId: '0123456789abcdef0123456789abcdef',
      failureOutputS3Uri: `${JOB}FAILURE/`,
      numberOfScannedFiles: 5000,
      numberOfImportedFiles: 4200,
      numberOfFilesWithCustomerError: 790,
      numberOfFilesWithServerError: 10,
      numberOfGeneratedImageSets: 250,
      imageSetsSummary: Array.from({ length: 250 }, (_, i) => ({ imageSetId: `set${String(i).padStart(29, '0')}`, numberOfMatchedSOPInstances: 16 })),
      ...extra,
    },
  });
}

describe('readImportResults', () => {
  it('reads a real import job that COMPLETED with customer errors (the sandbox demo set with broken files)', async () => {
    const created = await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'report-results', clientToken: 'rr-1' }));
    sb.clock.advance(180_000);
    const started = await c.mi.send(
      new StartDICOMImportJobCommand({
        datastoreId: created.datastoreId!,
        dataAccessRoleArn: sb.demo.dataAccessRoleArn,
        clientToken: 'rr-import-1',
        inputS3Uri: sb.demo.withErrorsInputS3Uri,
        outputS3Uri: sb.demo.outputS3Uri,
      }),
    );
    let job;
    for (let i = 0; i < 60; i++) {
      job = (await c.mi.send(new GetDICOMImportJobCommand({ datastoreId: created.datastoreId!, jobId: started.jobId! }))).jobProperties!;
      if (job.jobStatus === 'COMPLETED' || job.jobStatus === 'FAILED') break;
      sb.clock.advance(30_000);
    }
    expect(job!.jobStatus).toBe('COMPLETED');

    // As GetDICOMImportJob reports it (job folder included)...
    const fromJob = await readImportResults(c.s3, job!.outputS3Uri!, { sleep: noSleep });
    // ...and as the start-time outputS3Uri plus ids (how the app calls it).
    const fromStart = await readImportResults(c.s3, { outputS3Uri: sb.demo.outputS3Uri, datastoreId: created.datastoreId!, jobId: started.jobId! }, { sleep: noSleep });
    expect(fromStart).toEqual(fromJob);

    expect(fromJob.state).toBe('read');
    expect(fromJob.manifestUri).toBe(`${job!.outputS3Uri}job-output-manifest.json`);
    const failed = (fromJob.numberOfFilesWithCustomerError ?? 0) + (fromJob.numberOfFilesWithServerError ?? 0);
    expect(failed).toBeGreaterThan(0);
    expect(fromJob.numberOfImportedFiles! + failed).toBe(fromJob.numberOfScannedFiles);
    expect(fromJob.failures).toHaveLength(Math.min(failed, 20));
    for (const f of fromJob.failures!) {
      expect(f.inputFile.startsWith(sb.demo.withErrorsInputS3Uri)).toBe(true);
      expect(f.message.length).toBeGreaterThan(0);
    }
    expect(fromJob.imageSets!.length).toBe(fromJob.numberOfGeneratedImageSets);
  });

  it('reads the manifest, bounds the image sets, and reads only the first FAILURE_BYTES (1 MiB) of a large failure.ndjson', async () => {
    const line = (i: number) =>
      JSON.stringify({ inputFile: `s3://input/bad/file-${String(i).padStart(6, '0')}.dcm`, exception: { exceptionType: 'InvalidInputException', message: `Bad file number ${i}` } });
    const big = Array.from({ length: 36000 }, (_, i) => line(i)).join('\n') + '\n';
    expect(Buffer.byteLength(big)).toBeGreaterThan(FAILURE_BYTES * 4);
    await put(`${PREFIX}job-output-manifest.json`, manifest());
    await put(`${PREFIX}FAILURE/failure.ndjson`, big);

    const r = await readImportResults(c.s3, JOB, { sleep: noSleep });
    expect(r).toMatchObject({
      state: 'read',
      numberOfScannedFiles: 5000,
      numberOfImportedFiles: 4200,
      numberOfFilesWithCustomerError: 790,
      numberOfFilesWithServerError: 10,
      numberOfGeneratedImageSets: 250,
    });
    expect(r.imageSets).toHaveLength(100);
    expect(r.failures).toHaveLength(20);
    expect(r.failures![0]).toEqual({ inputFile: 's3://input/bad/file-000000.dcm', exceptionType: 'InvalidInputException', message: 'Bad file number 0' });
    expect(r.message).toBeUndefined();
    // Grouped over what was read only, and said so: every line read is counted, none past the range.
    expect(r.failuresComplete).toBe(false);
    const counted = r.failuresByType!.reduce((n, g) => n + g.count, 0);
    expect(counted).toBeGreaterThan(5000);
    expect(counted).toBeLessThan(36000);
    expect(r.failuresByType!.every((g) => g.examples.length <= 5)).toBe(true);
  });

  it('waits briefly for a manifest that appears a little after the job ends', async () => {
    const prefix = 'late/job-1/';
    let sleeps = 0;
    const r = await readImportResults(c.s3, `s3://${BUCKET}/${prefix}`, {
      attempts: 5,
      delayMs: 1234,
      sleep: async (ms) => {
        expect(ms).toBe(1234);
        sleeps++;
        if (sleeps === 2) await put(`${prefix}job-output-manifest.json`, manifest({ numberOfFilesWithCustomerError: 0, numberOfFilesWithServerError: 0 }));
      },
    });
    expect(sleeps).toBe(2);
    expect(r.state).toBe('read');
    expect(r.failures).toEqual([]);
  });

  it('says not-found (never throws) when the manifest never appears', async () => {
    let sleeps = 0;
    const r = await readImportResults(c.s3, `s3://${BUCKET}/never/`, { attempts: 3, sleep: async () => void sleeps++ });
    expect(sleeps).toBe(2);
    expect(r.state).toBe('not-found');
    expect(r.message).toContain('job-output-manifest.json');
    expect(r.message).toContain('tried 3 times');
  });

  it('says plainly that access was denied: which bucket, which permission', async () => {
    sb.faults.failNext('GetObject', 1, 'AccessDeniedException');
    const r = await readImportResults(c.s3, JOB, { sleep: noSleep });
    expect(r.state).toBe('access-denied');
    expect(r.message).toContain(`arn:aws:s3:::${BUCKET}/${PREFIX}*`);
    expect(r.message).toContain('s3:GetObject');
    expect(r.message).toContain("run's own result is unchanged");
  });

  it('keeps the counts when only the failure list cannot be read', async () => {
    const prefix = 'partial/job-2/';
    await put(`${prefix}job-output-manifest.json`, manifest({ failureOutputS3Uri: 's3://gone-failure-bucket/x/FAILURE/' }));
    const r = await readImportResults(c.s3, `s3://${BUCKET}/${prefix}`, { sleep: noSleep });
    expect(r.state).toBe('read');
    expect(r.numberOfFilesWithCustomerError).toBe(790);
    expect(r.failures).toEqual([]);
    expect(r.message).toContain('The list of failed files at s3://gone-failure-bucket/x/FAILURE/failure.ndjson could not be read');
  });

  it('names a missing output bucket', async () => {
    const r = await readImportResults(c.s3, 's3://no-such-output-bucket/x/', { sleep: noSleep });
    expect(r.state).toBe('not-found');
    expect(r.message).toContain('no-such-output-bucket');
  });

  it('reports a malformed manifest as an error state', async () => {
    await put('broken/job-output-manifest.json', '{"jobSummary": ');
    const r = await readImportResults(c.s3, `s3://${BUCKET}/broken/`, { sleep: noSleep });
    expect(r.state).toBe('error');
    expect(r.message).toContain('not valid');
  });

  it('stops when cancelled, with a state, not an exception', async () => {
    const ac = new AbortController();
    const r = await readImportResults(c.s3, `s3://${BUCKET}/never-2/`, {
      attempts: 10,
      signal: ac.signal,
      sleep: async () => ac.abort(),
    });
    expect(r.state).toBe('error');
    expect(r.message).toContain('cancelled');
  });

  it('rejects a location that is not an S3 URI without sending anything', async () => {
    const r = await readImportResults(c.s3, 'https://example.com/out/', { sleep: noSleep });
    expect(r).toEqual({ state: 'error', message: 'The job\'s output location "https://example.com/out/" is not an s3://bucket/prefix/ URI.' });
  });
});

describe('jobOutputFolder and parseFailureLines', () => {
  it('appends the job folder once', () => {
    const loc = { datastoreId: 'd'.repeat(32), jobId: 'abc' };
    expect(jobOutputFolder({ outputS3Uri: 's3://b/out', ...loc })).toBe(`s3://b/out/${'d'.repeat(32)}-DicomImport-abc/`);
    expect(jobOutputFolder({ outputS3Uri: `s3://b/out/${'d'.repeat(32)}-DicomImport-abc/`, ...loc })).toBe(`s3://b/out/${'d'.repeat(32)}-DicomImport-abc/`);
  });

  it('drops a line cut by the byte range and skips malformed lines', () => {
    const text = '{"inputFile":"a","exception":{"message":"m"}}\nnot json\n{"inputFile":"b","exception":{"exceptionType":"T","message":"n"}}\n{"inputFile":"c","exc';
    expect(parseFailureLines(text, true)).toEqual([
      { inputFile: 'a', message: 'm' },
      { inputFile: 'b', exceptionType: 'T', message: 'n' },
    ]);
  });
});
