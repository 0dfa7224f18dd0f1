/**
 * The look-up use cases against the sandbox, with the data store and jobs made directly through
 * @aws-sdk/client-medical-imaging (not through the product): list every page, get one, read a
 * job's results (failures grouped, non-primary image sets of a conflicting import), and watch a
 * job started elsewhere to COMPLETED without creating anything.
 */
import { CreateDatastoreCommand, GetDatastoreCommand, StartDICOMImportJobCommand } from '@aws-sdk/client-medical-imaging';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { clients } from '../../sandbox/test-clients';
import { syntheticInstance } from '../../sandbox/dicom-writer';
import { uidFor } from '../../sandbox/demo-data';
import { createAwsSession, type AwsSession } from '../aws/session';
import { AwsFaultError } from '../aws/errors';
import { listDatastores, getDatastore } from './datastores';
import { listImportJobs, readJobResults } from './import-jobs';
import { watchImportJob, type WatchEvent } from './watch';
import { DEMO_POLLING, sandboxTarget } from './sandbox-host';

let sandbox: Sandbox;
let session: AwsSession;
let sdk: ReturnType<typeof clients>;
const requests: string[] = [];
let datastoreId = '';

const instance = (n: number, patientId: string) =>
  syntheticInstance({
    patientName: `CONFLICT^${patientId}`,
    patientId,
    studyUid: uidFor('conflict:study'),
    seriesUid: uidFor('conflict:series'),
    sopInstanceUid: uidFor(`conflict:sop:${n}`),
    modality: 'CT',
    studyDate: '20240101',
    studyDescription: 'Conflict',
    seriesDescription: 'Axial',
    seriesNumber: 1,
    instanceNumber: n + 1,
  });

async function startJob(inputS3Uri: string, jobName: string): Promise<string> {
  const out = await sdk.mi.send(
    new StartDICOMImportJobCommand({ datastoreId, jobName, dataAccessRoleArn: sandbox.demo.dataAccessRoleArn, inputS3Uri, outputS3Uri: sandbox.demo.outputS3Uri, clientToken: `${jobName}-token` }),
  );
  return out.jobId!;
}

