/**
 * Staging: a flat folder over one job's limits (the planner's "unsplittable", stageable prefixes)
 * is copied with S3 CopyObject, server side, into sub-prefixes of at most the limits, which then
 * import as ordinary jobs. Nothing is downloaded.
 *
 *   s3://arch/in/flat/ (12,000 files)  --stage-to s3://stage/st/  →
 *     s3://stage/st/in/flat/part-0001/  (5,000)   s3://stage/st/in/flat/part-0002/  (5,000)
 *     s3://stage/st/in/flat/part-0003/  (2,000)
 *
 * Decisions:
 * - Deterministic: a folder's files (its direct objects, in S3's key order) are cut greedily into
 *   parts of at most maxFiles files and maxBytes bytes, so the same listing always gives the same
 *   parts and the same target keys, and a resumed batch derives the same job prefixes (and so the
 *   same client tokens).
 * - The plan keeps each part's first and last key, not its keys: a 1,000,000-object folder costs a
 *   few parts of memory, while planning and after. Executing lists the folder again and places
 *   each object by its key. A
 *   folder that changed in between (an object in no part, a part with other counts) is refused:
 *   "plan again" is safer than a part over the limits or a file left out.
 * - Idempotent: each part's target prefix is listed before its copies, and a target that already
 *   holds the object (same size, and same ETag where the ETag is the content's MD5) is skipped, so
 *   a resume copies nothing twice. An object in a part's prefix that is no copy of this folder's
 *   is an error: the import job would take it too.
 * - CopySourceIfMatch carries the listed ETag: a copy takes exactly the version that was planned.
 * - Bounded: at most `concurrency` (16) copies in flight; cancellable between and during requests.
 * - CopyObject takes at most 5 GiB per request; larger files (up to the 10 GB import limit) would
 *   need multipart UploadPartCopy, which this does not do: they are reported as uncopyable and
 *   left out of the parts, so the caller can say so (they are not silently imported or lost).
 */
import { CopyObjectCommand, paginateListObjectsV2, type S3Client, type _Object } from '@aws-sdk/client-s3';
import { checkLimits, DEFAULT_BATCH_LIMITS, parseArchiveUri, PlanInputError, type BatchLimits, type BatchPlan, type PlannedJob } from './plan';

/** CopyObject's limit for one request. */
export const MAX_COPY_BYTES = 5 * 1024 ** 3;
/** S3's longest key. */
const MAX_KEY_BYTES = 1024;
export const DEFAULT_STAGING_CONCURRENCY = 16;

export type StagingLimits = Pick<BatchLimits, 'maxFiles' | 'maxBytes' | 'maxFileBytes'>;

export interface StagePart {
  /** The staged sub-prefix, s3://BUCKET/PREFIX/part-0001/: one import job. */
  inputS3Uri: string;
  files: number;
  bytes: number;
  /** The part's key range in the source folder (S3 order), both ends included. */
  firstKey: string;
  lastKey: string;
}

export interface Uncopyable {
  key: string;
  size: number;
  reason: 'over-copy-limit' | 'target-key-too-long';
  detail: string;
}

export interface StagedFolder {
  /** The unsplittable folder, s3://BUCKET/PREFIX/. */
  source: string;
  parts: StagePart[];
  uncopyable: Uncopyable[];
}

export interface StagingPlan {
  /** Where the copies go, s3://BUCKET/PREFIX/ (ends in "/"). */
  stageTo: string;
  sourceBucket: string;
  limits: StagingLimits;
  folders: StagedFolder[];
  /** One per part, in folder then part order: add these to the batch plan. */
  jobs: PlannedJob[];
  totals: { files: number; bytes: number; parts: number; uncopyable: number };
  listCalls: number;
}

export interface StagingProgress {
  /** The part being copied now. */
  part: string;
  copied: number;
  skipped: number;
  /** Files of the whole staging (every part). */
  files: number;
  bytesCopied: number;
  bytes: number;
}

