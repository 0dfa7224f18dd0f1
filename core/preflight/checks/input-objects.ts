/**
 * `input-objects`: ListObjectsV2 over the input prefix, page by page (progress after each, the
 * abort signal on every request), against the import job limits (input-limits.ts). Memory stays
 * bounded however large the prefix: only counters and a small sample are kept.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { parseS3Uri } from '../arns';
import { aborting, type CheckContext } from '../clients';
import { bytes, count, InputScan, type ListedObject } from '../input-limits';

// The sample goes to input-dicom whenever the listing worked, limits broken or not.
import { fail, fromCallError, pass, type CheckOutcome } from '../outcome';

export interface ScanFacts {
  files: number;
  sample: ListedObject[];
}

export async function checkInputObjects(ctx: CheckContext, sampleSize: number): Promise<CheckOutcome & { facts?: ScanFacts }> {
  const { bucket, prefix } = parseS3Uri(ctx.inputs.inputS3Uri);
  const owner = ctx.inputs.inputOwnerAccountId;
  const scan = new InputScan(prefix, ctx.limits, sampleSize);
  let token: string | undefined;
  let pages = 0;
  try {
    do {
      const page = await ctx.clients.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1000, ...(token ? { ContinuationToken: token } : {}), ...(owner ? { ExpectedBucketOwner: owner } : {}) }),
        aborting(ctx.signal),
      );
      for (const o of page.Contents ?? []) if (o.Key !== undefined) scan.add({ key: o.Key, size: o.Size ?? 0 });
      pages++;
      ctx.progress({ checkId: 'input-objects', objects: scan.totals.files, bytes: scan.totals.bytes, pages });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (e) {
    return fromCallError('input-objects', e, `s3:ListBucket on ${bucket}`, ctx.signal);
  }

  const t = scan.totals;
  const l = ctx.limits;
  const facts: ScanFacts = { files: t.files, sample: scan.sampleKeys() };
  const where = ctx.inputs.inputS3Uri;
  if (t.files === 0)
    return { ...fail('input-objects', `There are no files under ${where}.`, 'Check inputS3Uri: the import reads the DICOM files under that prefix, and there must be at least one.'), facts };
  const breaches = scan.breaches();
  const summary = `${count(t.files)} file${t.files === 1 ? '' : 's'}, ${bytes(t.bytes)} in total, ${t.foldersCapped ? `more than ${count(l.maxNestedFolders)}` : count(t.folders)} nested folder${t.folders === 1 ? '' : 's'}`;
  if (breaches.length > 0) {
    const onlyFileSize = breaches.every((b) => b.limit === 'file-size');
    const breached = fail(
      'input-objects',
      `${where} holds ${breaches.map((b) => b.message).join('; ')}.`,
      onlyFileSize
        ? `Remove files larger than ${bytes(l.maxFileBytes)} from the prefix: HealthImaging does not import them.`
        : `Split the input into prefixes of at most ${count(l.maxFiles)} files, ${bytes(l.maxTotalBytes)} and ${count(l.maxNestedFolders)} nested folders each, and import each as its own job (StartDICOMImportJob takes one prefix).`,
    );
    return { ...breached, facts };
  }
  return {
    ...pass('input-objects', `${where} holds ${summary}${t.largest ? ` (largest ${bytes(t.largest.size)})` : ''}: within the import limits (${count(l.maxFiles)} files, ${bytes(l.maxTotalBytes)}, ${count(l.maxNestedFolders)} folders, ${bytes(l.maxFileBytes)} per file).`),
    facts,
  };
}
