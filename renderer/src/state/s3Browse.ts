/**
 * The S3 browser's pure parts: where a field's URI opens, the breadcrumbs of a location, names and
 * sizes as the S3 console shows them, and the words for a folder's counts.
 */
import { formatBytes } from '../../../core/text/bytes';
import type { S3PrefixSummary } from '../../../contract/ipc';
import { isBucketName } from '../../../contract/rules';

export { formatBytes };

/** Where the browser is: the bucket list (no bucket), or one folder of one bucket ("" is its top). */
export interface S3Location {
  bucket?: string;
  prefix: string;
}

export const ROOT: S3Location = { prefix: '' };

export function s3Uri(bucket: string, prefix: string): string {
  return `s3://${bucket}/${prefix}`;
}

/**
 * The folder a field's value opens at: the folder it names, the folder holding the object it
 * names, or the bucket list when it is not an S3 URI of a bucket.
 */
export function locationOf(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri.trim());
  if (!m || !isBucketName(m[1]!)) return ROOT;
  const rest = m[2] ?? '';
  const prefix = rest.endsWith('/') || rest === '' ? rest : rest.slice(0, rest.lastIndexOf('/') + 1);
  return { bucket: m[1]!, prefix: prefix.startsWith('/') ? '' : prefix };
}

export interface Crumb {
  text: string;
  location: S3Location;
}

/** "S3" › bucket › each folder down to the current one, each a place to go back to. */
export function crumbs(at: S3Location): Crumb[] {
  const out: Crumb[] = [{ text: 'S3', location: ROOT }];
  if (!at.bucket) return out;
  out.push({ text: at.bucket, location: { bucket: at.bucket, prefix: '' } });
  let prefix = '';
  for (const part of at.prefix.split('/').slice(0, -1)) {
    prefix += `${part}/`;
    out.push({ text: part, location: { bucket: at.bucket, prefix } });
  }
  return out;
}

/** The last segment of a key or folder prefix under its parent: "series-1/" → "series-1/". */
export function entryName(key: string, parent: string): string {
  return key.startsWith(parent) ? key.slice(parent.length) : key;
}


export function objectCountText(s: Pick<S3PrefixSummary, 'objects' | 'atLeast'>): string {
  const n = s.objects.toLocaleString('en-US');
  return `${s.atLeast ? 'At least ' : ''}${n} ${s.objects === 1 ? 'object' : 'objects'}`;
}

export function sizeText(s: Pick<S3PrefixSummary, 'bytes' | 'atLeast'>): string {
  return `${s.atLeast ? 'At least ' : ''}${formatBytes(s.bytes)}`;
}

/** One import job's limits (StartDICOMImportJob: 5,000 files, adjustable; 10 GB). */
export const ONE_JOB = { files: 5_000, bytes: 10_000_000_000 } as const;

/** Why a folder is too much for one import job, or undefined when it fits. */
export function oneJobWarning(s: Pick<S3PrefixSummary, 'objects' | 'bytes' | 'atLeast'>): string | undefined {
  const over: string[] = [];
  if (s.objects > ONE_JOB.files) over.push(`${ONE_JOB.files.toLocaleString('en-US')} files`);
  if (s.bytes > ONE_JOB.bytes) over.push('10 GB');
  if (over.length === 0) return undefined;
  return `This folder holds more than one import job takes (${over.join(' and ')}, unless your quota was raised). Choose a smaller folder, or import it as an archive in several jobs.`;
}

export function isEmptyFolder(s: Pick<S3PrefixSummary, 'objects'>): boolean {
  return s.objects === 0;
}

/** Why a folder is a poor place for the job's results: it is the input folder, or inside it. */
export function outputWarning(s: Pick<S3PrefixSummary, 'bucket' | 'prefix'>, inputS3Uri: string): string | undefined {
  const input = locationOf(inputS3Uri);
  if (!input.bucket || input.bucket !== s.bucket || !s.prefix.startsWith(input.prefix)) return undefined;
  return s.prefix === input.prefix
    ? 'This is the input folder: HealthImaging needs the results written somewhere else.'
    : 'This folder is inside the input folder: the results would be imported with the DICOM files next time. Choose a folder outside it.';
}

/** Why a folder is a poor place to stage an archive's uncuttable folders: inside the archive, the copies would be planned again with it. */
export function stagingWarning(s: Pick<S3PrefixSummary, 'bucket' | 'prefix'>, archiveS3Uri: string): string | undefined {
  const archive = locationOf(archiveS3Uri);
  if (!archive.bucket || archive.bucket !== s.bucket || !s.prefix.startsWith(archive.prefix)) return undefined;
  return 'This folder is the archive or inside it: the staged copies would be part of the archive the next time it is planned. Choose a folder outside it.';
}
