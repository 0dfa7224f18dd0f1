/**
 * What the data store page does beyond reading it: its tags (ListTagsForResource), and deleting it,
 * which the app offers only where it cannot lose anyone's data: a store that never imported
 * anything (no import job at all, so no image set can be in it) or one whose creation failed; or
 * any store of the sandbox. The check is made again right before DeleteDatastore, from what AWS
 * says then, never from what a page showed earlier.
 */
import { DeleteDatastoreCommand, ListTagsForResourceCommand, type DatastoreProperties } from '@aws-sdk/client-medical-imaging';
import type { AwsSession } from '../aws/session';
import { awsFault, getDatastore, type AwsCallOptions } from './datastores';
import { listImportJobs } from './import-jobs';

type Session = Pick<AwsSession, 'medicalImaging' | 'profile'>;

export async function listDatastoreTags(session: Session, datastoreArn: string, opts: AwsCallOptions = {}): Promise<Record<string, string>> {
  try {
    const out = await session.medicalImaging.send(new ListTagsForResourceCommand({ resourceArn: datastoreArn }), opts.signal ? { abortSignal: opts.signal } : {});
    return { ...(out.tags ?? {}) };
  } catch (err) {
    awsFault(err, 'ListTagsForResource', session);
  }
}

export interface DeletionCheck {
  allowed: boolean;
  /** Why it is (not) offered, in words for the page and the refusal. */
  reason: string;
}

/** Whether the store may be deleted from the app; `sandbox` lifts the "never imported" rule. */
export async function deletionCheck(session: Session, store: DatastoreProperties, opts: AwsCallOptions & { sandbox: boolean }): Promise<DeletionCheck> {
  const status = store.datastoreStatus ?? 'UNKNOWN';
  if (status === 'DELETING' || status === 'DELETED') return { allowed: false, reason: `The data store is ${status}.` };
  if (status === 'CREATING') return { allowed: false, reason: 'The data store is still CREATING; it can be deleted once it is ACTIVE.' };
  if (status === 'CREATE_FAILED') return { allowed: true, reason: 'The data store failed to create: it holds no data.' };
  const jobs = await listImportJobs(session, store.datastoreId!, opts);
  const running = jobs.filter((j) => j.jobStatus === 'SUBMITTED' || j.jobStatus === 'IN_PROGRESS');
  if (running.length > 0) return { allowed: false, reason: `${running.length === 1 ? 'An import job is' : `${running.length} import jobs are`} still running into this data store.` };
  if (opts.sandbox) return { allowed: true, reason: 'A sandbox data store: deleting it changes nothing in AWS.' };
  if (jobs.length === 0) return { allowed: true, reason: 'No import job ever ran into this data store: it holds no image sets.' };
  return {
    allowed: false,
    reason: `This data store has ${jobs.length === 1 ? 'an import job' : `${jobs.length} import jobs`}, so it may hold image sets. HealthImaging deletes only empty data stores: delete its image sets first, then delete it in the AWS console.`,
  };
}

export class DeletionRefusedError extends Error {
  override name = 'DeletionRefusedError';
  constructor(
    readonly datastoreId: string,
    reason: string,
  ) {
    super(`Data store ${datastoreId} was not deleted: ${reason}`);
  }
}

/** Reads the store afresh, re-checks, then DeleteDatastore. Refusals throw DeletionRefusedError before anything is sent. */
export async function deleteDatastoreIfAllowed(session: Session, datastoreId: string, opts: AwsCallOptions & { sandbox: boolean }): Promise<{ datastoreStatus: string }> {
  const store = await getDatastore(session, datastoreId, opts);
  const check = await deletionCheck(session, store, opts);
  if (!check.allowed) throw new DeletionRefusedError(datastoreId, check.reason);
  try {
    const out = await session.medicalImaging.send(new DeleteDatastoreCommand({ datastoreId }), opts.signal ? { abortSignal: opts.signal } : {});
    return { datastoreStatus: out.datastoreStatus ?? 'DELETING' };
  } catch (err) {
    awsFault(err, 'DeleteDatastore', session);
  }
}