const watchToEnd = (jobId: string, onEvent?: (e: WatchEvent) => void) => watchImportJob(session, { datastoreId, jobId, polling: DEMO_POLLING, ...(onEvent ? { onEvent } : {}) });

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 600, demoData: true, log: (l) => requests.push(l) });
  sdk = clients(sandbox);
  session = await createAwsSession({ sandbox: sandboxTarget(sandbox), env: {} });
  // Made elsewhere: three data stores straight through the SDK, more than one page of two.
  for (const name of ['elsewhere-a', 'elsewhere-b', 'elsewhere-c']) {
    const out = await sdk.mi.send(new CreateDatastoreCommand({ datastoreName: name, clientToken: `${name}-token` }));
    if (name === 'elsewhere-a') datastoreId = out.datastoreId!;
  }
  for (;;) {
    const got = await sdk.mi.send(new GetDatastoreCommand({ datastoreId }));
    if (got.datastoreProperties?.datastoreStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);
afterAll(async () => {
  session?.close();
  await sandbox?.close();
});

describe('data stores and jobs made elsewhere', () => {
  it('lists every data store across pages, filters by status, and gets one', async () => {
    const lists = () => requests.filter((l) => l.includes(':ListDatastores ')).length;
    const before = lists();
    const all = await listDatastores(session, { pageSize: 2 });
    expect(all.map((s) => s.datastoreName).sort()).toEqual(['elsewhere-a', 'elsewhere-b', 'elsewhere-c']);
    expect(lists() - before).toBe(2);
    const active = await listDatastores(session, { status: 'ACTIVE' });
    expect(active.map((s) => s.datastoreId)).toContain(datastoreId);
    expect(await listDatastores(session, { status: 'DELETED' })).toEqual([]);
    expect((await getDatastore(session, datastoreId)).datastoreName).toBe('elsewhere-a');
    await expect(getDatastore(session, '0'.repeat(32))).rejects.toBeInstanceOf(AwsFaultError);
  });

  it('watches a job started through the SDK to COMPLETED, creating nothing, and reads its grouped failures', async () => {
    const jobId = await startJob(sandbox.demo.withErrorsInputS3Uri, 'with-errors');
    const seen: string[] = [];
    const mark = requests.length;
    const end = await watchToEnd(jobId, (e) => e.type === 'status' && seen.push(e.job.jobStatus!));
    expect(end.kind).toBe('ended');
    expect(seen.at(-1)).toBe('COMPLETED');
    expect(seen[0]).not.toBe('COMPLETED');
    // Attaching only reads: no Start/Create among the requests it sent.
    const sent = requests.slice(mark);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.every((l) => l.includes(':GetDICOMImportJob '))).toBe(true);

    const jobs = await listImportJobs(session, datastoreId, { status: 'COMPLETED', pageSize: 1 });
    expect(jobs.map((j) => j.jobId)).toContain(jobId);
    const { job, results } = await readJobResults(session, datastoreId, jobId);
    expect(job.jobStatus).toBe('COMPLETED');
    expect(results?.state).toBe('read');
    const kinds = Object.fromEntries((results?.failuresByType ?? []).map((g) => [g.examples[0]!.split('/').pop(), g]));
    expect(kinds['README.txt']?.fix).toMatch(/DICOM P10/);
    expect(kinds['missing-series-uid.dcm']?.cause).toMatch(/Series Instance UID/);
    expect((results?.failuresByType ?? []).reduce((n, g) => n + g.count, 0)).toBe(results?.numberOfFilesWithCustomerError);
    expect(results?.nonPrimaryImageSets).toEqual([]);
  }, 60_000);

  it('the same SOP Instance UIDs imported again with another PatientID land in a non-primary image set', async () => {
    for (const [prefix, patient] of [['conflict-a/', 'P-ONE'], ['conflict-b/', 'P-TWO']] as const)
      for (const n of [0, 1]) await sdk.s3.send(new PutObjectCommand({ Bucket: sandbox.demo.bucket, Key: `${prefix}${n}.dcm`, Body: instance(n, patient) }));
    const first = await startJob(`s3://${sandbox.demo.bucket}/conflict-a/`, 'conflict-first');
    expect((await watchToEnd(first)).kind).toBe('ended');
    const firstResults = (await readJobResults(session, datastoreId, first)).results!;
    expect(firstResults.nonPrimaryImageSets).toEqual([]);

    const second = await startJob(`s3://${sandbox.demo.bucket}/conflict-b/`, 'conflict-second');
    expect((await watchToEnd(second)).kind).toBe('ended');
    const { results } = await readJobResults(session, datastoreId, second);
    expect(results?.numberOfImportedFiles).toBe(2);
    expect(results?.nonPrimaryImageSets).toHaveLength(1);
    const np = results!.nonPrimaryImageSets![0]!;
    expect(np.count).toBe(2);
    expect(np.instances.sort()).toEqual([`s3://${sandbox.demo.bucket}/conflict-b/0.dcm`, `s3://${sandbox.demo.bucket}/conflict-b/1.dcm`]);
    // Counted in the manifest as an image set of its own, apart from the first job's.
    expect(results?.imageSets?.map((s) => s.imageSetId)).toContain(np.imageSetId);
    expect(firstResults.imageSets?.map((s) => s.imageSetId)).not.toContain(np.imageSetId);
  }, 60_000);

  it('a watch stops when its signal aborts', async () => {
    const jobId = await startJob(sandbox.demo.inputS3Uri, 'cancelled-watch');
    const stop = new AbortController();
    const end = await watchImportJob(session, { datastoreId, jobId, polling: DEMO_POLLING, signal: stop.signal, onEvent: () => stop.abort() });
    expect(end.kind).toBe('cancelled');
    expect(end.polls).toBe(1);
  });
});