export interface StagingResult {
  jobs: PlannedJob[];
  copied: number;
  /** Targets that already held the object (a resumed staging). */
  skipped: number;
  bytesCopied: number;
  copyCalls: number;
  listCalls: number;
}

/** The source changed since planning, or a target prefix holds what is no copy of it. */
export class StagingError extends Error {
  override name = 'StagingError';
}

export interface StagingS3Options {
  /** The source bucket's owner when it is another account's (ExpectedSourceBucketOwner / ExpectedBucketOwner). */
  expectedSourceOwner?: string;
  /** The stage-to bucket's owner (ExpectedBucketOwner on the copies). */
  expectedTargetOwner?: string;
  signal?: AbortSignal;
}

export interface PlanStagingOptions extends StagingS3Options {
  /** Default: the batch plan's limits. */
  limits?: Partial<StagingLimits>;
  onProgress?(progress: { folder: string; objects: number }): void;
}

/** Checks --stage-to: a folder URI, outside the archive (or its copies would be imported twice). */
export function parseStageTo(stageTo: string, plan: Pick<BatchPlan, 'bucket' | 'prefix'>): { bucket: string; prefix: string } {
  const target = parseArchiveUri(stageTo, '--stage-to');
  if (target.bucket === plan.bucket && (target.prefix.startsWith(plan.prefix) || plan.prefix.startsWith(target.prefix)))
    throw new PlanInputError(
      `--stage-to must be outside the archive s3://${plan.bucket}/${plan.prefix} and not contain it (got ${stageTo}): the staged copies would be part of the archive and imported twice.`,
    );
  return target;
}

/** A file of a folder the planner's tree counted as its own: not a folder marker, not over the per-file limit. */
const isStageable = (o: _Object, folder: string, limits: StagingLimits): o is _Object & { Key: string } =>
  o.Key !== undefined && o.Key !== folder && !o.Key.endsWith('/') && o.Key.startsWith(folder) && (o.Size ?? 0) <= limits.maxFileBytes;

const partName = (n: number) => `part-${String(n).padStart(4, '0')}/`;
const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8');
/** S3's key order: UTF-8 bytes (JavaScript's < compares UTF-16 units, which differs past U+FFFF). */
const byKey = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/** Where a part's copies go, as a key prefix of the stage-to bucket. */
function partPrefix(target: { prefix: string }, folderPrefix: string, n: number): string {
  return `${target.prefix}${folderPrefix}${partName(n)}`;
}

/**
 * Cuts a folder's files, fed one by one in key order, into parts of at most the limits. Keeps only
 * the parts: a folder of any size costs a few parts of memory.
 */
function partCutter(stageTo: { bucket: string; prefix: string }, folderPrefix: string, limits: StagingLimits) {
  const parts: StagePart[] = [];
  const uncopyable: Uncopyable[] = [];
  let current: StagePart | undefined;
  let previous: string | undefined;
  return {
    add(o: { key: string; size: number }): void {
      if (previous !== undefined && byKey(o.key, previous) <= 0) throw new PlanInputError(`staging takes a folder's objects in S3 key order, once each (${o.key} came after ${previous}).`);
      previous = o.key;
      if (o.size > MAX_COPY_BYTES) {
        uncopyable.push({ key: o.key, size: o.size, reason: 'over-copy-limit', detail: `${o.key} is larger than 5 GiB, the most one CopyObject request copies; copy it with a multipart copy (UploadPartCopy) into its own folder and import that.` });
        return;
      }
      const n = current && current.files < limits.maxFiles && current.bytes + o.size <= limits.maxBytes ? parts.length : parts.length + 1;
      const targetKey = `${partPrefix(stageTo, folderPrefix, n)}${o.key.slice(folderPrefix.length)}`;
      if (utf8Bytes(targetKey) > MAX_KEY_BYTES) {
        uncopyable.push({ key: o.key, size: o.size, reason: 'target-key-too-long', detail: `Its staged key would be longer than S3's 1,024 bytes; choose a shorter --stage-to prefix.` });
        return;
      }
      if (n > parts.length) {
        current = { inputS3Uri: `s3://${stageTo.bucket}/${partPrefix(stageTo, folderPrefix, n)}`, files: 0, bytes: 0, firstKey: o.key, lastKey: o.key };
        parts.push(current);
      }
      current!.files++;
      current!.bytes += o.size;
      current!.lastKey = o.key;
    },
    result: () => ({ parts, uncopyable }),
  };
}

