/**
 * The sandbox's S3 as plain folders: DATA/s3/<bucket>/<key>. Shared by the S3 API, the import
 * processor (reads input, writes results) and the demo-data seeding. Keys can never escape their
 * bucket folder.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const BUCKET_NAME_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Temp files of writes in flight live here, outside every bucket (the name is no valid bucket name). */
const TEMP_DIR = '.tmp';
/** Temp files of older sandboxes sat next to their object; they are never listed as keys. */
const LEGACY_TEMP = /\.tmp-\d+-[a-z0-9]+$/;

/**
 * A key the folders cannot hold: it is a folder of other keys, one of its prefixes is an object,
 * or one of its segments is longer than a file name may be. Real S3 has no such limits.
 */
export class KeyConflict extends Error {
  constructor(
    readonly key: string,
    readonly reason: 'is-folder' | 'under-object' | 'too-long',
  ) {
    super(
      reason === 'is-folder'
        ? `The sandbox keeps objects as files: '${key}' cannot be an object while other keys start with '${key}/'.`
        : reason === 'under-object'
          ? `The sandbox keeps objects as files: '${key}' cannot be stored because a shorter key it starts with is an object.`
          : `The sandbox keeps objects as files: a segment of '${key.slice(0, 64)}...' between slashes is longer than a file name may be (255 bytes).`,
    );
  }
}

export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
}

/** One entry of a listing in S3 order: an object, or a common prefix folded at "/". */
export type ListingEntry = ({ kind: 'object' } & ObjectInfo) | { kind: 'prefix'; key: string };

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

export class S3Store {
  readonly root: string;
  /** ETags by path, valid while size and mtime stay: a listing never re-reads every object. */
  private readonly etags = new Map<string, { size: number; mtimeMs: number; etag: string }>();

  constructor(root: string) {
    this.root = resolve(root);
    mkdirSync(this.root, { recursive: true });
  }

  bucketExists(bucket: string): boolean {
    return BUCKET_NAME_RE.test(bucket) && existsSync(join(this.root, bucket));
  }

