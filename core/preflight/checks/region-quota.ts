/**
 * `region` (does HealthImaging answer here) and `datastore-quota` (data stores in the region
 * against the quota): one paginated ListDatastores serves both.
 */
import { ListDatastoresCommand } from '@aws-sdk/client-medical-imaging';
import { classifyAwsError } from '../../aws/errors';
import { HEALTHIMAGING_REGIONS } from '../../healthimaging/regions';
import { aborting, type CheckContext } from '../clients';
import { fail, fromCallError, isAccessDenied, pass, skipped, warn, type CheckOutcome } from '../outcome';
import { DEFAULT_DATASTORE_QUOTA } from '../types';

type Listing = { count: number } | { error: unknown };

async function countDatastores(ctx: CheckContext): Promise<Listing> {
  let count = 0;
  let nextToken: string | undefined;
  try {
    do {
      const page = await ctx.clients.medicalImaging.send(new ListDatastoresCommand({ maxResults: 50, ...(nextToken ? { nextToken } : {}) }), aborting(ctx.signal));
      count += (page.datastoreSummaries ?? []).filter((d) => d.datastoreStatus !== 'DELETED').length;
      nextToken = page.nextToken;
    } while (nextToken);
    return { count };
  } catch (error) {
    if (ctx.signal?.aborted) throw ctx.signal.reason ?? error;
    return { error };
  }
}

function regionOutcome(ctx: CheckContext, listing: Listing): CheckOutcome {
  const known = (HEALTHIMAGING_REGIONS as readonly string[]).includes(ctx.region);
  const others = HEALTHIMAGING_REGIONS.join(', ');
  if (known) return pass('region', `AWS HealthImaging is offered in ${ctx.region}.`);
  if ('count' in listing || isAccessDenied(listing.error))
    return warn('region', `${ctx.region} is not among the regions known to offer HealthImaging (${others}), though it answered there.`, `If the run fails to reach HealthImaging, use one of ${others} (--region).`);
  const c = classifyAwsError(listing.error, { operation: 'ListDatastores' });
  return fail('region', `AWS HealthImaging is not offered in ${ctx.region}: ListDatastores got no answer (${c.code}).`, `Use a region that offers it: ${others} (--region).`);
}

function quotaOutcome(ctx: CheckContext, listing: Listing, quota: number): CheckOutcome {
  if (ctx.inputs.datastoreId) return skipped('datastore-quota', 'Not relevant: an import into an existing data store creates none.');
  if ('error' in listing) return fromCallError('datastore-quota', listing.error, 'medical-imaging:ListDatastores', ctx.signal);
  const n = listing.count;
  const words = `${n} data store${n === 1 ? '' : 's'} in ${ctx.region}; the quota is ${quota} per region`;
  const fix = 'Delete data stores you no longer need (HealthImaging console > Data stores), or request a quota increase in Service Quotas (AWS HealthImaging: data stores per region).';
  if (n >= quota) return fail('datastore-quota', `${words}, so CreateDatastore would fail with ServiceQuotaExceededException.`, fix);
  if (quota - n <= Math.max(1, Math.ceil(quota / 10))) return warn('datastore-quota', `${words}: ${quota - n} left.`, fix);
  return pass('datastore-quota', `${words}.`);
}

export async function checkRegionAndQuota(ctx: CheckContext, quota = DEFAULT_DATASTORE_QUOTA): Promise<{ region: CheckOutcome; quota: CheckOutcome }> {
  const listing = await countDatastores(ctx);
  return { region: regionOutcome(ctx, listing), quota: quotaOutcome(ctx, listing, quota) };
}