/** Cuts a folder's files, in key order, into parts of at most the limits (pure; the listing is the caller's). */
export function cutIntoParts(
  stageTo: { bucket: string; prefix: string },
  folderPrefix: string,
  objects: Iterable<{ key: string; size: number }>,
  limits: StagingLimits,
): { parts: StagePart[]; uncopyable: Uncopyable[] } {
  const cutter = partCutter(stageTo, folderPrefix, limits);
  for (const o of objects) cutter.add(o);
  return cutter.result();
}

async function* folderObjects(s3: S3Client, bucket: string, folder: string, opts: StagingS3Options, count: () => void): AsyncGenerator<_Object> {
  const pages = paginateListObjectsV2(
    { client: s3, pageSize: 1000 },
    { Bucket: bucket, Prefix: folder, Delimiter: '/', ...(opts.expectedSourceOwner ? { ExpectedBucketOwner: opts.expectedSourceOwner } : {}) },
    ...(opts.signal ? [{ abortSignal: opts.signal }] : []),
  );
  for await (const page of pages) {
    count();
    opts.signal?.throwIfAborted();
    yield* page.Contents ?? [];
  }
}

/**
 * Plans the copies of every stageable unsplittable folder of `plan` into `stageTo`: lists each
 * folder's own files (ListObjectsV2, delimiter "/": subfolders are jobs of their own) and cuts them
 * into parts. Sends nothing but ListObjectsV2.
 */
export async function planStaging(s3: S3Client, plan: BatchPlan, stageTo: string, opts: PlanStagingOptions = {}): Promise<StagingPlan> {
  const target = parseStageTo(stageTo, plan);
  const all = checkLimits({ ...DEFAULT_BATCH_LIMITS, ...plan.limits, ...opts.limits });
  const limits: StagingLimits = { maxFiles: all.maxFiles, maxBytes: all.maxBytes, maxFileBytes: all.maxFileBytes };
  const folders: StagedFolder[] = [];
  let listCalls = 0;
  const sources = [...new Set(plan.unsplittable.filter((u) => u.stageable).map((u) => u.prefix))].sort();
  for (const source of sources) {
    const { bucket, prefix } = parseArchiveUri(source, 'unsplittable prefix');
    if (bucket !== plan.bucket) throw new PlanInputError(`unsplittable prefix ${source} is not in the plan's bucket ${plan.bucket}.`);
    const cutter = partCutter(target, prefix, limits);
    let seen = 0;
    try {
      for await (const o of folderObjects(s3, bucket, prefix, opts, () => listCalls++)) {
        seen++;
        if (isStageable(o, prefix, limits)) cutter.add({ key: o.Key, size: o.Size ?? 0 });
        if (seen % 1000 === 0) opts.onProgress?.({ folder: source, objects: seen });
      }
    } catch (error) {
      throw opts.signal?.aborted ? opts.signal.reason : error;
    }
    opts.onProgress?.({ folder: source, objects: seen });
    folders.push({ source, ...cutter.result() });
  }
  const jobs = folders.flatMap((f) => f.parts.map((p): PlannedJob => ({ inputS3Uri: p.inputS3Uri, files: p.files, bytes: p.bytes, folders: 0 })));
  return {
    stageTo: `s3://${target.bucket}/${target.prefix}`,
    sourceBucket: plan.bucket,
    limits,
    folders,
    jobs,
    totals: {
      files: jobs.reduce((n, j) => n + j.files, 0),
      bytes: jobs.reduce((n, j) => n + j.bytes, 0),
      parts: jobs.length,
      uncopyable: folders.reduce((n, f) => n + f.uncopyable.length, 0),
    },
    listCalls,
  };
}

