/**
 * One process per run: an exclusive lock file in the run's folder, `run.lock`, holding who drives
 * the run ({pid, host, startedAt}). Two resumes at once would otherwise both append (duplicate
 * `seq`, two run-ended) and both send requests. A lock whose process died on this host is taken
 * over; a lock from another host is never taken over (its pid means nothing here).
 */
import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, open, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export const LOCK_FILE = 'run.lock';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

export class RunInUseError extends Error {
  override name = 'RunInUseError';
  readonly pid: number;
  readonly host: string;
  constructor(
    readonly runId: string,
    readonly holder: LockHolder,
    /** The lock file; absent when the run is held by this very process. */
    readonly lockFile?: string,
  ) {
    super(
      lockFile
        ? `Run ${runId} is in use by another process (pid ${holder.pid} on ${holder.host}). Wait for it to end, or stop it, then resume.`
        : `Run ${runId} is already running in this process (pid ${holder.pid}).`,
    );
    this.pid = holder.pid;
    this.host = holder.host;
  }

  /** What to do should the holder be gone after all (a reused pid, a process on another host). */
  get hint(): string | undefined {
    if (!this.lockFile) return undefined;
    return this.host === hostname()
      ? `If pid ${this.pid} is not ahi-onboard or the app, remove ${this.lockFile}.`
      : `A lock taken on another host is never taken over from here; if that process has ended, remove ${this.lockFile}.`;
  }
}

export interface RunLock {
  readonly file: string;
  /** Removes the lock if it is still this process's; never throws. */
  release(): Promise<void>;
}

/** Locks held by this process, file -> exact content, released on exit whatever the path. */
const held = new Map<string, string>();
/** Locks this process is taking right now: a second take of one of them is refused at once. */
const taking = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' runs for process.exit() (a second Ctrl-C) and a normal end; only sync work is possible.
  process.on('exit', () => {
    for (const [file, text] of held) {
      try {
        if (readFileSync(file, 'utf8') === text) unlinkSync(file);
      } catch {
        /* already gone */
      }
    }
    held.clear();
  });
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockHolder>;
    if (Number.isInteger(v.pid) && (v.pid as number) > 0 && typeof v.host === 'string' && typeof v.startedAt === 'string') return { pid: v.pid!, host: v.host, startedAt: v.startedAt };
  } catch {
    /* not a lock we can read */
  }
  return undefined;
}

/** Is the holder's process still running? Only answerable on the same host. */
function holderState(file: string, h: LockHolder): 'live' | 'dead' | 'other-host' {
  if (h.host !== hostname()) return 'other-host';
  // Our own pid but not a lock we hold: left by an earlier process that had the same pid (a take
  // of the same lock by this process meanwhile is refused up front, see acquireRunLock).
  if (h.pid === process.pid) return held.has(file) ? 'live' : 'dead';
  try {
    process.kill(h.pid, 0);
    return 'live';
  } catch (e) {
    // EPERM: the process exists but belongs to someone else; it is alive.
    return (e as NodeJS.ErrnoException).code === 'ESRCH' ? 'dead' : 'live';
  }
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

async function ageMs(path: string): Promise<number> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return 0;
  }
}

async function writeAll(file: string, text: string, flag: 'wx' | 'w'): Promise<void> {
  const fh = await open(file, flag);
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Creates the lock only if there is none: true when it is ours. */
async function createExclusive(file: string, text: string): Promise<boolean> {
  try {
    await writeAll(file, text, 'wx');
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Replaces a stale lock with ours. Takeovers are serialised by a directory (mkdir is atomic), and
 * the replacement is a rename, so the lock never disappears and no plain create can sneak in.
 */
async function takeOver(file: string, stale: string, mine: string): Promise<boolean> {
  const mutex = `${file}.takeover`;
  try {
    await mkdir(mutex);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // A takeover left by a process that died in it.
    if ((await ageMs(mutex)) > 10_000) await rmdir(mutex).catch(() => undefined);
    return false;
  }
  try {
    if ((await readText(file)) !== stale) return false;
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeAll(tmp, mine, 'w');
    try {
      await rename(tmp, file);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
    return (await readText(file)) === mine;
  } finally {
    await rmdir(mutex).catch(() => undefined);
  }
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Takes the lock of the run whose folder is `runDir` (which must exist), or throws RunInUseError
 * naming the holder. A lock that cannot be parsed is being written (retry) or, once older than a
 * few seconds, was left by a crash between create and write (stale).
 */
export async function acquireRunLock(runDir: string, runId: string): Promise<RunLock> {
  const file = join(runDir, LOCK_FILE);
  const self = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  if (held.has(file) || taking.has(file)) throw new RunInUseError(runId, self);
  taking.add(file);
  try {
    return await takeLock(file, runId, self);
  } finally {
    taking.delete(file);
  }
}

async function takeLock(file: string, runId: string, self: LockHolder): Promise<RunLock> {
  const mine = `${JSON.stringify({ ...self, runId, token: randomBytes(8).toString('hex') })}\n`;
  for (let attempt = 0; attempt < 400; attempt++) {
    if (!(await createExclusive(file, mine))) {
      const seen = await readText(file);
      if (seen === undefined) continue; // released meanwhile: create again
      const holder = parseHolder(seen);
      if (holder) {
        const state = holderState(file, holder);
        if (state !== 'dead') throw new RunInUseError(runId, holder, file);
      } else if ((await ageMs(file)) < 3_000) {
        await pause(10);
        continue;
      }
      if (!(await takeOver(file, seen, mine))) {
        await pause(10);
        continue;
      }
    }
    held.set(file, mine);
    installExitHook();
    return {
      file,
      async release() {
        if (held.get(file) !== mine) return;
        held.delete(file);
        try {
          if ((await readText(file)) === mine) await unlink(file);
        } catch {
          /* the lock is stale once this process ends anyway */
        }
      },
    };
  }
  throw new Error(`could not take the run lock ${file}: it keeps changing`);
}

/** Throws RunInUseError if a live process holds the run's lock: a check before any work, not a lock. */
export async function assertRunNotInUse(runDir: string, runId: string): Promise<void> {
  const file = join(runDir, LOCK_FILE);
  const holder = parseHolder((await readText(file)) ?? '');
  if (holder && holderState(file, holder) !== 'dead') throw new RunInUseError(runId, holder, held.has(file) ? undefined : file);
}
