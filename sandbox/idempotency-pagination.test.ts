import {
  CreateDatastoreCommand,
  ListDatastoresCommand,
  ListDICOMImportJobsCommand,
  paginateListDatastores,
  StartDICOMImportJobCommand,
} from '@aws-sdk/client-medical-imaging';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
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

describe('idempotent clientTokens', () => {
  it('CreateDatastore: same token and parameters return the original store; different parameters conflict', async () => {
    const first = await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'idem', clientToken: 'token-1', tags: { a: '1' } }));
    sb.clock.advance(120_000);
    const again = await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'idem', clientToken: 'token-1', tags: { a: '1' } }));
    expect(again.datastoreId).toBe(first.datastoreId);
    expect(again.datastoreStatus).toBe('ACTIVE'); // the resource's current status
    await expect(c.mi.send(new CreateDatastoreCommand({ datastoreName: 'other', clientToken: 'token-1' }))).rejects.toMatchObject({
      name: 'ConflictException',
      $metadata: { httpStatusCode: 409 },
    });
    const all = await c.mi.send(new ListDatastoresCommand({}));
    expect(all.datastoreSummaries).toHaveLength(1);
  });

  it('StartDICOMImportJob: same token and parameters return the original job; different parameters conflict', async () => {
    const ds = (await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'idem-jobs' }))).datastoreId!;
    sb.clock.advance(120_000);
    const input = { datastoreId: ds, dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: sb.demo.inputS3Uri, outputS3Uri: sb.demo.outputS3Uri, clientToken: 'job-token' };
    const first = await c.mi.send(new StartDICOMImportJobCommand(input));
    sb.clock.advance(30_000);
    const again = await c.mi.send(new StartDICOMImportJobCommand(input));
    expect(again.jobId).toBe(first.jobId);
    expect(again.submittedAt).toEqual(first.submittedAt);
    expect(again.jobStatus).toBe('IN_PROGRESS');
    await expect(c.mi.send(new StartDICOMImportJobCommand({ ...input, inputS3Uri: sb.demo.withErrorsInputS3Uri }))).rejects.toMatchObject({ name: 'ConflictException' });
    const jobs = await c.mi.send(new ListDICOMImportJobsCommand({ datastoreId: ds }));
    expect(jobs.jobSummaries).toHaveLength(1);
  });
});

describe('pagination and status filters', () => {
  it('ListDatastores pages with nextToken and filters by status', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push((await c.mi.send(new CreateDatastoreCommand({ datastoreName: `page-${i}` }))).datastoreId!);
      sb.clock.advance(1_000);
    }
    sb.clock.advance(115_000); // the first 3 are ACTIVE, the rest still CREATING
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListDatastores({ client: c.mi, pageSize: 3 }, {})) {
      pages++;
      expect(page.datastoreSummaries!.length).toBeLessThanOrEqual(3);
      seen.push(...page.datastoreSummaries!.map((d) => d.datastoreId!));
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);

    const active = await c.mi.send(new ListDatastoresCommand({ datastoreStatus: 'ACTIVE' }));
    expect(active.datastoreSummaries!.map((d) => d.datastoreId)).toEqual(ids.slice(0, 3));
    const creating = await c.mi.send(new ListDatastoresCommand({ datastoreStatus: 'CREATING', maxResults: 2 }));
    expect(creating.datastoreSummaries!.map((d) => d.datastoreId)).toEqual(ids.slice(3, 5));
    expect(creating.nextToken).toBeTruthy();
    const rest = await c.mi.send(new ListDatastoresCommand({ datastoreStatus: 'CREATING', nextToken: creating.nextToken! }));
    expect(rest.datastoreSummaries!.map((d) => d.datastoreId)).toEqual(ids.slice(5));
    expect(rest.nextToken).toBeUndefined();
    // A token from one filter cannot be replayed against another.
    await expect(c.mi.send(new ListDatastoresCommand({ datastoreStatus: 'ACTIVE', nextToken: creating.nextToken! }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('ListDICOMImportJobs pages and filters by job status', async () => {
    const ds = (await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'jobs' }))).datastoreId!;
    sb.clock.advance(120_000);
    const jobIds: string[] = [];
    for (let i = 0; i < 5; i++) {
      const input = i < 2 ? sb.demo.inputS3Uri : `s3://${sb.demo.bucket}/empty-${i}/`; // 3 will fail: nothing there
      jobIds.push((await c.mi.send(new StartDICOMImportJobCommand({ datastoreId: ds, dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: input, outputS3Uri: sb.demo.outputS3Uri }))).jobId!);
      sb.clock.advance(1_000);
    }
    sb.clock.advance(3_600_000);
    const all: string[] = [];
    let token: string | undefined;
    do {
      const page = await c.mi.send(new ListDICOMImportJobsCommand({ datastoreId: ds, maxResults: 2, ...(token ? { nextToken: token } : {}) }));
      all.push(...page.jobSummaries!.map((j) => j.jobId!));
      token = page.nextToken;
    } while (token);
    expect(all).toEqual(jobIds);
    const failed = await c.mi.send(new ListDICOMImportJobsCommand({ datastoreId: ds, jobStatus: 'FAILED' }));
    expect(failed.jobSummaries!.map((j) => j.jobId)).toEqual(jobIds.slice(2));
    expect(failed.jobSummaries![0]!.message).toBeTruthy();
    const completed = await c.mi.send(new ListDICOMImportJobsCommand({ datastoreId: ds, jobStatus: 'COMPLETED' }));
    expect(completed.jobSummaries!.map((j) => j.jobId)).toEqual(jobIds.slice(0, 2));
    expect(completed.jobSummaries![0]!.endedAt).toBeInstanceOf(Date);
  });
});

describe('quotas', () => {
  it('the 101st live data store in a region is ServiceQuotaExceededException (402)', async () => {
    for (let i = 0; i < 100; i++) await c.mi.send(new CreateDatastoreCommand({ datastoreName: `q-${i}` }));
    await expect(c.mi.send(new CreateDatastoreCommand({ datastoreName: 'one-too-many' }))).rejects.toMatchObject({
      name: 'ServiceQuotaExceededException',
      $metadata: { httpStatusCode: 402 },
    });
  });
});
