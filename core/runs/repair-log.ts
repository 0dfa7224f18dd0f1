/**
 * Repairing a damaged run log so the run can be resumed: the whole log is first copied to a backup
 * next to it (never overwriting an earlier backup), then the log is replaced atomically (temporary
 * file, fsync, rename) by its bytes before the first bad line. Everything cut stays in the backup.
 */
import { constants } from 'node:fs';
import { copyFile, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseRunLog } from './damaged-log';
import type { RunLogRepair } from './damage-types';

export type { RunLogRepair } from './damage-types';
import { assertRunId, RunStoreError } from './run-store';

function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

async function syncPath(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } catch {
    /* directories cannot be fsync'd everywhere (Windows) */
  } finally {
    await fh.close();
  }
}

/** Copies `file` to `<file>.damaged-<UTC time>[-n]`, never replacing an existing file. */
async function backUp(file: string, now: Date): Promise<string> {
  const base = `${file}.damaged-${stamp(now)}`;
  for (let n = 0; n < 100; n += 1) {
    const candidate = n === 0 ? base : `${base}-${n}`;
    try {
      await copyFile(file, candidate, constants.COPYFILE_EXCL);
      await syncPath(candidate);
      return candidate;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new RunStoreError(`could not find a free backup name next to ${file}`);
}

/** Cuts the log of `runId` at its first bad line, keeping a backup of the whole damaged log. */
export async function repairRunLog(runsDir: string, runId: string, opts: { now?: Date } = {}): Promise<RunLogRepair> {
  assertRunId(runId);
  const runDir = join(runsDir, runId);
  const file = join(runDir, 'events.ndjson');
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new RunStoreError(`no run ${runId} in ${runsDir}`);
    throw e;
  }
  const log = parseRunLog(buf);
  if (!log.damage) return { runId, repaired: false, keptEvents: log.events.length, cutLines: 0, cutBytes: 0, cutEvents: 0 };

  const cut = buf.subarray(log.damage.offset);
  const cutLines = cut.toString('latin1').split('\n').filter((l) => l.trim() !== '');
  // Lines after the damaged one that are whole events: said, so the user knows what the backup holds.
  const cutEvents = cutLines.slice(1).filter((l) => parseRunLog(Buffer.from(`${l}\n`, 'latin1')).events.length === 1).length;

  const backupPath = await backUp(file, opts.now ?? new Date());
  const tmp = join(runDir, `.${basename(file)}.repair-${process.pid}.tmp`);
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(buf.subarray(0, log.damage.offset));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await syncPath(runDir);
  return { runId, repaired: true, damage: log.damage, backupPath, keptEvents: log.events.length, cutLines: cutLines.length, cutBytes: cut.length, cutEvents };
}
