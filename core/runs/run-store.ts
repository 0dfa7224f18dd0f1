/**
 * Durable run logs: one directory per run under the runs directory, holding `header.json` (the
 * workflow document as run, its hash, the inputs) and `events.ndjson` (append-only, one event per
 * line, fsync'd before `append` resolves, so an event is on disk before the next request is sent).
 * A torn last line left by a kill is ignored on read and cut off before the next append. A bad
 * line before the last is damage (core/runs/damaged-log.ts): listed, reported, repaired on request.
 */
import { mkdir, open, readdir, readFile, rename, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunContext, RunEvent } from '../engine/events';
import { summarizeRun, type RunLogSummary } from './summary';
import { appendLineDurably, type WriteAt } from './durable-append';
import { parseRunLog, RunLogDamagedError, type ReadableRunLog } from './damaged-log';

export { DiskFullError } from './durable-append';
export { RunLogDamagedError, type RunLogDamage, type ReadableRunLog } from './damaged-log';

export type { RunLogSummary } from './summary';

export interface RunHeader {
  formatVersion: 1;
  runId: string;
  createdAt: string;
  workflowId: string;
  /** sha256 (hex) of the document text. */
  workflowHash: string;
  workflowPath?: string;
  /** The document exactly as run, so a resume interprets the same steps. */
  workflowText: string;
  /** Inputs after defaults, generated client tokens included. */
  inputs: Record<string, unknown>;
  context: RunContext;
  product: { name: string; version: string };
}

export interface RunStore {
  readonly dir: string;
  /** Creates the run's directory and header; fails if the run exists. */
  create(runId: string, header: RunHeader): Promise<void>;
  /** Appends one event line and fsyncs it before resolving. */
  append(runId: string, event: RunEvent): Promise<void>;
  /** Every complete event of the run, in order (a torn last line is left out); RunLogDamagedError for a damaged log. */
  read(runId: string): Promise<RunEvent[]>;
  readHeader(runId: string): Promise<RunHeader | undefined>;
  /** A summary per run, newest first. */
  list(): Promise<RunLogSummary[]>;
}

