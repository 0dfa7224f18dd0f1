/**
 * A tiny DICOM Part 10 writer: enough to lay synthetic instances for demos and tests, in the
 * shapes real-world files come in (explicit/implicit VR, little/big endian, deflated, no preamble,
 * truncated). No real patient data ever goes in.
 */
import { deflateRawSync } from 'node:zlib';

type Vr = 'AE' | 'CS' | 'DA' | 'IS' | 'LO' | 'PN' | 'SH' | 'TM' | 'UI' | 'UL' | 'US' | 'OB' | 'OW';
export interface DicomElement {
  tag: number; // (group << 16) | element
  vr: Vr;
  value: string | number | Uint8Array;
}

const LONG_VRS = new Set<Vr>(['OB', 'OW']);
export const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
export const IMPLICIT_VR_LE = '1.2.840.10008.1.2';
export const EXPLICIT_VR_BE = '1.2.840.10008.1.2.2';
export const DEFLATED_EXPLICIT_VR_LE = '1.2.840.10008.1.2.1.99';

/** How the data set after the file meta group (always explicit VR little endian) is encoded. */
interface Encoding {
  implicit: boolean;
  bigEndian: boolean;
}
const LE_EXPLICIT: Encoding = { implicit: false, bigEndian: false };

function encodingOf(transferSyntax: string): Encoding {
  if (transferSyntax === IMPLICIT_VR_LE) return { implicit: true, bigEndian: false };
  if (transferSyntax === EXPLICIT_VR_BE) return { implicit: false, bigEndian: true };
  return LE_EXPLICIT;
}

function valueBytes(el: DicomElement, enc: Encoding): Buffer {
  switch (el.vr) {
    case 'UL': {
      const b = Buffer.alloc(4);
      if (enc.bigEndian) b.writeUInt32BE(Number(el.value));
      else b.writeUInt32LE(Number(el.value));
      return b;
    }
    case 'US': {
      const b = Buffer.alloc(2);
      if (enc.bigEndian) b.writeUInt16BE(Number(el.value));
      else b.writeUInt16LE(Number(el.value));
      return b;
    }
    case 'OB':
    case 'OW': {
      const raw = Buffer.from(el.value as Uint8Array);
      return raw.length % 2 ? Buffer.concat([raw, Buffer.alloc(1)]) : raw;
    }
    default: {
      const s = String(el.value);
      // Even length: UIDs pad with NUL, text with a space.
      const padded = s.length % 2 ? s + (el.vr === 'UI' ? '\0' : ' ') : s;
      return Buffer.from(padded, 'latin1');
    }
  }
}

function encodeElement(el: DicomElement, enc: Encoding = LE_EXPLICIT): Buffer {
  // Pixel data written as OW is byte-swapped by big endian: the writer's callers hand LE words.
  let value = valueBytes(el, enc);
  if (enc.bigEndian && el.vr === 'OW') value = Buffer.from(value).swap16();
  const u16 = (b: Buffer, v: number, at: number) => (enc.bigEndian ? b.writeUInt16BE(v, at) : b.writeUInt16LE(v, at));
  const u32 = (b: Buffer, v: number, at: number) => (enc.bigEndian ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at));
  if (enc.implicit) {
    const header = Buffer.alloc(8);
    u16(header, el.tag >>> 16, 0);
    u16(header, el.tag & 0xffff, 2);
    u32(header, value.length, 4);
    return Buffer.concat([header, value]);
  }
  const long = LONG_VRS.has(el.vr);
  const header = Buffer.alloc(long ? 12 : 8);
  u16(header, el.tag >>> 16, 0);
  u16(header, el.tag & 0xffff, 2);
  header.write(el.vr, 4, 'latin1');
  if (long) u32(header, value.length, 8);
  else u16(header, value.length, 6);
  return Buffer.concat([header, value]);
}

function encodeAll(elements: DicomElement[], enc: Encoding = LE_EXPLICIT): Buffer {
  return Buffer.concat([...elements].sort((a, b) => a.tag - b.tag).map((el) => encodeElement(el, enc)));
}

