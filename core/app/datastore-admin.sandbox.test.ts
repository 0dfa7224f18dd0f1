/**
 * The data store page's tags and its delete guard against the sandbox through the real SDK, with
 * the stores and jobs made directly through @aws-sdk/client-medical-imaging: an empty store (or any
 * sandbox store) is deleted; one that imported data, or with a job still running, is refused before
 * DeleteDatastore is sent.
 */
import { CreateDatastoreCommand, GetDatastoreCommand, GetDICOMImportJobCommand, StartDICOMImportJobCommand } from '@aws-sdk/client-medical-imaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { clients } from '../../sandbox/test-clients';
import { createAwsSession, type AwsSession } from '../aws/session';
import { deleteDatastoreIfAllowed, deletionCheck, DeletionRefusedError, listDatastoreTags } from './datastore-admin';
import { getDatastore } from './datastores';
import { sandboxTarget } from './sandbox-host';

let sandbox: Sandbox;
let session: AwsSession;
let sdk: ReturnType<typeof clients>;
const requests: string[] = [];
const deletesSent = () => requests.filter((l) => l.includes(':DeleteDatastore ')).length;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function activeStore(name: string, tags?: Record<string, string>): Promise<string> {
  const out = await sdk.mi.send(new CreateDatastoreCommand({ datastoreName: name, clientToken: `${name}-token`, ...(tags ? { tags } : {}) }));
  for (;;) {
    const got = await sdk.mi.send(new GetDatastoreCommand({ datastoreId: out.datastoreId! }));
    if (got.datastoreProperties?.datastoreStatus === 'ACTIVE') return out.datastoreId!;
    await sleep(50);
  }
}

async function startJob(datastoreId: string, name: string): Promise<string> {
  const out = await sdk.mi.send(
    new StartDICOMImportJobCommand({ datastoreId, jobName: name, dataAccessRoleArn: sandbox.demo.dataAccessRoleArn, inputS3Uri: sandbox.demo.inputS3Uri, outputS3Uri: sandbox.demo.outputS3Uri, clientToken: `${name}-token` }),
  );
  return out.jobId!;
}

async function untilEnded(datastoreId: string, jobId: string): Promise<void> {
  for (;;) {
    const got = await sdk.mi.send(new GetDICOMImportJobCommand({ datastoreId, jobId }));
    if (got.jobProperties?.jobStatus === 'COMPLETED' || got.jobProperties?.jobStatus === 'FAILED') return;
    await sleep(100);
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ timeScale: 60, demoData: true, log: (l) => requests.push(l) });
  sdk = clients(sandbox);
  session = await createAwsSession({ sandbox: sandboxTarget(sandbox), env: {} });
}, 60_000);
afterAll(async () => {
  session?.close();
  await sandbox?.close();
});

describe('tags and the delete guard', () => {
  it('lists the tags a store was created with (ListTagsForResource)', async () => {
    const id = await activeStore('tagged', { team: 'imaging', cost: 'radiology' });
    const store = await getDatastore(session, id);
    expect(await listDatastoreTags(session, store.datastoreArn!)).toEqual({ team: 'imaging', cost: 'radiology' });
  });

  it('deletes a store that never imported anything, as on AWS', async () => {
    const id = await activeStore('empty-one');
    expect(await deletionCheck(session, await getDatastore(session, id), { sandbox: false })).toMatchObject({ allowed: true, reason: expect.stringMatching(/no image sets/) });
    const out = await deleteDatastoreIfAllowed(session, id, { sandbox: false });
    expect(out.datastoreStatus).toBe('DELETING');
    expect((await getDatastore(session, id)).datastoreStatus).toMatch(/^DELET(ING|ED)$/);
  });

  it('refuses, before DeleteDatastore is sent, a store that imported data on AWS; allows it in the sandbox', async () => {
    const id = await activeStore('has-data');
    await untilEnded(id, await startJob(id, 'some-data'));
    const check = await deletionCheck(session, await getDatastore(session, id), { sandbox: false });
    expect(check).toMatchObject({ allowed: false, reason: expect.stringMatching(/may hold image sets/) });
    const sent = deletesSent();
    await expect(deleteDatastoreIfAllowed(session, id, { sandbox: false })).rejects.toBeInstanceOf(DeletionRefusedError);
    expect(deletesSent()).toBe(sent);
    expect((await getDatastore(session, id)).datastoreStatus).toBe('ACTIVE');
    // The sandbox's own stores hold only demo data: deleting them is offered.
    expect(await deleteDatastoreIfAllowed(session, id, { sandbox: true })).toEqual({ datastoreStatus: 'DELETING' });
    expect(deletesSent()).toBe(sent + 1);
  }, 30_000);

  it('refuses a store with an import job still running, even in the sandbox', async () => {
    const id = await activeStore('busy');
    const jobId = await startJob(id, 'busy-job');
    const sent = deletesSent();
    await expect(deleteDatastoreIfAllowed(session, id, { sandbox: true })).rejects.toThrow(/import job is still running/);
    expect(deletesSent()).toBe(sent);
    await untilEnded(id, jobId);
  }, 30_000);

  it('refuses a store still CREATING or already deleting', async () => {
    const out = await sdk.mi.send(new CreateDatastoreCommand({ datastoreName: 'brand-new', clientToken: 'brand-new-token' }));
    const creating = await getDatastore(session, out.datastoreId!);
    expect(creating.datastoreStatus).toBe('CREATING');
    expect(await deletionCheck(session, creating, { sandbox: true })).toMatchObject({ allowed: false, reason: expect.stringMatching(/CREATING/) });
    expect(await deletionCheck(session, { ...creating, datastoreStatus: 'DELETING' }, { sandbox: true })).toMatchObject({ allowed: false });
  });
});
