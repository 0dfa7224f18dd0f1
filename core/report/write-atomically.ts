/**
 * Writes a report file all at once or not at all: the bytes go to a temporary sibling (same folder,
 * so the rename cannot cross file systems), are flushed to disk, and the sibling is renamed over
 * the target. A reader (or a crash, or a full disk) never leaves half a report, and a report that
 * was there stays intact until the new one is complete. A failed write removes its sibling.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await open(tmp, 'wx');
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