export interface Part10Options {
  /** (0002,0010); the data set is encoded to match for the four uncompressed syntaxes. */
  transferSyntax?: string;
  /** false: no 128-byte preamble and no DICM prefix (a bare data set, as some old archives hold). */
  preamble?: boolean;
  /** Cut the finished file to this many bytes (a truncated transfer). */
  truncateTo?: number;
}

/** A complete Part 10 file: preamble, DICM, file meta group, then the data set. */
export function writePart10(
  sopClassUid: string,
  sopInstanceUid: string,
  dataset: DicomElement[],
  options: Part10Options = {},
): Buffer {
  const transferSyntax = options.transferSyntax ?? EXPLICIT_VR_LE;
  const metaBody = encodeAll([
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: sopClassUid },
    { tag: 0x00020003, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00020010, vr: 'UI', value: transferSyntax },
    { tag: 0x00020012, vr: 'UI', value: '2.25.1000001' },
    { tag: 0x00020013, vr: 'SH', value: 'AHI_SANDBOX' },
  ]);
  const groupLength = encodeElement({ tag: 0x00020000, vr: 'UL', value: metaBody.length });
  let body = encodeAll(dataset, encodingOf(transferSyntax));
  if (transferSyntax === DEFLATED_EXPLICIT_VR_LE) body = deflateRawSync(body);
  const file =
    options.preamble === false
      ? Buffer.concat([groupLength, metaBody, body])
      : Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), groupLength, metaBody, body]);
  return options.truncateTo === undefined ? file : file.subarray(0, options.truncateTo);
}

export interface SyntheticInstance {
  patientName: string;
  patientId: string;
  studyUid: string;
  seriesUid: string;
  sopInstanceUid: string;
  modality: string;
  studyDate: string;
  studyDescription: string;
  seriesDescription: string;
  seriesNumber: number;
  instanceNumber: number;
}

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

/** A small 16x16 MONOCHROME2 image with a gradient, so viewers have pixels to show. */
export function syntheticInstance(i: SyntheticInstance, options: Part10Options = {}): Buffer {
  const rows = 16;
  const cols = 16;
  const pixels = Buffer.alloc(rows * cols * 2);
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++) pixels.writeUInt16LE(((x + y + i.instanceNumber) * 64) % 4096, (y * cols + x) * 2);
  return writePart10(SECONDARY_CAPTURE, i.sopInstanceUid, [
    { tag: 0x00080016, vr: 'UI', value: SECONDARY_CAPTURE },
    { tag: 0x00080018, vr: 'UI', value: i.sopInstanceUid },
    { tag: 0x00080020, vr: 'DA', value: i.studyDate },
    { tag: 0x00080030, vr: 'TM', value: '120000' },
    { tag: 0x00080050, vr: 'SH', value: `ACC${i.patientId.slice(-4)}` },
    { tag: 0x00080060, vr: 'CS', value: i.modality },
    { tag: 0x00081030, vr: 'LO', value: i.studyDescription },
    { tag: 0x0008103e, vr: 'LO', value: i.seriesDescription },
    { tag: 0x00100010, vr: 'PN', value: i.patientName },
    { tag: 0x00100020, vr: 'LO', value: i.patientId },
    { tag: 0x00100030, vr: 'DA', value: '19700101' },
    { tag: 0x00100040, vr: 'CS', value: 'O' },
    { tag: 0x0020000d, vr: 'UI', value: i.studyUid },
    { tag: 0x0020000e, vr: 'UI', value: i.seriesUid },
    { tag: 0x00200010, vr: 'SH', value: '1' },
    { tag: 0x00200011, vr: 'IS', value: String(i.seriesNumber) },
    { tag: 0x00200013, vr: 'IS', value: String(i.instanceNumber) },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280010, vr: 'US', value: rows },
    { tag: 0x00280011, vr: 'US', value: cols },
    { tag: 0x00280100, vr: 'US', value: 16 },
    { tag: 0x00280101, vr: 'US', value: 12 },
    { tag: 0x00280102, vr: 'US', value: 11 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    { tag: 0x7fe00010, vr: 'OW', value: pixels },
  ], options);
}
