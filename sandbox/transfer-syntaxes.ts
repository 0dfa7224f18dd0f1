/**
 * Transfer syntaxes AWS HealthImaging imports, from the developer guide's "Supported transfer
 * syntaxes" page: https://docs.aws.amazon.com/healthimaging/latest/devguide/supported-transfer-syntaxes.html
 * Verified against the stored copy of that page: every entry from 1.2.840.10008.1.2 through
 * 1.2.840.10008.1.2.4.92 (the copy stops there). Not verified (added from the same page as last
 * read by hand; the stored copy was cut off): the MPEG-2/MPEG-4/HEVC video syntaxes
 * (1.2.840.10008.1.2.4.100-.108), HTJ2K (1.2.840.10008.1.2.4.201-.203) and RLE Lossless
 * (1.2.840.10008.1.2.5). Anything else (JPIP, JPEG extended/progressive, retired syntaxes,
 * private UIDs) is refused as AWS does.
 */
export const SUPPORTED_TRANSFER_SYNTAXES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.10008.1.2', 'Implicit VR Little Endian'],
  ['1.2.840.10008.1.2.1', 'Explicit VR Little Endian'],
  ['1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian'],
  ['1.2.840.10008.1.2.2', 'Explicit VR Big Endian'],
  ['1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)'],
  ['1.2.840.10008.1.2.4.51', 'JPEG Baseline (Processes 2 & 4)'],
  ['1.2.840.10008.1.2.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)'],
  ['1.2.840.10008.1.2.4.70', 'JPEG Lossless, Non-Hierarchical, First-Order Prediction'],
  ['1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless'],
  ['1.2.840.10008.1.2.4.81', 'JPEG-LS Lossy (Near-Lossless)'],
  ['1.2.840.10008.1.2.4.90', 'JPEG 2000 (Lossless Only)'],
  ['1.2.840.10008.1.2.4.91', 'JPEG 2000'],
  ['1.2.840.10008.1.2.4.92', 'JPEG 2000 Part 2 Multi-component (Lossless Only)'],
  // Unverified below this line (see the header comment).
  ['1.2.840.10008.1.2.4.100', 'MPEG2 Main Profile / Main Level'],
  ['1.2.840.10008.1.2.4.101', 'MPEG2 Main Profile / High Level'],
  ['1.2.840.10008.1.2.4.102', 'MPEG-4 AVC/H.264 High Profile / Level 4.1'],
  ['1.2.840.10008.1.2.4.103', 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1'],
  ['1.2.840.10008.1.2.4.104', 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video'],
  ['1.2.840.10008.1.2.4.105', 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video'],
  ['1.2.840.10008.1.2.4.106', 'MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2'],
  ['1.2.840.10008.1.2.4.107', 'HEVC/H.265 Main Profile / Level 5.1'],
  ['1.2.840.10008.1.2.4.108', 'HEVC/H.265 Main 10 Profile / Level 5.1'],
  ['1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 (Lossless Only)'],
  ['1.2.840.10008.1.2.4.202', 'High-Throughput JPEG 2000 with RPCL Options (Lossless Only)'],
  ['1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000'],
  ['1.2.840.10008.1.2.5', 'RLE Lossless'],
]);

export function isSupportedTransferSyntax(uid: string): boolean {
  return SUPPORTED_TRANSFER_SYNTAXES.has(uid);
}
