/**
 * A tiny DICOM Part 10 writer (explicit VR little endian): enough to lay synthetic, valid
 * instances for demos and tests. No real patient data ever goes in.
 */

type Vr = 'AE' | 'CS' | 'DA' | 'IS' | 'LO' | 'PN' | 'SH' | 'TM' | 'UI' | 'UL' | 'US' | 'OB' | 'OW';
export interface DicomElement {
  tag: number; // (group << 16) | element
  vr: Vr;
  value: string | number | Uint8Array;
}

const LONG_VRS = new Set<Vr>(['OB', 'OW']);
const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';

function valueBytes(el: DicomElement): Buffer {
  switch (el.vr) {
    case 'UL': {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(Number(el.value));
      return b;
    }
    case 'US': {
      const b = Buffer.alloc(2);
      b.writeUInt16LE(Number(el.value));
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

function encodeElement(el: DicomElement): Buffer {
  const value = valueBytes(el);
  const long = LONG_VRS.has(el.vr);
  const header = Buffer.alloc(long ? 12 : 8);
  header.writeUInt16LE(el.tag >>> 16, 0);
  header.writeUInt16LE(el.tag & 0xffff, 2);
  header.write(el.vr, 4, 'latin1');
  if (long) header.writeUInt32LE(value.length, 8);
  else header.writeUInt16LE(value.length, 6);
  return Buffer.concat([header, value]);
}

function encodeAll(elements: DicomElement[]): Buffer {
  return Buffer.concat([...elements].sort((a, b) => a.tag - b.tag).map(encodeElement));
}

/** A complete Part 10 file: preamble, DICM, file meta group, then the data set. */
export function writePart10(sopClassUid: string, sopInstanceUid: string, dataset: DicomElement[]): Buffer {
  const metaBody = encodeAll([
    { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
    { tag: 0x00020002, vr: 'UI', value: sopClassUid },
    { tag: 0x00020003, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00020010, vr: 'UI', value: EXPLICIT_VR_LE },
    { tag: 0x00020012, vr: 'UI', value: '2.25.1000001' },
    { tag: 0x00020013, vr: 'SH', value: 'AHI_SANDBOX' },
  ]);
  const groupLength = encodeElement({ tag: 0x00020000, vr: 'UL', value: metaBody.length });
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), groupLength, metaBody, encodeAll(dataset)]);
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
export function syntheticInstance(i: SyntheticInstance): Buffer {
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
  ]);
}
