/**
 * The durable batch ledger: what a batch planned and what happened to each of its prefixes, so a
 * batch survives kills, reboots, expired credentials and days of running. Same discipline as runs:
 * one folder per batch, `<runs-dir>/batches/<batchId>/`, holding `ledger.ndjson` (append-only, one
 * record per line, fsync'd before `append` resolves: core/runs/durable-append.ts) and `run.lock`
 * while a process drives it (core/runs/run-lock.ts: one process per batch). A torn last line (a
 * kill mid-write) is dropped on read and cut off before the next append, as runs do; a bad line
 * before the last is damage and the batch is refused until repaired (core/runs/damaged-log.ts).
 *
 * The order of records is the protocol: `job-submitting` is on disk BEFORE StartDICOMImportJob is
 * sent and `job-submitted` after it answered, so a kill in between leaves a prefix in "submitting"
 * that a resume settles by sending the same client token again (HealthImaging answers with the job
 * it already started).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { appendLineDurably } from '../runs/durable-append';
import { parseRunLog } from '../runs/damaged-log';
import type { RunLogDamage } from '../runs/damage-types';
import { acquireRunLock, RunInUseError, type RunLock } from '../runs/run-lock';
import type { BatchLimits, PlannedJob, UnsplittablePrefix } from './plan';
import type { BatchFailureGroup } from './batch-types';

export const LEDGER_FILE = 'ledger.ndjson';
const BATCH_ID = /^batch-[A-Za-z0-9._-]{1,100}$/;

/** What the batch was asked to do, as recorded once at its start. */
export interface BatchInputs {
  datastoreId: string;
  inputS3Uri: string;
  outputS3Uri: string;
  dataAccessRoleArn: string;
  /** The bucket's owner when another account's (StartDICOMImportJob inputOwnerAccountId). */
  inputOwnerAccountId?: string;
  stageTo?: string;
}

/** Where the batch runs, so `batch resume` needs no more than the id. Never credentials. */
export interface BatchTarget {
  region: string;
  sandbox: boolean;
  profile?: string;
}

export interface JobResultCounts {
  /** 'read' when the job's manifest was read; otherwise counts are absent and `message` says why. */
  state: 'read' | 'not-found' | 'access-denied' | 'error';
  message?: string;
  scanned?: number;
  imported?: number;
  failed?: number;
  imageSets?: number;
  failuresByType?: BatchFailureGroup[];
}

interface Base {
  seq: number;
  at: string;
}

export type BatchLedgerRecord = Base &
  (
    | {
        type: 'batch-started';
        formatVersion: 1;
        batchId: string;
        inputs: BatchInputs;
        target: BatchTarget;
        limits: BatchLimits;
        concurrency: number;
        plan: { jobs: PlannedJob[]; unsplittable: UnsplittablePrefix[]; totals: { files: number; bytes: number; folders: number } };
      }
    /** More prefixes to import, e.g. the sub-prefixes --stage-to copied an unsplittable folder into. */
    | { type: 'jobs-added'; source: 'staging' | 'other'; jobs: PlannedJob[] }
    | { type: 'batch-resumed'; pid: number; retryFailed: boolean; concurrency: number }
    | { type: 'job-submitting'; inputS3Uri: string; clientToken: string; attempt: number }
    | { type: 'job-submitted'; inputS3Uri: string; clientToken: string; jobId: string; submittedAt?: string }
    /** StartDICOMImportJob answered 402 (the concurrency quota): nothing started, the prefix waits in the queue again. */
    | { type: 'job-requeued'; inputS3Uri: string; reason: 'quota'; message: string }
    | { type: 'job-status'; inputS3Uri: string; jobId: string; status: 'SUBMITTED' | 'IN_PROGRESS' }
    | { type: 'job-ended'; inputS3Uri: string; jobId: string; status: 'COMPLETED' | 'FAILED'; endedAt?: string; message?: string; results: JobResultCounts }
    | { type: 'batch-paused'; reason: 'credentials'; message: string; action?: string }
    | { type: 'batch-unpaused' }
    /** API calls made since the previous such record, by operation. */
    | { type: 'api-calls'; calls: Record<string, number> }
    /** The driving process stopped (Ctrl-C, a persisting error) without ending the batch: resumable. */
    | { type: 'batch-stopped'; reason: 'interrupted' | 'error'; message?: string }
    | { type: 'batch-ended'; state: 'completed' | 'completed_with_errors' | 'failed' | 'cancelled' }
  );

