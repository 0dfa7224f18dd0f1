import {
  CreateDatastoreCommand,
  GetDatastoreCommand,
  GetDICOMImportJobCommand,
  ListDatastoresCommand,
  StartDICOMImportJobCommand,
} from '@aws-sdk/client-medical-imaging';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
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

async function activeStore(): Promise<string> {
  const id = (await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'faults' }))).datastoreId!;
  sb.clock.advance(120_000);
  return id;
}

describe('fault injection', () => {
  it('throttling follows AWS rates: CreateDatastore allows a burst of 1, then one per ~12 s of sandbox time', async () => {
    sb.faults.throttling(true);
    await c.mi.send(new CreateDatastoreCommand({ datastoreName: 't1' }));
    await expect(c.mi.send(new CreateDatastoreCommand({ datastoreName: 't2' }))).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } });
    sb.clock.advance(12_000);
    await expect(c.mi.send(new CreateDatastoreCommand({ datastoreName: 't3' }))).resolves.toBeTruthy();
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => c.mi.send(new ListDatastoresCommand({})))); // ListDatastores burst 10
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    sb.faults.throttling(false);
    await expect(c.mi.send(new ListDatastoresCommand({}))).resolves.toBeTruthy();
  });

  it('failNext forces each error kind for the next N calls, in each service\'s own spelling', async () => {
    const expectations: Array<[Parameters<Sandbox['faults']['failNext']>[2], string, number]> = [
      ['InternalServerException', 'InternalServerException', 500],
      ['ThrottlingException', 'ThrottlingException', 429],
      ['ServiceUnavailable', 'ServiceUnavailableException', 503],
      ['AccessDeniedException', 'AccessDeniedException', 403],
      ['ExpiredTokenException', 'ExpiredTokenException', 403],
    ];
    for (const [kind, name, status] of expectations) {
      sb.faults.failNext('ListDatastores', 2, kind);
      await expect(c.mi.send(new ListDatastoresCommand({}))).rejects.toMatchObject({ name, $metadata: { httpStatusCode: status } });
      await expect(c.mi.send(new ListDatastoresCommand({}))).rejects.toMatchObject({ name });
      await expect(c.mi.send(new ListDatastoresCommand({}))).resolves.toBeTruthy();
    }
    sb.faults.failNext('ListObjectsV2', 1, 'ThrottlingException');
    await expect(c.s3.send(new ListObjectsV2Command({ Bucket: sb.demo.bucket }))).rejects.toMatchObject({ name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
    sb.faults.failNext('GetCallerIdentity', 1, 'ExpiredTokenException');
    await expect(c.sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'ExpiredToken' });
  });

  it('the SDK retries a forced 5xx with the same clientToken and creates exactly one store', async () => {
    const retrying = clients(sb, { maxAttempts: 3 });
    sb.faults.failNext('CreateDatastore', 2, 'InternalServerException');
    const out = await retrying.mi.send(new CreateDatastoreCommand({ datastoreName: 'retried' }));
    expect(out.$metadata.attempts).toBe(3);
    expect((await c.mi.send(new ListDatastoresCommand({}))).datastoreSummaries).toHaveLength(1);
  });

  it('dropNext kills the connection mid-response after the work was done; a retry with the same token finds the same store', async () => {
    sb.faults.dropNext('CreateDatastore', 1);
    const input = { datastoreName: 'dropped', clientToken: 'drop-token' };
    await expect(c.mi.send(new CreateDatastoreCommand(input))).rejects.toBeTruthy();
    const retried = await c.mi.send(new CreateDatastoreCommand(input));
    const all = (await c.mi.send(new ListDatastoresCommand({}))).datastoreSummaries!;
    expect(all).toHaveLength(1);
    expect(all[0]!.datastoreId).toBe(retried.datastoreId);

    // The SDK's own retry also recovers from a drop.
    sb.faults.dropNext('ListDatastores', 1);
    const retrying = clients(sb, { maxAttempts: 3 });
    const listed = await retrying.mi.send(new ListDatastoresCommand({}));
    expect(listed.$metadata.attempts).toBe(2);
  });

  it('latency slows responses by the given real milliseconds', async () => {
    sb.faults.latency(150);
    const t = Date.now();
    await c.mi.send(new ListDatastoresCommand({}));
    expect(Date.now() - t).toBeGreaterThanOrEqual(140);
    sb.faults.latency(0);
  });

  it('failDatastoreCreation makes the next stores end CREATE_FAILED', async () => {
    sb.faults.failDatastoreCreation(true);
    const id = (await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'doomed' }))).datastoreId!;
    sb.faults.failDatastoreCreation(false);
    sb.clock.advance(120_000);
    expect((await c.mi.send(new GetDatastoreCommand({ datastoreId: id }))).datastoreProperties!.datastoreStatus).toBe('CREATE_FAILED');
  });

  it('failImportJobs makes the next jobs end FAILED with a message', async () => {
    const ds = await activeStore();
    sb.faults.failImportJobs(true);
    const job = await c.mi.send(
      new StartDICOMImportJobCommand({ datastoreId: ds, dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: sb.demo.inputS3Uri, outputS3Uri: sb.demo.outputS3Uri }),
    );
    sb.clock.advance(3_600_000);
    const props = (await c.mi.send(new GetDICOMImportJobCommand({ datastoreId: ds, jobId: job.jobId! }))).jobProperties!;
    expect(props.jobStatus).toBe('FAILED');
    expect(props.message).toContain('fault injection');
  });

  it('setDatastoreStatus forces a status (and it sticks); reset clears every fault', async () => {
    const ds = await activeStore();
    sb.faults.setDatastoreStatus(ds, 'DELETING');
    sb.clock.advance(3_600_000);
    expect((await c.mi.send(new GetDatastoreCommand({ datastoreId: ds }))).datastoreProperties!.datastoreStatus).toBe('DELETING');
    expect(() => sb.faults.setDatastoreStatus(ds, 'READY')).toThrow(/not a data store status/);

    sb.faults.throttling(true);
    sb.faults.failNext('ListDatastores', 5);
    sb.faults.latency(1000);
    sb.faults.reset();
    const t = Date.now();
    for (let i = 0; i < 15; i++) await c.mi.send(new ListDatastoresCommand({}));
    expect(Date.now() - t).toBeLessThan(1000);
  });
});
