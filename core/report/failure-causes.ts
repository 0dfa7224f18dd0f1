/**
 * Plain-language cause and fix for the failures an import job reports most often. HealthImaging's
 * failure.ndjson names an exceptionType and a message; the type alone is too coarse (most are
 * InvalidInputException), so the message decides which of the common causes it is. Pure: the
 * renderer may use it too.
 */

export type FailureCauseKind = 'not-part10' | 'missing-attribute' | 'unsupported-transfer-syntax' | 'access-denied' | 'too-large';

export interface FailureCause {
  kind: FailureCauseKind;
  /** What went wrong, in words. */
  cause: string;
  /** What to do about it. */
  fix: string;
}

const CAUSES: ReadonlyArray<{ test: RegExp; cause: FailureCause }> = [
  {
    test: /access ?denied|forbidden|not authori[sz]ed|403/i,
    cause: {
      kind: 'access-denied',
      cause: 'HealthImaging could not read the object: the data access role is denied on it.',
      fix: 'Give the data access role s3:GetObject on the input prefix (and kms:Decrypt when the bucket uses a KMS key), check the bucket policy, then import the files again.',
    },
  },
  {
    test: /too large|exceeds? (the )?(maximum|max|size|limit)|file size|size limit/i,
    cause: {
      kind: 'too-large',
      cause: 'The file is larger than HealthImaging accepts for one DICOM P10 file, or an element exceeds its length limit.',
      fix: 'Split multi-frame files or reduce the element that is too long (see "DICOM element constraints" in the HealthImaging guide), then import the files again.',
    },
  },
  {
    test: /transfer ?syntax/i,
    cause: {
      kind: 'unsupported-transfer-syntax',
      cause: 'The file is encoded with a transfer syntax HealthImaging does not import.',
      fix: 'Transcode the files to a supported transfer syntax (for example Explicit VR Little Endian or JPEG 2000; see "Supported transfer syntaxes" in the HealthImaging guide), then import them again.',
    },
  },
  {
    test: /missing (required )?(attribute|tag|element)|required (attribute|tag|element)/i,
    cause: {
      kind: 'missing-attribute',
      cause: 'The file lacks an attribute HealthImaging needs to place it (SOP Instance UID, Study Instance UID or Series Instance UID).',
      fix: 'Fix the files at the source (the modality or PACS export) so they carry those UIDs, then import them again.',
    },
  },
  {
    test: /not (a )?(valid )?dicom|part ?10|preamble|DICM|unreadable|not.*p10/i,
    cause: {
      kind: 'not-part10',
      cause: 'The object is not a DICOM Part 10 file (no 128-byte preamble and "DICM" prefix), for example a report, a ZIP or a DICOMDIR.',
      fix: 'Keep only DICOM P10 files under the input prefix (move other files elsewhere), or convert the data to P10 files, then import again.',
    },
  },
];

/** The common cause a failure points to, or undefined when it is not one of them. */
export function failureCause(exceptionType: string | undefined, message: string): FailureCause | undefined {
  const text = `${exceptionType ?? ''} ${message}`;
  if (/AccessDenied/i.test(exceptionType ?? '')) return CAUSES[0]!.cause;
  return CAUSES.find((c) => c.test.test(text))?.cause;
}

/** What a non-primary image set means, in words (the same sentence everywhere it is shown). */
export const NON_PRIMARY_MEANING =
  'The data store already held these instances (same SOP Instance UID) with different patient, study or series attributes. HealthImaging kept both: the earlier image set stays primary and the new copy went into a separate, non-primary image set. Check which attributes are right and, if needed, correct the metadata or delete the image set that is wrong.';
