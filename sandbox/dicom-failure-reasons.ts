/**
 * The sentences an import writes into FAILURE/failure.ndjson: what is wrong with the file, in the
 * service's words. A parser's own message never reaches a user; `reasonFor` maps anything
 * unexpected to a plain "could not be read" sentence.
 */
export class DicomFileError extends Error {}

export const reasons = {
  empty: () => 'The file is empty: a DICOM Part 10 file holds at least a 128-byte preamble, the DICM prefix and a file meta group',
  notPart10: () => "The file is not a DICOM Part 10 file: no 'DICM' prefix at byte 128",
  truncated: () => 'The file is truncated: it ends before its last data element does',
  noTransferSyntax: () => 'The file meta group lacks TransferSyntaxUID (0002,0010)',
  unsupportedTransferSyntax: (uid: string) =>
    `Transfer syntax ${uid} is not supported by AWS HealthImaging; see the supported transfer syntaxes in the developer guide`,
  dicomdir: () => 'The file is a DICOMDIR (media storage directory 1.2.840.10008.1.3.10), not an instance: it holds no image to import',
  badDeflate: () => 'The deflated data set (transfer syntax 1.2.840.10008.1.2.1.99) could not be inflated: it is corrupt or truncated',
  missing: (keyword: string, tag: string) => `Missing required attribute ${keyword} ${tag}`,
  unreadable: () => 'The file could not be read as DICOM: its data elements are malformed',
} as const;

/** A parser throws strings or Errors with internal wording; only our own errors pass through. */
export function reasonFor(e: unknown): string {
  if (e instanceof DicomFileError) return e.message;
  const msg = typeof e === 'string' ? e : e instanceof Error ? e.message : '';
  if (/buffer overrun|past the end|beyond the end|out of range|outside the bounds/i.test(msg)) return reasons.truncated();
  if (/DICM prefix/i.test(msg)) return reasons.notPart10();
  return reasons.unreadable();
}
