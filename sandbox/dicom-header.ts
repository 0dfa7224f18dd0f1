/**
 * Reads the header attributes of a DICOM Part 10 file the way a HealthImaging import judges it:
 * Part 10 framing, a supported transfer syntax, not a DICOMDIR, the required UIDs, not truncated.
 * Parsing stops at Pixel Data (7FE0,0010), so compressed pixels never need a codec here.
 */
import { inflateRawSync } from 'node:zlib';
import dicomParser from 'dicom-parser';
import { DicomFileError, reasons } from './dicom-failure-reasons';
import { isSupportedTransferSyntax } from './transfer-syntaxes';

const DEFLATED = '1.2.840.10008.1.2.1.99';
const DICOMDIR_SOP_CLASS = '1.2.840.10008.1.3.10';
const PIXEL_DATA = 'x7fe00010';

/** Attributes every imported instance needs (keyword, tag for dicom-parser, tag as users read it). */
const REQUIRED: ReadonlyArray<[string, string, string]> = [
  ['StudyInstanceUID', 'x0020000d', '(0020,000D)'],
  ['SeriesInstanceUID', 'x0020000e', '(0020,000E)'],
  ['SOPInstanceUID', 'x00080018', '(0008,0018)'],
  ['SOPClassUID', 'x00080016', '(0008,0016)'],
];

export interface DicomHeader {
  transferSyntaxUid: string;
  study: string;
  series: string;
  sopInstance: string;
  sopClass: string;
  /** Patient ID and name: with the study and series, what HealthImaging compares for a known SOP Instance UID. */
  patientId: string;
  patientName: string;
}

function fail(reason: string): never {
  throw new DicomFileError(reason);
}

/** Inflates the data set after the file meta group (dicom-parser's own Node path assumes a Buffer). */
function inflater(byteArray: Uint8Array, position: number): Uint8Array {
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(byteArray.subarray(position));
  } catch {
    fail(reasons.badDeflate());
  }
  const full = new Uint8Array(position + inflated.length);
  full.set(byteArray.subarray(0, position), 0);
  full.set(inflated, position);
  return full;
}

/** Pixel Data's value must lie inside the file; encapsulated data must end with its delimiter. */
function checkPixelDataComplete(ds: dicomParser.DataSet): void {
  const el = ds.elements[PIXEL_DATA];
  if (!el) return;
  const size = ds.byteArray.length;
  if (el.hadUndefinedLength) {
    const end = ds.byteArray.subarray(size - 8);
    const delimiter = [0xfe, 0xff, 0xdd, 0xe0];
    const bigEndianDelimiter = [0xff, 0xfe, 0xe0, 0xdd];
    const matches = (d: number[]) => end.length === 8 && d.every((b, i) => end[i] === b);
    if (!matches(delimiter) && !matches(bigEndianDelimiter)) fail(reasons.truncated());
  } else if (el.dataOffset + el.length > size) fail(reasons.truncated());
}

export function readDicomHeader(bytes: Buffer): DicomHeader {
  if (bytes.length === 0) fail(reasons.empty());
  if (bytes.length < 132 || bytes.toString('latin1', 128, 132) !== 'DICM') fail(reasons.notPart10());
  const byteArray = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  // The meta group alone first, so the transfer syntax is judged before the data set is parsed.
  const meta = dicomParser.readPart10Header(byteArray);
  const transferSyntaxUid = meta.string('x00020010')?.replace(/\0/g, '').trim();
  if (!transferSyntaxUid) fail(reasons.noTransferSyntax());
  if (meta.string('x00020002')?.replace(/\0/g, '').trim() === DICOMDIR_SOP_CLASS) fail(reasons.dicomdir());
  if (!isSupportedTransferSyntax(transferSyntaxUid)) fail(reasons.unsupportedTransferSyntax(transferSyntaxUid));

  const ds = dicomParser.parseDicom(byteArray, {
    untilTag: PIXEL_DATA,
    ...(transferSyntaxUid === DEFLATED ? { inflater } : {}),
  });
  if (ds.string('x00041220') !== undefined || ds.elements.x00041200) fail(reasons.dicomdir());
  checkPixelDataComplete(ds);
  const values = REQUIRED.map(([keyword, tag, shown]): string => {
    const v = ds.string(tag)?.replace(/\0/g, '').trim();
    return v || fail(reasons.missing(keyword, shown));
  });
  const [study, series, sopInstance, sopClass] = values as [string, string, string, string];
  const text = (tag: string) => ds.string(tag)?.replace(/\0/g, '').trim() ?? '';
  return { transferSyntaxUid, study, series, sopInstance, sopClass, patientId: text('x00100020'), patientName: text('x00100010') };
}