/** The batch plan with the staged parts as jobs, and the folders they stage no longer unsplittable. */
export function withStagedJobs(plan: BatchPlan, staging: StagingPlan): BatchPlan {
  const staged = new Set(staging.folders.filter((f) => f.uncopyable.length === 0).map((f) => f.source));
  return {
    ...plan,
    jobs: [...plan.jobs, ...staging.jobs],
    unsplittable: plan.unsplittable.filter((u) => !(u.stageable && staged.has(u.prefix))),
  };
}

/** S3's ETag is the content's MD5 for a single-part, unencrypted or SSE-S3 object; a multipart one has "-N". */
const md5Etag = (etag: string | undefined) => Boolean(etag && /^"?[0-9a-f]{32}"?$/.test(etag));

function alreadyCopied(source: _Object, target: { size: number; etag?: string } | undefined): boolean {
  if (!target || target.size !== (source.Size ?? 0)) return false;
  // A copy of a multipart object gets a new ETag: the same size in our own part prefix is the copy.
  if (!md5Etag(source.ETag)) return true;
  return target.etag === source.ETag;
}

/** A pool of at most `limit` promises in flight; the first failure stops new work. */
function pool(limit: number) {
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  return {
    get failed() {
      return failure;
    },
    async add(work: () => Promise<void>): Promise<void> {
      while (inFlight.size >= limit) await Promise.race(inFlight);
      if (failure) return;
      const p: Promise<void> = work()
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async drain(): Promise<void> {
      while (inFlight.size) await Promise.race(inFlight);
    },
  };
}

export interface ExecuteStagingOptions extends StagingS3Options {
  /** Copies in flight at once; default 16. */
  concurrency?: number;
  onProgress?(progress: StagingProgress): void;
}

/**
 * Copies every part of `staging` (CopyObject, server side), skipping targets that already hold
 * their object, and returns the parts as jobs. Re-running after an interruption copies only what
 * is missing. Rejects with StagingError when the source changed since planning or a part's prefix
 * holds foreign objects, and with the signal's reason when cancelled (after in-flight copies end).
 */
export async function executeStaging(s3: S3Client, staging: StagingPlan, opts: ExecuteStagingOptions = {}): Promise<StagingResult> {
  const target = parseArchiveUri(staging.stageTo, '--stage-to');
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_STAGING_CONCURRENCY));
  const result: StagingResult = { jobs: staging.jobs, copied: 0, skipped: 0, bytesCopied: 0, copyCalls: 0, listCalls: 0 };
  const send = opts.signal ? { abortSignal: opts.signal } : {};
  const work = pool(concurrency);
  let part = '';
  const report = () => opts.onProgress?.({ part, copied: result.copied, skipped: result.skipped, files: staging.totals.files, bytesCopied: result.bytesCopied, bytes: staging.totals.bytes });

  /** What a part's prefix holds now: key (below the part) → size and ETag. */
  const existing = async (uri: string) => {
    const { prefix } = parseArchiveUri(uri, 'part');
    const held = new Map<string, { size: number; etag?: string }>();
    const pages = paginateListObjectsV2(
      { client: s3, pageSize: 1000 },
      { Bucket: target.bucket, Prefix: prefix, ...(opts.expectedTargetOwner ? { ExpectedBucketOwner: opts.expectedTargetOwner } : {}) },
      ...(opts.signal ? [{ abortSignal: opts.signal }] : []),
    );
    for await (const page of pages) {
      result.listCalls++;
      for (const o of page.Contents ?? []) if (o.Key) held.set(o.Key.slice(prefix.length), { size: o.Size ?? 0, ...(o.ETag ? { etag: o.ETag } : {}) });
    }
    return held;
  };

  try {
    for (const folder of staging.folders) {
      const { bucket, prefix } = parseArchiveUri(folder.source, 'unsplittable prefix');
      const left = new Set(folder.uncopyable.map((u) => u.key));
      let p = -1;
      let held = new Map<string, { size: number; etag?: string }>();
      let counts = { files: 0, bytes: 0 };
      const closePart = () => {
        if (p < 0) return;
        const planned = folder.parts[p]!;
        if (counts.files !== planned.files || counts.bytes !== planned.bytes)
          throw new StagingError(`${folder.source} changed since staging was planned (${planned.inputS3Uri} was planned with ${planned.files} files, ${planned.bytes} bytes; the folder now gives it ${counts.files} files, ${counts.bytes} bytes): plan again.`);
        if (held.size > 0)
          throw new StagingError(`${planned.inputS3Uri} holds ${held.size} object(s) that are not copies of ${folder.source} (such as ${[...held.keys()][0]}); its import job would take them too. Choose an empty --stage-to prefix.`);
      };
      for await (const o of folderObjects(s3, bucket, prefix, opts, () => result.listCalls++)) {
        if (work.failed) break;
        if (!isStageable(o, prefix, staging.limits) || left.has(o.Key)) continue;
        const key = o.Key;
        while (p < folder.parts.length - 1 && (p < 0 || byKey(key, folder.parts[p]!.lastKey) > 0)) {
          closePart();
          p++;
          part = folder.parts[p]!.inputS3Uri;
          held = await existing(part);
          counts = { files: 0, bytes: 0 };
        }
        const planned = folder.parts[p];
        if (!planned || byKey(key, planned.firstKey) < 0 || byKey(key, planned.lastKey) > 0) throw new StagingError(`${folder.source} changed since staging was planned: s3://${bucket}/${key} falls in no planned part. Plan again.`);
        const name = key.slice(prefix.length);
        const have = held.get(name);
        held.delete(name);
        counts.files++;
        counts.bytes += o.Size ?? 0;
        if (alreadyCopied(o, have)) {
          result.skipped++;
          report();
          continue;
        }
        const targetKey = `${parseArchiveUri(planned.inputS3Uri, 'part').prefix}${name}`;
        await work.add(async () => {
          result.copyCalls++;
          await s3.send(
            new CopyObjectCommand({
              Bucket: target.bucket,
              Key: targetKey,
              // The source key, URL-encoded as x-amz-copy-source wants it ("/" kept).
              CopySource: `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`,
              ...(o.ETag ? { CopySourceIfMatch: o.ETag } : {}),
              ...(opts.expectedSourceOwner ? { ExpectedSourceBucketOwner: opts.expectedSourceOwner } : {}),
              ...(opts.expectedTargetOwner ? { ExpectedBucketOwner: opts.expectedTargetOwner } : {}),
            }),
            send,
          );
          result.copied++;
          result.bytesCopied += o.Size ?? 0;
          report();
        });
      }
      // A failed copy stops everything: the drain below waits for the copies in flight, then it is thrown.
      if (work.failed) break;
      // Parts the listing never reached (their files are gone) are a changed folder too.
      closePart();
      if (p < folder.parts.length - 1) throw new StagingError(`${folder.source} changed since staging was planned: ${folder.parts[p + 1]!.inputS3Uri} has no files left. Plan again.`);
    }
  } catch (error) {
    // Cancelled mid-request: the SDK's AbortError says less than the caller's own reason.
    throw opts.signal?.aborted ? opts.signal.reason : error;
  } finally {
    await work.drain();
  }
  opts.signal?.throwIfAborted();
  if (work.failed) throw work.failed.error;
  return result;
}
