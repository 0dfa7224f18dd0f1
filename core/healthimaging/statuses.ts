/**
 * HealthImaging resource statuses as the engine reads them from responses. A run that ends while
 * its last observed status is one of the failure statuses has failed, whatever action ended it.
 */

export const DATASTORE_STATUSES = ['CREATING', 'CREATE_FAILED', 'ACTIVE', 'DELETING', 'DELETED'] as const;
export const JOB_STATUSES = ['SUBMITTED', 'IN_PROGRESS', 'COMPLETED', 'FAILED'] as const;

/** Statuses that mean the resource is not usable for onboarding. */
export const FAILURE_STATUSES: ReadonlySet<string> = new Set(['CREATE_FAILED', 'FAILED', 'DELETING', 'DELETED']);

export function isFailureStatus(status: string | undefined): boolean {
  if (!status) return false;
  // Any *_FAILED status a future API version adds counts as a failure too.
  return FAILURE_STATUSES.has(status) || /(^|_)FAILED$/.test(status);
}

const STATUS_KEY = /^(status|state)$|(Status|State)$/;

function asObject(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * The status a response body reports: `datastoreStatus`/`jobStatus` at the top level
 * (CreateDatastore, StartDICOMImportJob) or inside `datastoreProperties`/`jobProperties` (Get*),
 * otherwise the first string property named `status`, `state`, `*Status` or `*State` at depth 0 or 1.
 */
export function observedStatusOf(body: unknown): string | undefined {
  const top = asObject(body);
  if (!top) return undefined;
  const direct = top.datastoreStatus ?? top.jobStatus;
  if (typeof direct === 'string') return direct;
  const nested = asObject(top.datastoreProperties)?.datastoreStatus ?? asObject(top.jobProperties)?.jobStatus;
  if (typeof nested === 'string') return nested;
  for (const [k, v] of Object.entries(top)) if (STATUS_KEY.test(k) && typeof v === 'string') return v;
  for (const v of Object.values(top)) {
    const inner = asObject(v);
    if (!inner) continue;
    for (const [k, x] of Object.entries(inner)) if (STATUS_KEY.test(k) && typeof x === 'string') return x;
  }
  return undefined;
}

/** The service's own explanation in a body (jobProperties.message), when it gives one. */
export function serviceMessageOf(body: unknown): string | undefined {
  const top = asObject(body);
  const m = asObject(top?.jobProperties)?.message ?? asObject(top?.datastoreProperties)?.message;
  return typeof m === 'string' && m !== '' ? m : undefined;
}
