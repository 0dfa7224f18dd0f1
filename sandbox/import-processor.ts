/**
 * Runs an import job's real work when it ends: reads every object under inputS3Uri, recognises
 * DICOM Part 10 files with dicom-parser, groups them into image sets by study + series, and writes
 * the job folder exactly where AWS does: job-output-manifest.json, SUCCESS/success.ndjson,
 * FAILURE/failure.ndjson.
 */
import { randomBytes } from 'node:crypto';
import dicomParser from 'dicom-parser';
import type { DataAccess } from './data-access';
import type { JobOutcome, JobRecord, SandboxState } from './state';
import { parseS3Uri, type S3Store } from './s3-store';

export const MAX_FILES_PER_JOB = 5000;

/** `{outputS3Uri}{datastoreId}-DicomImport-{jobId}/` as GetDICOMImportJob reports it. */
export function jobOutputUri(job: JobRecord): string {
  const base = job.outputS3Uri.endsWith('/') ? job.outputS3Uri : `${job.outputS3Uri}/`;
  return `${base}${job.datastoreId}-DicomImport-${job.id}/`;
}

/** Counts input files cheaply at submission (an import takes longer per file). */
export function countInputFiles(store: S3Store, inputS3Uri: string): number {
  const { bucket, prefix } = parseS3Uri(inputS3Uri);
  return store.list(bucket, prefix, MAX_FILES_PER_JOB).length;
}

interface ParsedInstance {
  study: string;
  series: string;
}

/** Returns the UIDs of a Part 10 file, or throws with a customer-facing reason. */
function readDicom(bytes: Buffer): ParsedInstance {
  let ds;
  try {
    ds = dicomParser.parseDicom(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    const reason = typeof e === 'string' ? e : e instanceof Error ? e.message : 'unreadable';
    throw new Error(`Not a valid DICOM Part 10 file: ${reason}`);
  }
  const need = (tag: string, name: string) => {
    const v = ds.string(tag)?.trim();
    if (!v) throw new Error(`Missing required attribute ${name}`);
    return v;
  };
  need('x00080018', 'SOPInstanceUID');
  return { study: need('x0020000d', 'StudyInstanceUID'), series: need('x0020000e', 'SeriesInstanceUID') };
}

function newImageSetId(): string {
  return randomBytes(16).toString('hex');
}

/** Keep job messages inside the model's Message pattern ^[\w -:`]+$ */
export function safeMessage(s: string): string {
  return s.replace(/[^\w -:`]/g, ' ').slice(0, 2048);
}

/** `access` is the data-access role's view of S3 (data-access.ts); without it everything is allowed. */
export function processImport(job: JobRecord, state: SandboxState, store: S3Store, access?: DataAccess): JobOutcome {
  if (job.forcedFailure) return { status: 'FAILED', message: safeMessage(job.forcedFailure) };
  const refused = access?.problem();
  if (refused) return { status: 'FAILED', message: safeMessage(refused) };
  const input = parseS3Uri(job.inputS3Uri);
  const output = parseS3Uri(jobOutputUri(job));
  if (!store.bucketExists(input.bucket))
    return { status: 'FAILED', message: safeMessage(`Input S3 bucket ${input.bucket} does not exist or the data access role cannot read it`) };
  if (!store.bucketExists(output.bucket))
    return { status: 'FAILED', message: safeMessage(`Output S3 bucket ${output.bucket} does not exist or the data access role cannot write to it`) };
  const objects = store.list(input.bucket, input.prefix, MAX_FILES_PER_JOB).filter((o) => !o.key.endsWith('/'));
  if (objects.length === 0) return { status: 'FAILED', message: safeMessage(`No files found at input S3 location ${job.inputS3Uri}`) };
  if (objects.length > MAX_FILES_PER_JOB)
    return {
      status: 'FAILED',
      message: safeMessage(`Input S3 location ${job.inputS3Uri} holds more than ${MAX_FILES_PER_JOB} files: the limit per import job`),
    };
  for (const obj of objects) {
    const unreadable = access?.cannotRead(obj.key);
    if (unreadable) return { status: 'FAILED', message: safeMessage(unreadable) };
  }

  const successes: string[] = [];
  const failures: string[] = [];
  const perImageSet = new Map<string, number>();
  for (const obj of objects) {
    const inputFile = `s3://${input.bucket}/${obj.key}`;
    try {
      const bytes = store.read(input.bucket, obj.key);
      if (!bytes) throw new Error('Object could not be read');
      const { study, series } = readDicom(bytes);
      const setKey = `${job.datastoreId}|${study}|${series}`;
      const imageSetId = (state.imageSets[setKey] ??= newImageSetId());
      perImageSet.set(imageSetId, (perImageSet.get(imageSetId) ?? 0) + 1);
      successes.push(JSON.stringify({ inputFile, importResponse: { imageSetId, isPrimary: true } }));
    } catch (e) {
      failures.push(
        JSON.stringify({
          inputFile,
          exception: { exceptionType: 'InvalidInputException', message: e instanceof Error ? e.message : String(e) },
        }),
      );
    }
  }

  const jobFolder = jobOutputUri(job);
  const key = (name: string) => `${output.prefix}${name}`;
  if (successes.length) store.write(output.bucket, key('SUCCESS/success.ndjson'), Buffer.from(`${successes.join('\n')}\n`));
  if (failures.length) store.write(output.bucket, key('FAILURE/failure.ndjson'), Buffer.from(`${failures.join('\n')}\n`));
  const manifest = {
    jobSummary: {
      jobId: job.id,
      datastoreId: job.datastoreId,
      inputS3Uri: job.inputS3Uri,
      outputS3Uri: jobFolder,
      successOutputS3Uri: `${jobFolder}SUCCESS/`,
      failureOutputS3Uri: `${jobFolder}FAILURE/`,
      warningsOutputS3Uri: `${jobFolder}WARNING/`,
      numberOfScannedFiles: objects.length,
      numberOfImportedFiles: successes.length,
      numberOfFilesWithCustomerError: failures.length,
      numberOfFilesWithServerError: 0,
      numberOfGeneratedImageSets: perImageSet.size,
      imageSetsSummary: [...perImageSet].map(([imageSetId, n]) => ({ imageSetId, numberOfMatchedSOPInstances: n })),
    },
  };
  store.write(output.bucket, key('job-output-manifest.json'), Buffer.from(JSON.stringify(manifest, null, 2)));
  return { status: 'COMPLETED' };
}
