/**
 * runPreflight: every check, in parallel where independent, as soon as the caller's identity is
 * known. Order of dependencies:
 *   identity -> everything (the account is in every rule)
 *   role-exists -> role-trust (one GetRole)
 *   input-bucket -> input-objects -> input-dicom (a bucket elsewhere cannot be listed from here)
 *   input-bucket + output-bucket -> role-permissions (their SSE-KMS keys join the data store's)
 * Cancelling (the signal) rejects with the signal's reason; no result is invented for a check
 * that did not finish.
 */
import { checkBucket } from './checks/buckets';
import { checkIdentity } from './checks/identity';
import { checkInputDicom } from './checks/input-dicom';
import { checkInputObjects } from './checks/input-objects';
import { checkKmsKey } from './checks/kms-key';
import { checkRegionAndQuota } from './checks/region-quota';
import { checkRole } from './checks/role';
import { checkRolePermissions } from './checks/role-permissions';
import type { CheckContext, PreflightClients } from './clients';
import { skipped, type CheckOutcome } from './outcome';
import { CHECK_IDS, DEFAULT_DATASTORE_QUOTA, DEFAULT_IMPORT_LIMITS, isReady, type CheckId, type ImportLimits, type PreflightInputs, type PreflightProgress, type PreflightReport } from './types';

export interface PreflightOptions {
  signal?: AbortSignal;
  onProgress?: (p: PreflightProgress) => void;
  limits?: Partial<ImportLimits>;
  datastoreQuota?: number;
  /** Objects read for the DICOM sniff (default 20). */
  dicomSampleSize?: number;
  /**
   * Checks not to run, each with the reason shown as its detail. A batch skips the one-job input
   * checks: its planner cuts the archive to the limits, and listing a whole archive twice is waste.
   */
  notRun?: Partial<Record<CheckId, string>>;
}

export async function runPreflight(clients: PreflightClients, inputs: PreflightInputs, opts: PreflightOptions = {}): Promise<PreflightReport> {
  const { signal } = opts;
  const outcomes = new Map<CheckId, CheckOutcome>();
  const record = <T extends CheckOutcome>(o: T): T => {
    signal?.throwIfAborted();
    const why = opts.notRun?.[o.result.id];
    const kept: CheckOutcome = why ? skipped(o.result.id, why) : o;
    outcomes.set(o.result.id, kept);
    opts.onProgress?.({ checkId: kept.result.id, result: kept.result });
    return o;
  };
  signal?.throwIfAborted();

  const identity = record(await checkIdentity(clients, signal));
  if (!identity.facts) {
    for (const id of CHECK_IDS) if (id !== 'identity') record(skipped(id, 'Not checked: the caller\'s identity could not be confirmed (see identity).'));
    return report(outcomes);
  }

  const ctx: CheckContext = {
    clients,
    region: clients.region,
    account: identity.facts.account,
    inputs,
    limits: { ...DEFAULT_IMPORT_LIMITS, ...opts.limits },
    ...(signal ? { signal } : {}),
    progress: (p) => opts.onProgress?.(p),
  };

  const regionAndQuota = checkRegionAndQuota(ctx, opts.datastoreQuota ?? DEFAULT_DATASTORE_QUOTA).then((r) => {
    record(r.region);
    record(r.quota);
  });
  const role = checkRole(ctx).then((r) => {
    record(r.exists);
    record(r.trust);
  });
  const inputBucket = checkBucket(ctx, 'input').then(record);
  const outputBucket = checkBucket(ctx, 'output').then(record);
  const input = inputBucket.then(async (b) => {
    const notRun = opts.notRun?.['input-objects'];
    if (notRun) {
      record(skipped('input-objects', notRun));
      record(skipped('input-dicom', opts.notRun?.['input-dicom'] ?? notRun));
      return;
    }
    if (!b.facts.usable) {
      record(skipped('input-objects', 'Not checked: the input bucket is missing or in another region (see input-bucket).'));
      record(skipped('input-dicom', 'Not checked: the input bucket is missing or in another region (see input-bucket).'));
      return;
    }
    const objects = record(await checkInputObjects(ctx, opts.dicomSampleSize ?? 20));
    record(await checkInputDicom(ctx, objects.facts?.sample, objects.facts?.files ?? 0));
  });
  const permissions = Promise.all([inputBucket, outputBucket]).then(async ([i, o]) => {
    const keys = [inputs.kmsKeyArn, i.facts.kmsKeyArn, o.facts.kmsKeyArn].filter((k): k is string => Boolean(k));
    record(await checkRolePermissions(ctx, keys));
  });
  const kms = checkKmsKey(ctx).then(record);

  // allSettled first, so one check's rejection (only a cancel) never leaves others running unobserved.
  const settled = await Promise.allSettled([regionAndQuota, role, input, permissions, kms]);
  signal?.throwIfAborted();
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  return report(outcomes);
}

function report(outcomes: Map<CheckId, CheckOutcome>): PreflightReport {
  const ordered = CHECK_IDS.map((id) => outcomes.get(id)).filter((o): o is CheckOutcome => o !== undefined);
  const checks = ordered.map((o) => o.result);
  return { ready: isReady(checks), checks, errors: ordered.flatMap((o) => (o.error ? [o.error] : [])) };
}
