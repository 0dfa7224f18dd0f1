/**
 * The batch planner: an S3 archive prefix cut into the fewest import jobs HealthImaging accepts.
 *
 * StartDICOMImportJob takes ONE prefix and imports everything under it, so a job is a folder
 * (with all its subfolders). The planner builds a folder tree of counts as the listing streams in
 * (no keys are kept: a 1,000,000-object archive costs one node per folder), then walks it from the
 * top and takes every folder whose whole subtree fits the limits as one job. That greedy choice is
 * optimal: a folder that fits needs one job however it is covered, and a folder that does not fit
 * must be cut into its subfolders. Folders, and so DICOM series, stay together wherever they can.
 *
 * Files that sit directly in a folder too large for one job cannot be imported by any prefix
 * without taking the whole folder: they are "unsplittable" and need staging (copying into
 * sub-prefixes, see stage.ts). A single file over the per-file limit cannot be imported at all.
 */
import { formatBytes } from '../text/bytes';

export { formatBytes };

export interface BatchLimits {
  /** Files per job (adjustable quota L-685AAB3A; default 5,000). */
  maxFiles: number;
  /** Bytes per job (10 GB, not adjustable). */
  maxBytes: number;
  /** Nested folders per job (10,000). */
  maxFolders: number;
  /** Bytes per file (10 GB). */
  maxFileBytes: number;
}

const GB = 1_000_000_000;

export const DEFAULT_BATCH_LIMITS: Readonly<BatchLimits> = { maxFiles: 5_000, maxBytes: 10 * GB, maxFolders: 10_000, maxFileBytes: 10 * GB };

export interface PlannedJob {
  inputS3Uri: string;
  files: number;
  bytes: number;
  /** Nested folders under the prefix. */
  folders: number;
}

export type UnsplittableReason = 'flat-folder-over-limit' | 'file-over-limit';

export interface UnsplittablePrefix {
  /** The folder whose own files (not its subfolders') no prefix can take apart. */
  prefix: string;
  files: number;
  bytes: number;
  reason: UnsplittableReason;
  /** In words, with the limit that was broken and what to do. */
  detail: string;
  /** Staging copies these files into sub-prefixes of at most the limits (not for file-over-limit). */
  stageable: boolean;
}

export interface BatchPlan {
  bucket: string;
  prefix: string;
  limits: BatchLimits;
  jobs: PlannedJob[];
  unsplittable: UnsplittablePrefix[];
  totals: { files: number; bytes: number; folders: number };
}

interface FolderNode {
  name: string;
  directFiles: number;
  directBytes: number;
  /** Files directly here that are over the per-file limit. */
  oversized: number;
  oversizedBytes: number;
  children: Map<string, FolderNode>;
  // Subtree totals, filled by summarize().
  files: number;
  bytes: number;
  folders: number;
  oversizedBelow: number;
}

const node = (name: string): FolderNode => ({ name, directFiles: 0, directBytes: 0, oversized: 0, oversizedBytes: 0, children: new Map(), files: 0, bytes: 0, folders: 0, oversizedBelow: 0 });

export class PlanInputError extends Error {
  override name = 'PlanInputError';
}

/** s3://bucket/prefix/ → its parts; the prefix must name a folder (end in /) or the bucket root. */
export function parseArchiveUri(uri: string, field = 'input'): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][.\-a-z0-9]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!m) throw new PlanInputError(`${field} must be an S3 URI such as s3://BUCKET/PREFIX/ (got ${JSON.stringify(uri.slice(0, 200))}).`);
  const prefix = m[2] ?? '';
  if (prefix !== '' && !prefix.endsWith('/')) throw new PlanInputError(`${field} must name a folder and end with "/" (got ${uri}): an import job takes a whole folder.`);
  return { bucket: m[1]!, prefix };
}

export function checkLimits(limits: BatchLimits): BatchLimits {
  for (const [k, v] of Object.entries(limits)) {
    if (!Number.isSafeInteger(v) || v < 1) throw new PlanInputError(`${k} must be a whole number of at least 1 (got ${String(v)}).`);
  }
  if (limits.maxBytes > DEFAULT_BATCH_LIMITS.maxBytes) throw new PlanInputError(`maxBytes cannot exceed HealthImaging's 10 GB per import job, which is not adjustable.`);
  return limits;
}

/** Accumulates the listing of one archive prefix, object by object, as pages arrive. */
export class ArchiveTree {
  private readonly root = node('');
  private objects = 0;
  constructor(
    readonly bucket: string,
    readonly prefix: string,
    private readonly limits: BatchLimits = DEFAULT_BATCH_LIMITS,
  ) {}

  get objectCount(): number {
    return this.objects;
  }