/** Omit over each member of a union, so each record type keeps its own fields. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type NewLedgerRecord = DistributiveOmit<BatchLedgerRecord, 'seq' | 'at'>;

export class BatchLedgerError extends Error {
  override name = 'BatchLedgerError';
}

export class BatchLedgerDamagedError extends Error {
  override name = 'BatchLedgerDamagedError';
  constructor(
    readonly batchId: string,
    readonly damage: RunLogDamage,
  ) {
    super(`the ledger of batch ${batchId} is damaged at line ${damage.line} (byte ${damage.offset}): ${damage.reason}. Keep a copy, then cut the file before that line to resume`);
  }
}

/** A second process driving the same batch (its lock names the holder): nothing was sent or recorded. */
export class BatchInUseError extends Error {
  override name = 'BatchInUseError';
  constructor(
    readonly batchId: string,
    readonly holder: RunInUseError,
  ) {
    super(
      holder.lockFile
        ? `Batch ${batchId} is in use by another process (pid ${holder.pid} on ${holder.host}). Wait for it to end, or stop it, then resume.`
        : `Batch ${batchId} is in use: this process (pid ${holder.pid}) already drives it.`,
    );
  }
  get hint(): string | undefined {
    return this.holder.hint;
  }
}

export function assertBatchId(batchId: string): void {
  if (!BATCH_ID.test(batchId) || batchId.includes('..')) throw new BatchLedgerError(`invalid batch id "${batchId}" (batch-… with letters, digits, ".", "_", "-")`);
}

export function newBatchId(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `batch-${t}-${randomBytes(3).toString('hex')}`;
}

export const batchesDir = (runsDir: string) => join(runsDir, 'batches');
export const batchDir = (runsDir: string, batchId: string) => join(batchesDir(runsDir), batchId);

/**
 * The client token of one attempt at one prefix: a hash of the batch id and the prefix (so a resume
 * re-sending a start gets the job it already started), within ClientToken's ^[A-Za-z0-9._-]+$ and
 * 64 characters. A retry of a FAILED prefix (asked for) is a new attempt with its own suffix.
 */
export function clientTokenFor(batchId: string, inputS3Uri: string, attempt = 1): string {
  const h = createHash('sha256').update(`${batchId}\n${inputS3Uri}`).digest('base64url').replace(/[^A-Za-z0-9]/g, '').slice(0, 40);
  return attempt <= 1 ? `b.${h}` : `b.${h}.r${attempt}`;
}

/** Reads a ledger tolerantly: records before the first bad line; a torn last line is dropped. */
export function parseLedger(buf: Buffer): { records: BatchLedgerRecord[]; damage?: RunLogDamage; torn: boolean } {
  const log = parseRunLog(buf);
  return { records: log.events as unknown as BatchLedgerRecord[], ...(log.damage ? { damage: log.damage } : {}), torn: log.torn };
}

export async function readLedger(runsDir: string, batchId: string): Promise<{ records: BatchLedgerRecord[]; damage?: RunLogDamage }> {
  assertBatchId(batchId);
  let buf: Buffer;
  try {
    buf = await readFile(join(batchDir(runsDir, batchId), LEDGER_FILE));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new BatchLedgerError(`no batch ${batchId} in ${batchesDir(runsDir)}`);
    throw e;
  }
  const { records, damage } = parseLedger(buf);
  if (records[0]?.type !== 'batch-started') throw new BatchLedgerError(`the ledger of batch ${batchId} does not start with batch-started: it is not a batch ledger`);
  return { records, ...(damage ? { damage } : {}) };
}

