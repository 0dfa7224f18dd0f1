/**
 * One whole line appended to a run log, or nothing: a short write or a full disk would otherwise
 * leave half a line that makes every later line unreadable. The log is cut back to where it was.
 */
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';

export class DiskFullError extends Error {
  override name = 'DiskFullError';
  constructor(readonly runsDir: string, cause?: unknown) {
    super(`The disk holding the runs folder ${runsDir} is full.`, { cause });
  }
}

/** The low-level write, injectable so a test can simulate a full disk. Returns bytes written. */
export type WriteAt = (fd: { write(b: Buffer, off: number, len: number, pos: number): Promise<{ bytesWritten: number }> }, buf: Buffer, off: number, len: number, pos: number) => Promise<number>;

export const defaultWriteAt: WriteAt = async (fh, buf, off, len, pos) => (await fh.write(buf, off, len, pos)).bytesWritten;

/** Appends `line` (ending in "\n") to `file`, fsyncs; on ENOSPC or no progress truncates back and throws DiskFullError. */
export async function appendLineDurably(file: string, line: string, opts: { runsDir?: string; writeAt?: WriteAt } = {}): Promise<void> {
  const writeAt = opts.writeAt ?? defaultWriteAt;
  const buf = Buffer.from(line, 'utf8');
  // 'a' (O_APPEND): every write lands at the end even if another writer got there first (positions
  // are ignored on Linux), so a second writer can duplicate lines but never overwrite one. The size
  // seen before writing is where a failed line is cut back to.
  const fh = await open(file, 'a');
  try {
    const start = (await fh.stat()).size;
    let done = 0;
    try {
      while (done < buf.length) {
        const n = await writeAt(fh, buf, done, buf.length - done, start + done);
        // A write that makes no progress is a full disk that did not say so.
        if (n <= 0) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
        done += n;
      }
      await fh.sync();
    } catch (e) {
      await fh.truncate(start).catch(() => undefined);
      await fh.sync().catch(() => undefined);
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new DiskFullError(opts.runsDir ?? dirname(dirname(file)), e);
      throw e;
    }
  } finally {
    await fh.close();
  }
}