export class RunStoreError extends Error {
  override name = 'RunStoreError';
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const EVENTS = 'events.ndjson';
const HEADER = 'header.json';

/** Rejects ids that could escape the runs directory. */
export function assertRunId(runId: string): void {
  if (!RUN_ID.test(runId) || runId.includes('..')) throw new RunStoreError(`invalid run id "${runId}" (letters, digits, ".", "_", "-"; at most 128)`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function writeDurably(path: string, text: string, flag: 'w' | 'wx'): Promise<void> {
  const fh = await open(path, flag);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function syncDir(path: string): Promise<void> {
  // Directory fsync makes a new file's name durable; not supported on every platform (Windows).
  try {
    const fh = await open(path, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    /* best effort */
  }
}

/** Parses NDJSON; a last line that does not parse is a torn write and is dropped; a bad line before it throws. */
export function parseEventLines(text: string, runId = '(unknown)'): RunEvent[] {
  const log = parseRunLog(Buffer.from(text, 'utf8'));
  if (log.damage) throw new RunLogDamagedError(runId, log.damage);
  return log.events;
}

/**
 * The readable part of a run's log and, when a line before the last is bad, where and why: for
 * History and reports, which show a damaged run rather than drop it. Never throws for bad content.
 */
export async function readRunLog(dir: string, runId: string): Promise<ReadableRunLog> {
  assertRunId(runId);
  try {
    return parseRunLog(await readFile(join(dir, runId, EVENTS)));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new RunStoreError(`no run ${runId} in ${dir}`);
    throw e;
  }
}

/** Throws RunLogDamagedError when the run's log is damaged: checked before a resume starts anything. */
export async function assertRunLogReadable(dir: string, runId: string): Promise<void> {
  const { damage } = await readRunLog(dir, runId);
  if (damage) throw new RunLogDamagedError(runId, damage);
}

export function createRunStore(dir: string, options: { writeAt?: WriteAt } = {}): RunStore {
  const queues = new Map<string, Promise<void>>();
  const checkedTail = new Set<string>();

  /** Cuts a torn (unterminated) last line so the next event starts on a line of its own. */
  async function repairTail(file: string): Promise<void> {
    const fh = await open(file, 'r');
    try {
      const { size } = await fh.stat();
      if (size === 0) return;
      const probe = Buffer.alloc(Math.min(size, 64 * 1024));
      let end = size;
      // Find the last '\n' scanning backwards in chunks.
      for (;;) {
        const start = Math.max(0, end - probe.length);
        const len = end - start;
        await fh.read(probe, 0, len, start);
        if (end === size && probe[len - 1] === 0x0a) return;
        const idx = probe.subarray(0, len).lastIndexOf(0x0a);
        if (idx >= 0) {
          await truncate(file, start + idx + 1);
          return;
        }
        if (start === 0) {
          await truncate(file, 0);
          return;
        }
        end = start;
      }
    } finally {
      await fh.close();
    }
  }

  async function appendNow(runId: string, event: RunEvent): Promise<void> {
    const file = join(dir, runId, EVENTS);
    if (!checkedTail.has(runId)) {
      await repairTail(file);
      checkedTail.add(runId);
    }
    try {
      await appendLineDurably(file, `${JSON.stringify(event)}\n`, { runsDir: dir, ...(options.writeAt ? { writeAt: options.writeAt } : {}) });
    } catch (e) {
      // Should the cut-back itself have failed, check the tail again before the next append.
      checkedTail.delete(runId);
      throw e;
    }
  }

  return {
    dir,
    async create(runId, header) {
      assertRunId(runId);
      const runDir = join(dir, runId);
      await mkdir(runDir, { recursive: true });
      if (await exists(join(runDir, EVENTS))) throw new RunStoreError(`run ${runId} already exists in ${dir}`);
      const tmp = join(runDir, `${HEADER}.tmp`);
      await writeDurably(tmp, `${JSON.stringify(header, null, 2)}\n`, 'w');
      await rename(tmp, join(runDir, HEADER));
      await writeDurably(join(runDir, EVENTS), '', 'wx');
      await syncDir(runDir);
      await syncDir(dir);
      checkedTail.add(runId);
    },
    append(runId, event) {
      assertRunId(runId);
      // Appends of one run are serialised; a failed append fails its caller and later ones retry.
      const previous = queues.get(runId) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => appendNow(runId, event));
      queues.set(runId, next);
      void next.finally(() => {
        if (queues.get(runId) === next) queues.delete(runId);
      }).catch(() => undefined);
      return next;
    },
    async read(runId) {
      const { events, torn, damage } = await readRunLog(dir, runId);
      // A whole read is what a resume replays: a damaged log is refused, not half-replayed.
      if (damage) throw new RunLogDamagedError(runId, damage);
      if (torn) checkedTail.delete(runId);
      return events;
    },
    async readHeader(runId) {
      assertRunId(runId);
      try {
        return JSON.parse(await readFile(join(dir, runId, HEADER), 'utf8')) as RunHeader;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async list() {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
      const out: RunLogSummary[] = [];
      for (const name of names) {
        if (!RUN_ID.test(name) || !(await exists(join(dir, name, EVENTS)))) continue;
        try {
          // A damaged log is listed with its readable part and the damage, never dropped.
          const [log, header] = await Promise.all([readRunLog(dir, name), this.readHeader(name)]);
          const summary = summarizeRun(name, log.events, header);
          if (log.damage) summary.damage = log.damage;
          out.push(summary);
        } catch {
          /* a run that cannot be read at all (no access, bad header) is skipped rather than hiding every other run */
        }
      }
      return out.sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
    },
  };
}