/** The batch ids under the runs dir, newest first (ids start with their UTC start time). */
export async function listBatchIds(runsDir: string): Promise<string[]> {
  try {
    const names = await readdir(batchesDir(runsDir));
    return names.filter((n) => BATCH_ID.test(n)).sort().reverse();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** Cuts a torn (unterminated) last line, so the next record starts on a line of its own. */
async function cutTornTail(file: string): Promise<void> {
  const fh = await open(file, 'r+');
  try {
    const { size } = await fh.stat();
    if (size === 0) return;
    const buf = Buffer.alloc(Math.min(size, 1024 * 1024));
    const { bytesRead } = await fh.read(buf, 0, buf.length, size - buf.length < 0 ? 0 : size - buf.length);
    const tail = buf.subarray(0, bytesRead);
    if (tail[tail.length - 1] === 0x0a) return;
    const nl = tail.lastIndexOf(0x0a);
    const keep = nl < 0 ? Math.max(0, size - bytesRead) : size - bytesRead + nl + 1;
    await fh.truncate(keep);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** A batch's ledger opened for writing by this process (it holds the batch's lock). */
export class BatchLedger {
  private seq: number;
  private queue: Promise<void> = Promise.resolve();
  private constructor(
    readonly runsDir: string,
    readonly batchId: string,
    private readonly lock: RunLock,
    /** The records on disk when the ledger was opened or created (later appends are not added). */
    readonly records: BatchLedgerRecord[],
  ) {
    this.seq = records.reduce((n, r) => Math.max(n, r.seq), 0);
  }

  get file(): string {
    return join(batchDir(this.runsDir, this.batchId), LEDGER_FILE);
  }

  /** Creates the batch's folder and its first record; fails if the batch exists. */
  static async create(runsDir: string, batchId: string, started: Omit<Extract<BatchLedgerRecord, { type: 'batch-started' }>, 'seq' | 'at' | 'type' | 'formatVersion' | 'batchId'>): Promise<BatchLedger> {
    assertBatchId(batchId);
    const dir = batchDir(runsDir, batchId);
    await mkdir(batchesDir(runsDir), { recursive: true });
    try {
      await mkdir(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new BatchLedgerError(`batch ${batchId} already exists in ${batchesDir(runsDir)}`);
      throw e;
    }
    const lock = await lockBatch(dir, batchId);
    const ledger = new BatchLedger(runsDir, batchId, lock, []);
    // The one record a new ledger holds, for the runner to fold.
    ledger.records.push(await ledger.append({ type: 'batch-started', formatVersion: 1, batchId, ...started }));
    return ledger;
  }

  /** Opens an existing batch for resuming: takes its lock (BatchInUseError if held), refuses a damaged ledger. */
  static async open(runsDir: string, batchId: string): Promise<BatchLedger> {
    assertBatchId(batchId);
    const dir = batchDir(runsDir, batchId);
    try {
      await stat(join(dir, LEDGER_FILE));
    } catch {
      throw new BatchLedgerError(`no batch ${batchId} in ${batchesDir(runsDir)}`);
    }
    const lock = await lockBatch(dir, batchId);
    try {
      // Read only once the lock is ours: nobody else appends from here on.
      const { records, damage } = await readLedger(runsDir, batchId);
      if (damage) throw new BatchLedgerDamagedError(batchId, damage);
      await cutTornTail(join(dir, LEDGER_FILE));
      return new BatchLedger(runsDir, batchId, lock, records);
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  /** Appends one record, fsync'd before this resolves; appends are serialised in call order. */
  append(record: NewLedgerRecord): Promise<BatchLedgerRecord> {
    const full = { seq: ++this.seq, at: new Date().toISOString(), ...record } as BatchLedgerRecord;
    const line = `${JSON.stringify(full)}\n`;
    const write = this.queue.then(() => appendLineDurably(this.file, line, { runsDir: this.runsDir }));
    this.queue = write.catch(() => undefined);
    // Not kept here: the caller folds what it appends (memory stays flat over days of records).
    return write.then(() => full);
  }

  async close(): Promise<void> {
    await this.queue;
    await this.lock.release();
  }
}

async function lockBatch(dir: string, batchId: string): Promise<RunLock> {
  try {
    return await acquireRunLock(dir, batchId);
  } catch (e) {
    if (e instanceof RunInUseError) throw new BatchInUseError(batchId, e);
    throw e;
  }
}

/** Whether a live process holds the batch's lock now (for "running" against "interrupted"). */
export async function batchIsDriven(runsDir: string, batchId: string): Promise<boolean> {
  try {
    const text = await readFile(join(batchDir(runsDir, batchId), 'run.lock'), 'utf8');
    const { pid, host } = JSON.parse(text) as { pid?: number; host?: string };
    if (typeof pid !== 'number' || host !== hostname()) return typeof pid === 'number';
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code !== 'ESRCH';
    }
  } catch {
    return false;
  }
}

