/** `kms-key`: the data store's KMS key exists, is enabled, symmetric, and in the run's region (KMS DescribeKey). */
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { parseArn } from '../arns';
import { aborting, type CheckContext } from '../clients';
import { errorName, fail, fromCallError, pass, skipped, type CheckOutcome } from '../outcome';

export async function checkKmsKey(ctx: CheckContext): Promise<CheckOutcome> {
  const key = ctx.inputs.kmsKeyArn;
  if (!key) return skipped('kms-key', 'No kmsKeyArn given: the data store is encrypted with an AWS owned key.');
  const keyRegion = parseArn(key)?.region;
  if (keyRegion && keyRegion !== ctx.region)
    return fail('kms-key', `The KMS key ${key} is in ${keyRegion}; a data store in ${ctx.region} needs a key of its own region.`, `Use a KMS key in ${ctx.region} (or a multi-Region replica there) for kmsKeyArn.`);
  try {
    const m = (await ctx.clients.kms.send(new DescribeKeyCommand({ KeyId: key }), aborting(ctx.signal))).KeyMetadata;
    const fixOther = 'Choose another key for kmsKeyArn, or leave it out to use an AWS owned key.';
    if (!m) return fail('kms-key', `KMS returned nothing for ${key}.`, fixOther);
    if (m.KeyState !== 'Enabled' || m.Enabled === false)
      return fail('kms-key', `The KMS key ${m.Arn ?? key} is ${m.KeyState ?? 'not enabled'}, so CreateDatastore would fail.`, m.KeyState === 'PendingDeletion' ? `Cancel its deletion (KMS console > key > Cancel key deletion) and enable it, or ${fixOther.toLowerCase()}` : `Enable it (KMS console > key > Key actions > Enable), or ${fixOther.toLowerCase()}`);
    if ((m.KeyUsage && m.KeyUsage !== 'ENCRYPT_DECRYPT') || (m.KeySpec && m.KeySpec !== 'SYMMETRIC_DEFAULT'))
      return fail('kms-key', `The KMS key ${m.Arn ?? key} is ${m.KeySpec ?? ''} for ${m.KeyUsage ?? ''}; HealthImaging needs a symmetric encryption key (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT).`, fixOther);
    return pass('kms-key', `KMS key ${m.Arn ?? key} is enabled, symmetric, and in ${ctx.region}.`);
  } catch (e) {
    if (errorName(e) === 'NotFoundException')
      return fail('kms-key', `The KMS key ${key} does not exist in ${ctx.region} (or is not visible to you).`, 'Correct kmsKeyArn, or leave it out to use an AWS owned key.');
    return fromCallError('kms-key', e, 'kms:DescribeKey', ctx.signal);
  }
}
