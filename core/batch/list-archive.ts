/**
 * Lists an archive prefix with ListObjectsV2 (pages of up to 1,000 objects), feeding the planner's
 * tree as pages arrive: progress after each page, cancellable between pages.
 */
import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { ArchiveTree, checkLimits, DEFAULT_BATCH_LIMITS, parseArchiveUri, type BatchLimits, type BatchPlan } from './plan';

export interface ListProgress {
  objects: number;
  pages: number;
}

export interface PlanFromS3Options {
  limits?: Partial<BatchLimits>;
  /** The bucket's owner when it is another account's (ExpectedBucketOwner). */
  expectedBucketOwner?: string;
  signal?: AbortSignal;
  onProgress?(progress: ListProgress): void;
}

export async function planArchiveFromS3(s3: S3Client, inputUri: string, opts: PlanFromS3Options = {}): Promise<BatchPlan & { listCalls: number }> {
  const { bucket, prefix } = parseArchiveUri(inputUri, 'input');
  const limits = checkLimits({ ...DEFAULT_BATCH_LIMITS, ...opts.limits });
  const tree = new ArchiveTree(bucket, prefix, limits);
  let pages = 0;
  const pager = paginateListObjectsV2(
    { client: s3, pageSize: 1000 },
    { Bucket: bucket, Prefix: prefix, ...(opts.expectedBucketOwner ? { ExpectedBucketOwner: opts.expectedBucketOwner } : {}) },
  );
  for await (const page of pager) {
    opts.signal?.throwIfAborted();
    pages++;
    for (const o of page.Contents ?? []) if (o.Key !== undefined) tree.add(o.Key, o.Size ?? 0);
    opts.onProgress?.({ objects: tree.objectCount, pages });
  }
  return { ...tree.plan(), listCalls: pages };
}
