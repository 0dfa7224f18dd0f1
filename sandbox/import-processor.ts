/**
 * Runs an import job's real work when it ends: reads every object under inputS3Uri, recognises
 * DICOM Part 10 files by their header (sandbox/dicom-header.ts), groups them into image sets by study + series, and writes
 * the job folder exactly where AWS does: job-output-manifest.json, SUCCESS/success.ndjson,
 * FAILURE/failure.ndjson.
 */
import { randomBytes } from 'node:crypto';
import type { DataAccess } from './data-access';
import { DicomFileError, reasonFor } from './dicom-failure-reasons';
import { readDicomHeader } from './dicom-header';
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

function newImageSetId(): string {
  return randomBytes(16).toString('hex');
}

/** Keep job messages inside the model's Message pattern ^[\w -:`]+$ */
export function safeMessage(s: string): string {
  return s.replace(/[^\w -:`]/g, ' ').slice(0, 2048);
}

/** Files handled between two yields of importSteps: a slice small enough never to hold the server up. */
export const FILES_PER_STEP = 100;

/** `access` is the data-access role's view of S3 (data-access.ts); without it everything is allowed. */
export function processImport(job: JobRecord, state: SandboxState, store: S3Store, access?: DataAccess): JobOutcome {
  const steps = importSteps(job, state, store, access);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * The import as steps: it yields after every FILES_PER_STEP files, so a caller can run a large
 * job a slice at a time between other requests (sandbox/core.ts) instead of blocking the server
 * for the whole job. Memory is the job's own result lines (at most 5,000), nothing more.
 */
export function* importSteps(job: JobRecord, state: SandboxState, store: S3Store, access?: DataAccess): Generator<void, JobOutcome, void> {
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
  for (let i = 0; i < objects.length; i++) {
    const unreadable = access?.cannotRead(objects[i]!.key);
    if (unreadable) return { status: 'FAILED', message: safeMessage(unreadable) };
    if ((i + 1) % (FILES_PER_STEP * 5) === 0) yield;
  }

  const successes: string[] = [];
  const failures: string[] = [];
  const perImageSet = new Map<string, number>();
  let handled = 0;
  for (const obj of objects) {
    if (handled++ > 0 && handled % FILES_PER_STEP === 1) yield;
    const inputFile = `s3://${input.bucket}/${obj.key}`;
    try {
      const bytes = store.read(input.bucket, obj.key);
      if (!bytes) throw new DicomFileError('The object could not be read from the input S3 location');
      const header = readDicomHeader(bytes);
      const { study, series } = header;
      const attributes = JSON.stringify([header.patientId, header.patientName, study, series]);
      // As HealthImaging does: an instance already in the store with other patient/study/series
      // attributes is kept, apart, in a non-primary image set (one per job and attribute set).
      const known = ((state.instances ??= {})[`${job.datastoreId}|${header.sopInstance}`] ??= attributes);
      const isPrimary = known === attributes;
      const setKey = isPrimary ? `${job.datastoreId}|${study}|${series}` : `${job.datastoreId}|${study}|${series}|non-primary|${job.id}|${attributes}`;
      const imageSetId = (state.imageSets[setKey] ??= newImageSetId());
      perImageSet.set(imageSetId, (perImageSet.get(imageSetId) ?? 0) + 1);
      successes.push(JSON.stringify({ inputFile, importResponse: { imageSetId, isPrimary } }));
    } catch (e) {
      failures.push(
        JSON.stringify({
          inputFile,
          exception: { exceptionType: 'InvalidInputException', message: reasonFor(e) },
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
