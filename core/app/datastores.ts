/**
 * Every data store of the account and region, whoever made it (the console, a script, this app):
 * ListDatastores through all its pages, optionally one status, and GetDatastore for one.
 */
import { GetDatastoreCommand, paginateListDatastores, type DatastoreProperties, type DatastoreStatus, type DatastoreSummary } from '@aws-sdk/client-medical-imaging';
import type { AwsSession } from '../aws/session';
import { AwsFaultError, classifyAwsError } from '../aws/errors';

export const DATASTORE_STATUSES = ['CREATING', 'CREATE_FAILED', 'ACTIVE', 'DELETING', 'DELETED'] as const satisfies readonly DatastoreStatus[];

export interface AwsCallOptions {
  signal?: AbortSignal;
}

/** Turns an SDK error into an AwsFaultError that says what happened and what to do. */
export function awsFault(err: unknown, operation: string, session: Pick<AwsSession, 'profile'>): never {
  if (err instanceof AwsFaultError) throw err;
  throw new AwsFaultError(classifyAwsError(err, { operation, ...(session.profile ? { profile: session.profile } : {}) }));
}

/** The paginator passes these to every send(): the abort signal reaches each page's request. */
export const sendOptions = (opts: AwsCallOptions) => (opts.signal ? [{ abortSignal: opts.signal }] : []);

export function checkDatastoreStatus(status: string | undefined): DatastoreStatus | undefined {
  if (status === undefined) return undefined;
  const s = status.trim().toUpperCase();
  if (!(DATASTORE_STATUSES as readonly string[]).includes(s)) throw new RangeError(`status must be one of ${DATASTORE_STATUSES.join(', ')} (got "${status}").`);
  return s as DatastoreStatus;
}

/** All data stores (every page), newest first; only those with `status` when given. */
export async function listDatastores(session: Pick<AwsSession, 'medicalImaging' | 'profile'>, opts: AwsCallOptions & { status?: DatastoreStatus; pageSize?: number } = {}): Promise<DatastoreSummary[]> {
  const all: DatastoreSummary[] = [];
  try {
    const pages = paginateListDatastores({ client: session.medicalImaging, pageSize: opts.pageSize ?? 50 }, { ...(opts.status ? { datastoreStatus: opts.status } : {}) }, ...sendOptions(opts));
    for await (const page of pages) {
      all.push(...(page.datastoreSummaries ?? []));
    }
  } catch (err) {
    awsFault(err, 'ListDatastores', session);
  }
  return all.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
}

export async function getDatastore(session: Pick<AwsSession, 'medicalImaging' | 'profile'>, datastoreId: string, opts: AwsCallOptions = {}): Promise<DatastoreProperties> {
  try {
    const out = await session.medicalImaging.send(new GetDatastoreCommand({ datastoreId }), opts.signal ? { abortSignal: opts.signal } : {});
    if (!out.datastoreProperties) throw new Error('GetDatastore answered without datastoreProperties.');
    return out.datastoreProperties;
  } catch (err) {
    awsFault(err, 'GetDatastore', session);
  }
}
