/**
 * The import job limits, evaluated over a listing of the input prefix as it streams in. PURE and
 * bounded in memory whatever the prefix holds: counters, a capped set of folder names, a few
 * examples, and a small sample of keys for the DICOM sniff.
 */
import { DEFAULT_IMPORT_LIMITS, GB, type ImportLimits } from './types';

export interface ListedObject {
  key: string;
  size: number;
}

export interface ScanTotals {
  files: number;
  bytes: number;
  /** Distinct folders below the prefix; counting stops at the limit + 1 (then "more than"). */
  folders: number;
  foldersCapped: boolean;
  /** Files over the per-file limit: how many and the first few. */
  oversized: number;
  oversizedExamples: ListedObject[];
  largest?: ListedObject;
}

export interface LimitBreach {
  limit: 'files' | 'total-size' | 'nested-folders' | 'file-size';
  message: string;
}

const EXAMPLES = 3;

/** Keys whose names say they are not DICOM: sampled first, so a stray README is not missed. */
const NOT_DICOM_NAME = /\.(txt|json|ndjson|csv|md|pdf|xml|html?|jpe?g|png|gif|zip|gz|tar|log|xlsx?|docx?)$/i;

export class InputScan {
  readonly totals: ScanTotals = { files: 0, bytes: 0, folders: 0, foldersCapped: false, oversized: 0, oversizedExamples: [] };
  private readonly folders = new Set<string>();
  private readonly suspicious: ListedObject[] = [];
  private readonly reservoir: ListedObject[] = [];
  private seed = 0x2545f491;

  constructor(
    private readonly prefix: string,
    readonly limits: ImportLimits = DEFAULT_IMPORT_LIMITS,
    private readonly sampleSize = 20,
  ) {}

  add(o: ListedObject): void {
    // A zero-byte key ending in "/" is a console-made folder marker, not a file to import.
    if (o.key.endsWith('/') && o.size === 0) {
      this.addFolders(o.key + 'x');
      return;
    }
    const t = this.totals;
    t.files++;
    t.bytes += o.size;
    if (!t.largest || o.size > t.largest.size) t.largest = { key: o.key, size: o.size };
    if (o.size > this.limits.maxFileBytes) {
      t.oversized++;
      if (t.oversizedExamples.length < EXAMPLES) t.oversizedExamples.push({ key: o.key, size: o.size });
    }
    this.addFolders(o.key);
    this.sample(o);
  }

  private addFolders(key: string): void {
    if (this.totals.foldersCapped) return;
    const rel = key.startsWith(this.prefix) ? key.slice(this.prefix.length) : key;
    let at = rel.indexOf('/');
    while (at >= 0) {
      this.folders.add(rel.slice(0, at + 1));
      if (this.folders.size > this.limits.maxNestedFolders) {
        this.totals.foldersCapped = true;
        this.totals.folders = this.folders.size;
        this.folders.clear();
        return;
      }
      at = rel.indexOf('/', at + 1);
    }
    this.totals.folders = this.folders.size;
  }

  /** Reservoir sampling (deterministic PRNG), with names that look non-DICOM kept first. */
  private sample(o: ListedObject): void {
    const keepSuspicious = Math.min(5, Math.floor(this.sampleSize / 2));
    if (NOT_DICOM_NAME.test(o.key) && this.suspicious.length < keepSuspicious) {
      this.suspicious.push(o);
      return;
    }
    const room = this.sampleSize;
    const seen = this.totals.files - this.suspicious.length;
    if (this.reservoir.length < room) this.reservoir.push(o);
    else {
      this.seed = (Math.imul(this.seed, 1103515245) + 12345) >>> 0;
      const j = this.seed % seen;
      if (j < room) this.reservoir[j] = o;
    }
  }

  /** The sample for the DICOM sniff, in listing order of the chosen keys. */
  sampleKeys(): ListedObject[] {
    return [...this.suspicious, ...this.reservoir.slice(0, this.sampleSize - this.suspicious.length)];
  }

  breaches(): LimitBreach[] {
    const t = this.totals;
    const l = this.limits;
    const out: LimitBreach[] = [];
    if (t.files > l.maxFiles) out.push({ limit: 'files', message: `${count(t.files)} files, more than the ${count(l.maxFiles)} files one import job takes` });
    if (t.bytes > l.maxTotalBytes) out.push({ limit: 'total-size', message: `${bytes(t.bytes)} in total, more than the ${bytes(l.maxTotalBytes)} one import job takes` });
    if (t.foldersCapped || t.folders > l.maxNestedFolders)
      out.push({ limit: 'nested-folders', message: `more than ${count(l.maxNestedFolders)} nested folders, the most one import job takes` });
    if (t.oversized > 0)
      out.push({
        limit: 'file-size',
        message: `${count(t.oversized)} file${t.oversized === 1 ? '' : 's'} larger than ${bytes(l.maxFileBytes)} (${t.oversizedExamples.map((o) => `${o.key}: ${bytes(o.size)}`).join(', ')}${t.oversized > t.oversizedExamples.length ? ', ...' : ''})`,
      });
    return out;
  }
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function bytes(n: number): string {
  if (n >= GB) return `${(n / GB).toFixed(n % GB === 0 ? 0 : 1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}
