/**
 * `input-bucket` / `output-bucket`: the bucket exists and is in the run's region (S3
 * GetBucketLocation; an empty LocationConstraint means us-east-1, "EU" eu-west-1). The input
 * bucket of another account needs inputOwnerAccountId: asked with ExpectedBucketOwner, S3 refuses
 * a bucket the named account does not own. Also learns the bucket's default SSE-KMS key (best
 * effort), which the role must be allowed to use.
 */
import { GetBucketEncryptionCommand, GetBucketLocationCommand } from '@aws-sdk/client-s3';
import { parseS3Uri, partitionOf } from '../arns';
import { aborting, type CheckContext } from '../clients';
import { errorName, fail, fromCallError, isAccessDenied, pass, type CheckOutcome } from '../outcome';

export interface BucketFacts {
  /** The bucket is there and in the run's region: objects can be listed and read. */
  usable: boolean;
  kmsKeyArn?: string;
}

export function bucketRegion(constraint: string | undefined | null): string {
  if (!constraint) return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

async function location(ctx: CheckContext, bucket: string, owner: string | undefined): Promise<string> {
  const out = await ctx.clients.s3.send(new GetBucketLocationCommand({ Bucket: bucket, ...(owner ? { ExpectedBucketOwner: owner } : {}) }), aborting(ctx.signal));
  return bucketRegion(out.LocationConstraint);
}

/** The bucket's default SSE-KMS key as an ARN, when it has one; undefined when not or unknown. */
async function defaultKmsKey(ctx: CheckContext, bucket: string, region: string, owner: string | undefined): Promise<string | undefined> {
  try {
    const out = await ctx.clients.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket, ...(owner ? { ExpectedBucketOwner: owner } : {}) }), aborting(ctx.signal));
    for (const rule of out.ServerSideEncryptionConfiguration?.Rules ?? []) {
      const d = rule.ApplyServerSideEncryptionByDefault;
      if (!d?.SSEAlgorithm?.startsWith('aws:kms') || !d.KMSMasterKeyID) continue; // no key id: the AWS managed aws/s3 key
      const id = d.KMSMasterKeyID;
      if (id.startsWith('arn:')) return id;
      return `arn:${partitionOf(region)}:kms:${region}:${owner ?? ctx.account}:${id.startsWith('alias/') ? id : `key/${id}`}`;
    }
  } catch {
    // Not configured, not allowed, or not supported here: the role-permissions check then asks about the given key only.
  }
  return undefined;
}

export async function checkBucket(ctx: CheckContext, which: 'input' | 'output'): Promise<CheckOutcome & { facts: BucketFacts }> {
  const id = which === 'input' ? 'input-bucket' : 'output-bucket';
  const uri = which === 'input' ? ctx.inputs.inputS3Uri : ctx.inputs.outputS3Uri;
  const field = which === 'input' ? 'inputS3Uri' : 'outputS3Uri';
  const { bucket } = parseS3Uri(uri);
  const owner = which === 'input' ? ctx.inputs.inputOwnerAccountId : undefined;
  const none: BucketFacts = { usable: false };

  let region: string;
  try {
    // Without inputOwnerAccountId the bucket must be the caller's own: say so when it is not.
    region = await location(ctx, bucket, owner ?? ctx.account);
  } catch (e) {
    const code = errorName(e);
    if (code === 'NoSuchBucket')
      return { ...fail(id, `The bucket ${bucket} does not exist.`, `Create bucket ${bucket} in ${ctx.region}, or correct ${field}.`), facts: none };
    if (which === 'input' && !owner && isAccessDenied(e)) {
      try {
        const elsewhere = await location(ctx, bucket, undefined);
        return {
          ...fail(id, `The bucket ${bucket} belongs to another AWS account (in ${elsewhere}); HealthImaging reads another account's bucket only when told its owner.`, `Add "inputOwnerAccountId": "<the bucket owner's 12-digit account id>" to the inputs (and let that account's bucket policy allow the role).`),
          facts: none,
        };
      } catch {
        // Still denied: we may simply not read bucket locations. Fall through to skipped.
      }
    }
    // Where the bucket is stays unknown: listing it may still work (and will say so if not).
    return { ...fromCallError(id, e, 's3:GetBucketLocation', ctx.signal), facts: { usable: true } };
  }
  if (region !== ctx.region)
    return {
      ...fail(
        id,
        `The bucket ${bucket} is in ${region}, but this run is in ${ctx.region}: HealthImaging ${which === 'input' ? 'reads input' : 'writes output'} only in its data store's region.`,
        `Use a bucket in ${ctx.region} for ${field}, or run in ${region} (--region ${region}).`,
      ),
      facts: none,
    };
  const kmsKeyArn = await defaultKmsKey(ctx, bucket, region, owner);
  return {
    ...pass(id, `Bucket ${bucket} exists in ${region}${owner ? `, owned by account ${owner}` : ''}${kmsKeyArn ? `, encrypted by default with ${kmsKeyArn}` : ''}.`),
    facts: { usable: true, ...(kmsKeyArn ? { kmsKeyArn } : {}) },
  };
}
