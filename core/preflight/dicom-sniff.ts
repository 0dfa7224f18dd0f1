/**
 * A DICOM Part 10 file starts with a 128-byte preamble and the four bytes "DICM". Reading bytes
 * 0-135 (132 + 4: the prefix and the first element tag) is enough to tell. PURE.
 */

/** The ranged GET header for the sniff. */
export const DICOM_SNIFF_RANGE = 'bytes=0-135';

export const DICM_OFFSET = 128;

export function hasDicmPrefix(head: Uint8Array): boolean {
  return head.length >= DICM_OFFSET + 4 && head[128] === 0x44 && head[129] === 0x49 && head[130] === 0x43 && head[131] === 0x4d;
}
