/**
 * The sandbox's S3 as plain folders: DATA/s3/<bucket>/<key>. Shared by the S3 API, the import
 * processor (reads input, writes results) and the demo-data seeding. Keys can never escape their
 * bucket folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const BUCKET_NAME_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
}

export class S3Store {
  readonly root: string;

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

  /** Writes atomically (temp file + rename) so readers never see half an object. */
  write(bucket: string, key: string, body: Uint8Array): ObjectInfo {
    const p = this.pathFor(bucket, key);
    if (!p) throw new Error(`invalid key ${key}`);
    mkdirSync(dirname(p), { recursive: true });
    const tmp = `${p}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    writeFileSync(tmp, body);
    renameSync(tmp, p);
    return this.head(bucket, key)!;
  }

  /** Every object under a prefix, sorted by key (S3 order: UTF-8 binary). Stops early past `limit`. */
  list(bucket: string, prefix: string, limit = Number.POSITIVE_INFINITY): ObjectInfo[] {
    const bucketDir = join(this.root, bucket);
    if (!this.bucketExists(bucket)) return [];
    const out: ObjectInfo[] = [];
    // Only descend into folders that can hold keys with this prefix.
    const walk = (dir: string, keyPrefix: string): void => {
      if (out.length > limit) return;
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (e.name.includes('.tmp-')) continue;
        const key = keyPrefix + e.name;
        if (e.isDirectory()) {
          const asFolder = `${key}/`;
          if (asFolder.startsWith(prefix) || prefix.startsWith(asFolder)) walk(join(dir, e.name), asFolder);
        } else if (e.isFile() && key.startsWith(prefix)) {
          const st = statSync(join(dir, e.name));
          out.push({ key, size: st.size, lastModified: st.mtime });
          if (out.length > limit) return;
        }
      }
    };
    walk(bucketDir, '');
    out.sort((a, b) => (Buffer.compare(Buffer.from(a.key), Buffer.from(b.key))));
    return out;
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