  add(key: string, size: number): void {
    if (!key.startsWith(this.prefix)) return;
    const rest = key.slice(this.prefix.length);
    const parts = rest.split('/');
    const file = parts.pop()!;
    let at = this.root;
    for (const part of parts) {
      let child = at.children.get(part);
      if (!child) at.children.set(part, (child = node(part)));
      at = child;
    }
    // A key ending in "/" is a folder marker (the console's "Create folder"), not a file.
    if (file === '') return;
    this.objects++;
    if (size > this.limits.maxFileBytes) {
      at.oversized++;
      at.oversizedBytes += size;
      return;
    }
    at.directFiles++;
    at.directBytes += size;
  }

  plan(): BatchPlan {
    const limits = this.limits;
    summarize(this.root);
    const jobs: PlannedJob[] = [];
    const unsplittable: UnsplittablePrefix[] = [];
    const uri = (path: string) => `s3://${this.bucket}/${path}`;
    // A job whose prefix holds a file over the per-file limit would fail that file: never planned.
    const fits = (n: FolderNode) => n.oversizedBelow === 0 && n.files <= limits.maxFiles && n.bytes <= limits.maxBytes && n.folders <= limits.maxFolders;
    const walk = (n: FolderNode, path: string) => {
      if (n.oversized > 0) {
        unsplittable.push({
          prefix: uri(path),
          files: n.oversized,
          bytes: n.oversizedBytes,
          reason: 'file-over-limit',
          detail: `${n.oversized === 1 ? '1 file is' : `${n.oversized} files are`} larger than ${formatBytes(limits.maxFileBytes)}, HealthImaging's limit for one file, and cannot be imported (re-encode or split the instance first).`,
          stageable: false,
        });
      }
      if (n.files === 0) return;
      if (fits(n)) {
        jobs.push({ inputS3Uri: uri(path), files: n.files, bytes: n.bytes, folders: n.folders });
        return;
      }
      if (n.directFiles > 0) {
        unsplittable.push({
          prefix: uri(path),
          files: n.directFiles,
          bytes: n.directBytes,
          reason: 'flat-folder-over-limit',
          detail: `${stagingReason(n, limits)} Stage them into sub-prefixes with --stage-to s3://BUCKET/PREFIX/.`,
          stageable: true,
        });
      }
      for (const child of [...n.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) walk(child, `${path}${child.name}/`);
    };
    walk(this.root, this.prefix);
    return { bucket: this.bucket, prefix: this.prefix, limits, jobs, unsplittable, totals: { files: this.root.files, bytes: this.root.bytes, folders: this.root.folders } };
  }
}

/** Fills subtree totals bottom-up, without recursion (archives can be deep). */
function summarize(root: FolderNode): void {
  const order: FolderNode[] = [];
  const stack = [root];
  while (stack.length) {
    const n = stack.pop()!;
    order.push(n);
    for (const c of n.children.values()) stack.push(c);
  }
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i]!;
    // A file over the per-file limit still counts toward its job's totals: HealthImaging scans it.
    n.files = n.directFiles + n.oversized;
    n.bytes = n.directBytes + n.oversizedBytes;
    n.folders = 0;
    n.oversizedBelow = n.oversized;
    for (const c of n.children.values()) {
      n.oversizedBelow += c.oversizedBelow;
      n.files += c.files;
      n.bytes += c.bytes;
      n.folders += 1 + c.folders;
    }
  }
}

/** Why the files directly in this folder cannot be one job's prefix, in words. */
function stagingReason(n: FolderNode, limits: BatchLimits): string {
  const count = `${n.directFiles.toLocaleString('en-US')} ${n.directFiles === 1 ? 'file' : 'files'} (${formatBytes(n.directBytes)})`;
  if (n.oversized > 0 && n.children.size === 0 && n.files - n.oversized <= limits.maxFiles && n.bytes - n.oversizedBytes <= limits.maxBytes)
    return `${count} sit directly in this folder beside a file too large to import, and an import job takes a whole folder.`;
  const broken =
    n.files > limits.maxFiles
      ? `the limit of ${limits.maxFiles.toLocaleString('en-US')} files`
      : n.bytes > limits.maxBytes
        ? `the limit of ${formatBytes(limits.maxBytes)}`
        : n.folders > limits.maxFolders
          ? `the limit of ${limits.maxFolders.toLocaleString('en-US')} nested folders`
          : 'what one import job can take (it holds a file too large to import)';
  return n.children.size === 0
    ? `${count} sit directly in this folder, over ${broken} for one import job, and an import job takes a whole folder.`
    : `${count} sit directly in this folder beside its subfolders; the folder as a whole is over ${broken} for one import job, and no prefix takes these files without the subfolders.`;
}


/** Plans from a list of objects at once (tests, small archives). */
export function planArchive(uri: string, objects: Iterable<{ key: string; size: number }>, limits: BatchLimits = DEFAULT_BATCH_LIMITS): BatchPlan {
  const { bucket, prefix } = parseArchiveUri(uri);
  const tree = new ArchiveTree(bucket, prefix, checkLimits({ ...limits }));
  for (const o of objects) tree.add(o.key, o.size);
  return tree.plan();
}