  buckets(): Array<{ name: string; created: Date }> {
    return readdirSync(this.root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && BUCKET_NAME_RE.test(e.name))
      .map((e) => ({ name: e.name, created: statSync(join(this.root, e.name)).birthtime }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  createBucket(bucket: string): void {
    if (!BUCKET_NAME_RE.test(bucket)) throw new Error(`invalid bucket name ${bucket}`);
    mkdirSync(join(this.root, bucket), { recursive: true });
  }

  /** Absolute file path for a key, or null when the key would leave the bucket folder. */
  private pathFor(bucket: string, key: string): string | null {
    if (!BUCKET_NAME_RE.test(bucket) || key.length === 0 || key.length > 1024 || key.includes('\0')) return null;
    const bucketDir = join(this.root, bucket);
    const full = resolve(bucketDir, key);
    const rel = relative(bucketDir, full);
    if (rel === '' || rel.startsWith('..') || rel.split(sep).includes('..')) return null;
    return full;
  }

  isValidKey(bucket: string, key: string): boolean {
    return this.pathFor(bucket, key) !== null;
  }

  head(bucket: string, key: string): ObjectInfo | null {
    const p = this.pathFor(bucket, key);
    if (!p) return null;
    try {
      const st = statSync(p);
      if (!st.isFile()) return null;
      return { key, size: st.size, lastModified: st.mtime };
    } catch {
      return null;
    }
  }

  read(bucket: string, key: string): Buffer | null {
    const info = this.head(bucket, key);
    if (!info) return null;
    return readFileSync(this.pathFor(bucket, key)!);
  }

  /**
   * Writes atomically (temp file + rename) so readers never see half an object. A failed write
   * leaves nothing behind: the temp file and any folders made for it are removed.
   */
  write(bucket: string, key: string, body: Uint8Array): ObjectInfo {
    return this.place(bucket, key, (tmp) => writeFileSync(tmp, body));
  }

  /** CopyObject's server side: the source's bytes become the target, atomically as write() does. */
  copy(fromBucket: string, fromKey: string, bucket: string, key: string): ObjectInfo | null {
    const from = this.head(fromBucket, fromKey) && this.pathFor(fromBucket, fromKey);
    if (!from) return null;
    return this.place(bucket, key, (tmp) => copyFileSync(from, tmp));
  }

  private place(bucket: string, key: string, fill: (tmp: string) => void): ObjectInfo {
    const p = this.pathFor(bucket, key);
    if (!p) throw new Error(`invalid key ${key}`);
    const tempDir = join(this.root, TEMP_DIR);
    mkdirSync(tempDir, { recursive: true });
    const tmp = join(tempDir, `${process.pid}-${Math.random().toString(36).slice(2)}`);
    // The topmost folder this write makes (mkdir can fail halfway, so it is found beforehand).
    const made = firstMissing(dirname(p), join(this.root, bucket));
    try {
      mkdirSync(dirname(p), { recursive: true });
      fill(tmp);
      renameSync(tmp, p);
    } catch (e) {
      rmSync(tmp, { force: true });
      if (made) removeEmptyFolders(dirname(p), made);
      throw asKeyConflict(e, key) ?? e;
    }
    return this.head(bucket, key)!;
  }

  /** The object's ETag (MD5 of its bytes), computed once per version of the file. */
  etag(bucket: string, key: string): string | null {
    const p = this.pathFor(bucket, key);
    if (!p) return null;
    let st;
    try {
      st = statSync(p);
    } catch {
      return null;
    }
    const cached = this.etags.get(p);
    if (cached && cached.size === st.size && cached.mtimeMs === st.mtimeMs) return cached.etag;
    const etag = etagOf(readFileSync(p));
    if (this.etags.size > 200_000) this.etags.clear();
    this.etags.set(p, { size: st.size, mtimeMs: st.mtimeMs, etag });
    return etag;
  }

  /**
   * Objects under a prefix in S3 order (UTF-8 binary), lazily, starting after `after`: a page of a
   * 100,000-object listing walks only the folders it needs. Folder entries are sorted by name with
   * "/" appended, which orders every key below a folder exactly where S3 puts it. With `fold`,
   * folders below the prefix come out as common prefixes (the "/" delimiter), never descended.
   */
  *entries(bucket: string, prefix: string, opts: { after?: string; fold?: boolean } = {}): Generator<ListingEntry> {
    if (!this.bucketExists(bucket)) return;
    const after = opts.after ?? '';
    const self = this;
    function* walk(dir: string, keyPrefix: string): Generator<ListingEntry> {
      let raw;
      try {
        raw = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      const sorted = raw
        .filter((e) => !LEGACY_TEMP.test(e.name) && (e.isDirectory() || e.isFile()))
        .map((e) => ({ e, label: keyPrefix + e.name + (e.isDirectory() ? '/' : '') }))
        .sort((a, b) => byBytes(a.label, b.label));
      for (const { e, label } of sorted) {
        if (e.isDirectory()) {
          const isAncestor = prefix.startsWith(label) && prefix !== label;
          if (!isAncestor && !label.startsWith(prefix)) continue;
          // The folder the prefix names is walked into: S3 folds only the folders below it.
          if (opts.fold && !isAncestor && label !== prefix) {
            if (byBytes(label, after) > 0 && self.hasObject(join(dir, e.name))) yield { kind: 'prefix', key: label };
            continue;
          }
          // Every key below sorts after the folder's label: skip folders wholly at or before `after`.
          if (!after.startsWith(label) && byBytes(label, after) <= 0) continue;
          yield* walk(join(dir, e.name), label);
        } else if (label.startsWith(prefix) && byBytes(label, after) > 0) {
          const st = statSync(join(dir, e.name));
          yield { kind: 'object', key: label, size: st.size, lastModified: st.mtime };
        }
      }
    }
    yield* walk(join(this.root, bucket), '');
  }

  /** Whether a folder holds at least one object (S3 lists no common prefix for an empty one). */
  private hasObject(dir: string): boolean {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((e) => (e.isFile() && !LEGACY_TEMP.test(e.name)) || (e.isDirectory() && this.hasObject(join(dir, e.name))));
  }

  /** Every object under a prefix, sorted by key (S3 order: UTF-8 binary). Stops early past `limit`. */
  list(bucket: string, prefix: string, limit = Number.POSITIVE_INFINITY): ObjectInfo[] {
    const out: ObjectInfo[] = [];
    for (const e of this.entries(bucket, prefix)) {
      if (e.kind !== 'object') continue;
      out.push({ key: e.key, size: e.size, lastModified: e.lastModified });
      if (out.length > limit) break;
    }
    return out;
  }

}

function asKeyConflict(e: unknown, key: string): KeyConflict | undefined {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EISDIR' || code === 'ENOTEMPTY') return new KeyConflict(key, 'is-folder');
  if (code === 'ENOTDIR' || code === 'EEXIST') return new KeyConflict(key, 'under-object');
  if (code === 'ENAMETOOLONG') return new KeyConflict(key, 'too-long');
  return undefined;
}

function firstMissing(dir: string, bucketDir: string): string | undefined {
  let missing: string | undefined;
  for (let d = dir; d.length > bucketDir.length && !existsSync(d); d = dirname(d)) missing = d;
  return missing;
}

/** Removes the folders a failed write made, deepest first, from `dir` up to and including `top`. */
function removeEmptyFolders(dir: string, top: string): void {
  for (let d = dir; d.length >= top.length; d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch (e) {
      // Not empty: something else lives there. Other failures mean mkdir never made this one.
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') return;
    }
  }
}

export function etagOf(body: Uint8Array): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/** s3://bucket/prefix -> { bucket, prefix } */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`not an S3 URI: ${uri}`);
  return { bucket: m[1]!, prefix: m[2]! };
}
