/**
 * Reading `--inputs FILE`: a few workflow inputs, so at most 1 MB. A bigger file (a DICOM file or a
 * log passed by mistake, /dev/zero, an endless pipe) is refused with a clear message instead of
 * being read whole into memory and fed to JSON.parse.
 */
import { open } from 'node:fs/promises';
import { UsageError } from './exit-codes';

export const MAX_INPUTS_BYTES = 1024 * 1024;

const tooLarge = (path: string, size?: number) =>
  new UsageError(
    `The inputs file ${path} is ${size === undefined ? 'larger than 1 MB' : `${size} bytes`}; an inputs file may hold at most 1 MB (${MAX_INPUTS_BYTES} bytes).`,
    'It holds a few workflow inputs as one JSON object, e.g. {"datastoreName": "..."}; the data to import stays in S3.',
  );

/** The file's text (UTF-8), or a UsageError past MAX_INPUTS_BYTES; other failures are thrown as they come. */
export async function readInputsText(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    if (st.isFile() && st.size > MAX_INPUTS_BYTES) throw tooLarge(path, st.size);
    // Pipes and devices report no size: read at most one byte past the limit.
    const buf = Buffer.alloc(MAX_INPUTS_BYTES + 1);
    let n = 0;
    while (n < buf.length) {
      const { bytesRead } = await fh.read(buf, n, buf.length - n, null);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n > MAX_INPUTS_BYTES) throw tooLarge(path);
    return buf.toString('utf8', 0, n);
  } finally {
    await fh.close();
  }
}
