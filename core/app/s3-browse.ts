/**
 * S3 browsing for the prefix fields (the Import step's input and output, an archive's prefix), so
 * a user picks a folder instead of typing it: the buckets (ListBuckets, every page, each with its
 * region), one folder level (ListObjectsV2 with the "/" delimiter, a page at a time) and what a
 * chosen prefix holds (objects and bytes, counted up to a cap).
 *
 * Decisions:
 * - ListBuckets is sent with MaxBuckets: only a request with a parameter gets each bucket's
 *   BucketRegion back, which costs nothing extra and lets the page say which buckets HealthImaging
 *   can read from this region (it reads input and writes output in the data store's region).
 * - A folder is shown a page at a time (the caller passes the continuation token back): a flat
 *   folder of 100,000 objects must not be listed whole to show its first screen.
 * - The summary stops at a cap (100,000 objects, 100 ListObjectsV2 calls) and says "at least":
 *   the user needs "over 5,000 files, too many for one job", not an exact count of a big archive.
 * - Dates cross to the page as ISO strings (the shapes are the contract's); nothing here carries a
 *   credential.
 */
import { ListObjectsV2Command, paginateListBuckets, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import type { AwsSession } from '../aws/session';
import type { S3BucketEntry, S3PrefixListing, S3PrefixSummary } from '../../contract/ipc';
import { isBucketName, isFolderPrefix, S3_BUCKET_RULE, S3_FOLDER_RULE } from '../../contract/rules';
import { awsFault, sendOptions, type AwsCallOptions } from './datastores';

export const LIST_PAGE_MAX = 1000;
export const SUMMARY_CAP = 100_000;

export class S3BrowseInputError extends RangeError {
  override name = 'S3BrowseInputError';
}

export function checkBucket(bucket: string): string {
  if (!isBucketName(bucket)) throw new S3BrowseInputError(`bucket must be ${S3_BUCKET_RULE} (got ${JSON.stringify(bucket.slice(0, 80))}).`);
  return bucket;
}

export function checkFolder(prefix: string): string {
  if (!isFolderPrefix(prefix)) throw new S3BrowseInputError(`prefix must be ${S3_FOLDER_RULE} (got ${JSON.stringify(prefix.slice(0, 80))}).`);
  return prefix;
}

/** Every bucket of the account, by name, each with its region when S3 gives it. */
export async function listBuckets(session: Pick<AwsSession, 's3' | 'profile'>, opts: AwsCallOptions & { pageSize?: number } = {}): Promise<S3BucketEntry[]> {
  const all: S3BucketEntry[] = [];
  try {
    for await (const page of paginateListBuckets({ client: session.s3, pageSize: opts.pageSize ?? 1000 }, {}, ...sendOptions(opts))) {
      for (const b of page.Buckets ?? []) {
        if (!b.Name) continue;
        all.push({ name: b.Name, ...(b.CreationDate ? { createdAt: b.CreationDate.toISOString() } : {}), ...(b.BucketRegion ? { region: b.BucketRegion } : {}) });
      }
    }
  } catch (err) {
    awsFault(err, 'ListBuckets', session);
  }
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface ListPrefixRequest {
  bucket: string;
  prefix: string;
  continuationToken?: string;
  /** Entries (folders and objects) per page; at most 1,000, default 200. */
  pageSize?: number;
  /** The bucket's owner when it is another account's (ExpectedBucketOwner). */
  expectedBucketOwner?: string;
}

/** One page of one folder level: its subfolders and its objects. */
export async function listPrefix(session: Pick<AwsSession, 's3' | 'profile'>, req: ListPrefixRequest, opts: AwsCallOptions = {}): Promise<S3PrefixListing> {
  const bucket = checkBucket(req.bucket);
  const prefix = checkFolder(req.prefix);
  const pageSize = Math.min(Math.max(1, Math.floor(req.pageSize ?? 200)), LIST_PAGE_MAX);
  try {
    const out = await session.s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        Delimiter: '/',
        MaxKeys: pageSize,
        ...(req.continuationToken ? { ContinuationToken: req.continuationToken } : {}),
        ...(req.expectedBucketOwner ? { ExpectedBucketOwner: req.expectedBucketOwner } : {}),
      }),
      opts.signal ? { abortSignal: opts.signal } : {},
    );
    return {
      bucket,
      prefix,
      folders: (out.CommonPrefixes ?? []).flatMap((p) => (p.Prefix ? [p.Prefix] : [])),
      objects: (out.Contents ?? []).flatMap((o) =>
        o.Key === undefined || o.Key === prefix ? [] : [{ key: o.Key, size: o.Size ?? 0, ...(o.LastModified ? { lastModified: o.LastModified.toISOString() } : {}) }],
      ),
      ...(out.IsTruncated && out.NextContinuationToken ? { nextToken: out.NextContinuationToken } : {}),
    };
  } catch (err) {
    awsFault(err, 'ListObjectsV2', session);
  }
}

export interface PrefixSummaryRequest {
  bucket: string;
  prefix: string;
  /** Stop counting after this many objects (default 100,000) and say "at least". */
  cap?: number;
  /** Objects per ListObjectsV2 page; at most (and by default) 1,000. */
  pageSize?: number;
  expectedBucketOwner?: string;
}

export interface PrefixSummaryOptions extends AwsCallOptions {
  /** After each page: the counts so far. */
  onProgress?(summary: S3PrefixSummary): void;
}

/** Objects and bytes under a prefix at every depth, pages of 1,000, stopped at the cap; cancellable. */
export async function prefixSummary(session: Pick<AwsSession, 's3' | 'profile'>, req: PrefixSummaryRequest, opts: PrefixSummaryOptions = {}): Promise<S3PrefixSummary> {
  const bucket = checkBucket(req.bucket);
  const prefix = checkFolder(req.prefix);
  const cap = req.cap ?? SUMMARY_CAP;
  if (!Number.isSafeInteger(cap) || cap < 1) throw new S3BrowseInputError(`cap must be a whole number of at least 1 (got ${String(cap)}).`);
  const summary: S3PrefixSummary = { bucket, prefix, objects: 0, bytes: 0, atLeast: false, listCalls: 0 };
  try {
    const pages = paginateListObjectsV2(
      { client: session.s3, pageSize: Math.min(LIST_PAGE_MAX, cap, Math.max(1, Math.floor(req.pageSize ?? LIST_PAGE_MAX))) },
      { Bucket: bucket, Prefix: prefix, ...(req.expectedBucketOwner ? { ExpectedBucketOwner: req.expectedBucketOwner } : {}) },
      ...sendOptions(opts),
    );
    for await (const page of pages) {
      summary.listCalls++;
      for (const o of page.Contents ?? []) {
        // A key ending in "/" is a folder marker (the console's "Create folder"), not a file.
        if (o.Key === undefined || o.Key.endsWith('/')) continue;
        summary.objects++;
        summary.bytes += o.Size ?? 0;
      }
      if (summary.objects >= cap && page.IsTruncated) {
        summary.atLeast = true;
        break;
      }
      opts.onProgress?.({ ...summary });
      opts.signal?.throwIfAborted();
    }
  } catch (err) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? err;
    awsFault(err, 'ListObjectsV2', session);
  }
  return summary;
}
