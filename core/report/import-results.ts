/**
 * What an import job really did: its job-output-manifest.json and the first lines of
 * FAILURE/failure.ndjson, read with the caller's S3 client (same profile and endpoint rules as the
 * run). A COMPLETED job can hide many failed files; the manifest is the truth users need.
 *
 * Never throws: whatever happens (manifest late, access denied, bucket gone, cancelled) comes back
 * as an ImportResults with a state and a plain message, and the run's own result is untouched.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FailureGroup, ImportResults } from '../engine/events';
import { redactText } from '../redaction/redact';
import { failureCause } from './failure-causes';

export interface ReadImportResultsOptions {
  /** Tries while the manifest is not there yet (NoSuchKey): it can appear a little after the job ends. Default 5. */
  attempts?: number;
  /** Pause between those tries, ms. Default 3000. */
  delayMs?: number;
  signal?: AbortSignal;
  /** For tests: replaces the real pause. */
  sleep?: (ms: number) => Promise<void>;
}

/** How much of failure.ndjson is read: enough to group thousands of failures, never a huge file whole. */
export const FAILURE_BYTES = 1024 * 1024;
export const MAX_FAILURES = 20;
/** Likewise for success.ndjson (searched for isPrimary false) and warning.ndjson. */
export const SUCCESS_BYTES = 4 * 1024 * 1024;
export const WARNING_BYTES = 256 * 1024;
export const MAX_WARNINGS = 50;
export const MAX_GROUP_EXAMPLES = 5;
export const MAX_NON_PRIMARY = 50;
/** Image sets kept in the event (the manifest lists one per image set: thousands for a big job). */
export const MAX_IMAGE_SETS = 100;

interface S3Location {
  bucket: string;
  key: string;
}

function parseS3(uri: string): { bucket: string; prefix: string } | undefined {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri.trim());
  if (!m) return undefined;
  return { bucket: m[1]!, prefix: m[2] ?? '' };
}

const asFolder = (prefix: string) => (prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`);
const s3Uri = (l: S3Location) => `s3://${l.bucket}/${l.key}`;

type Fetched = { ok: true; text: string; contentRange?: string } | { ok: false; kind: 'no-such-key' | 'no-such-bucket' | 'access-denied' | 'cancelled' | 'other'; detail: string };

async function fetchText(s3: S3Client, loc: S3Location, signal: AbortSignal | undefined, range?: string): Promise<Fetched> {
  if (signal?.aborted) return { ok: false, kind: 'cancelled', detail: 'cancelled' };
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: loc.bucket, Key: loc.key, ...(range ? { Range: range } : {}) }), signal ? { abortSignal: signal } : {});
    const text = out.Body ? await out.Body.transformToString('utf-8') : '';
    return { ok: true, text, ...(out.ContentRange ? { contentRange: out.ContentRange } : {}) };
  } catch (err) {
    const e = err as { name?: string; message?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
    const name = e.name ?? e.Code ?? 'Error';
    const status = e.$metadata?.httpStatusCode;
    const detail = `${name}: ${redactText(String(e.message ?? '')).slice(0, 300)}`;
    if (signal?.aborted || name === 'AbortError') return { ok: false, kind: 'cancelled', detail };
    if (name === 'NoSuchKey' || (status === 404 && name !== 'NoSuchBucket')) return { ok: false, kind: 'no-such-key', detail };
    if (name === 'NoSuchBucket') return { ok: false, kind: 'no-such-bucket', detail };
    if (name === 'AccessDenied' || name === 'Forbidden' || status === 403) return { ok: false, kind: 'access-denied', detail };
    return { ok: false, kind: 'other', detail };
  }
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function count(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
}

function accessDeniedMessage(loc: S3Location): string {
  const folder = loc.key.includes('/') ? loc.key.slice(0, loc.key.lastIndexOf('/') + 1) : '';
  return (
    `Access denied reading the import results at ${s3Uri(loc)}. The identity running this needs s3:GetObject on ` +
    `arn:aws:s3:::${loc.bucket}/${folder}* (and kms:Decrypt when bucket ${loc.bucket} is encrypted with a KMS key). ` +
    `The run's own result is unchanged.`
  );
}

/** Parses failure.ndjson lines; `truncated` drops a last line cut by the byte range. */
export function parseFailureLines(text: string, truncated: boolean, max = MAX_FAILURES): NonNullable<ImportResults['failures']> {
  const lines = text.split('\n');
  if (truncated && !text.endsWith('\n')) lines.pop();
  const out: NonNullable<ImportResults['failures']> = [];
  for (const line of lines) {
    if (out.length >= max) break;
    if (!line.trim()) continue;
    try {
      const row = JSON.parse(line) as { inputFile?: unknown; exception?: { exceptionType?: unknown; message?: unknown } };
      if (typeof row.inputFile !== 'string') continue;
      const exceptionType = typeof row.exception?.exceptionType === 'string' ? row.exception.exceptionType : undefined;
      const message = typeof row.exception?.message === 'string' ? row.exception.message : 'No reason given.';
      out.push({ inputFile: row.inputFile, ...(exceptionType ? { exceptionType } : {}), message: redactText(message) });
    } catch {
      // A malformed line says nothing useful; the counts in the manifest still stand.
    }
  }
  return out;
}

function ndjsonRows(text: string, truncated: boolean): unknown[] {
  const lines = text.split('\n');
  if (truncated && !text.endsWith('\n')) lines.pop();
  const rows: unknown[] = [];
  for (const line of lines) {
    if (!line.trim()) continue;
    try {
      rows.push(JSON.parse(line));
    } catch {
      // A malformed line says nothing useful.
    }
  }
  return rows;
}

/** Failures grouped by exception type and common cause, most frequent first. */
export function groupFailures(text: string, truncated: boolean): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const raw of ndjsonRows(text, truncated)) {
    const row = raw as { inputFile?: unknown; exception?: { exceptionType?: unknown; message?: unknown } };
    if (!row || typeof row.inputFile !== 'string') continue;
    const type = typeof row.exception?.exceptionType === 'string' && row.exception.exceptionType ? row.exception.exceptionType : 'Unknown';
    const message = redactText(typeof row.exception?.message === 'string' ? row.exception.message : 'No reason given.');
    const cause = failureCause(type, message);
    // One type can hide several causes (most are InvalidInputException): the cause splits them.
    const key = `${type}\u0000${cause?.kind ?? message}`;
    let g = groups.get(key);
    if (!g) {
      g = { type, count: 0, examples: [], message, ...(cause ? { cause: cause.cause, fix: cause.fix } : {}) };
      groups.set(key, g);
    }
    g.count++;
    if (g.examples.length < MAX_GROUP_EXAMPLES) g.examples.push(row.inputFile);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

/** warning.ndjson lines: the service writes a reason code, a type and a message per file. */
export function parseWarningLines(text: string, truncated: boolean, max = MAX_WARNINGS): NonNullable<ImportResults['warnings']> {
  const out: NonNullable<ImportResults['warnings']> = [];
  for (const raw of ndjsonRows(text, truncated)) {
    if (out.length >= max) break;
    const row = raw as Record<string, unknown> & { warning?: Record<string, unknown>; exception?: Record<string, unknown> };
    if (!row || typeof row !== 'object') continue;
    const inner = (row.warning ?? row.exception ?? row) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
    const message = str(inner.message) ?? str(row.message);
    if (!message) continue;
    const code = str(inner.reasonCode) ?? str(inner.code) ?? str(row.reasonCode);
    const type = str(inner.warningType) ?? str(inner.type) ?? str(inner.exceptionType);
    const inputFile = str(row.inputFile);
    out.push({ ...(inputFile ? { inputFile } : {}), ...(code ? { code } : {}), ...(type ? { type } : {}), message: redactText(message) });
  }
  return out;
}

/** Image sets that received instances with isPrimary false, with those instances' input files. */
export function findNonPrimary(text: string, truncated: boolean): NonNullable<ImportResults['nonPrimaryImageSets']> {
  const sets = new Map<string, { imageSetId: string; count: number; instances: string[] }>();
  for (const raw of ndjsonRows(text, truncated)) {
    const row = raw as { inputFile?: unknown; importResponse?: { imageSetId?: unknown; isPrimary?: unknown } };
    if (!row || row.importResponse?.isPrimary !== false || typeof row.importResponse.imageSetId !== 'string') continue;
    const id = row.importResponse.imageSetId;
    let s = sets.get(id);
    if (!s) {
      if (sets.size >= MAX_NON_PRIMARY) continue;
      s = { imageSetId: id, count: 0, instances: [] };
      sets.set(id, s);
    }
    s.count++;
    if (typeof row.inputFile === 'string' && s.instances.length < MAX_GROUP_EXAMPLES) s.instances.push(row.inputFile);
  }
  return [...sets.values()];
}

async function readPart(s3: S3Client, loc: S3Location, bytes: number, signal?: AbortSignal): Promise<{ text: string; truncated: boolean } | Extract<Fetched, { ok: false }>> {
  const part = await fetchText(s3, loc, signal, `bytes=0-${bytes - 1}`);
  if (!part.ok) return part;
  const total = /\/(\d+)$/.exec(part.contentRange ?? '')?.[1];
  const truncated = total !== undefined ? Number(total) > bytes : Buffer.byteLength(part.text) >= bytes;
  return { text: part.text, truncated };
}

/** The job's own output location, given the outputS3Uri the job was started with. */
export interface JobOutputLocation {
  /** outputS3Uri as given to StartDICOMImportJob (or as GetDICOMImportJob reports it: with the job folder). */
  outputS3Uri: string;
  datastoreId: string;
  jobId: string;
}

/** `{outputS3Uri}{datastoreId}-DicomImport-{jobId}/`, unless the URI already names that folder. */
export function jobOutputFolder(loc: JobOutputLocation): string {
  const folder = `${loc.datastoreId}-DicomImport-${loc.jobId}/`;
  const base = asFolder(loc.outputS3Uri.trim());
  return base.endsWith(`/${folder}`) ? base : `${base}${folder}`;
}

/**
 * `jobOutput`: the outputS3Uri GetDICOMImportJob reports (it already includes the job folder), or
 * the start-time outputS3Uri with the data store and job ids.
 */
export async function readImportResults(s3: S3Client, jobOutput: string | JobOutputLocation, opts: ReadImportResultsOptions = {}): Promise<ImportResults> {
  const jobOutputS3Uri = typeof jobOutput === 'string' ? jobOutput : jobOutputFolder(jobOutput);
  const attempts = Math.max(1, Math.floor(opts.attempts ?? 5));
  const delayMs = Math.max(0, opts.delayMs ?? 3000);
  const sleep = opts.sleep ?? ((ms: number) => defaultSleep(ms, opts.signal));
  const where = parseS3(jobOutputS3Uri);
  if (!where) return { state: 'error', message: `The job's output location "${jobOutputS3Uri}" is not an s3://bucket/prefix/ URI.` };

  const manifest: S3Location = { bucket: where.bucket, key: `${asFolder(where.prefix)}job-output-manifest.json` };
  const manifestUri = s3Uri(manifest);

  try {
    let got: Fetched | undefined;
    for (let i = 1; i <= attempts; i++) {
      got = await fetchText(s3, manifest, opts.signal);
      if (got.ok || got.kind !== 'no-such-key' || i === attempts) break;
      await sleep(delayMs);
      if (opts.signal?.aborted) return { state: 'error', manifestUri, message: 'Reading the import results was cancelled.' };
    }
    if (!got || !got.ok) {
      const kind = got?.ok === false ? got.kind : 'other';
      const detail = got?.ok === false ? got.detail : '';
      switch (kind) {
        case 'no-such-key':
          return {
            state: 'not-found',
            manifestUri,
            message: `The import's job-output-manifest.json is not at ${manifestUri} (tried ${attempts} time${attempts === 1 ? '' : 's'}). It can appear a little after the job ends: export the report again later.`,
          };
        case 'no-such-bucket':
          return { state: 'not-found', manifestUri, message: `The output bucket ${manifest.bucket} does not exist (${detail}).` };
        case 'access-denied':
          return { state: 'access-denied', manifestUri, message: accessDeniedMessage(manifest) };
        case 'cancelled':
          return { state: 'error', manifestUri, message: 'Reading the import results was cancelled.' };
        default:
          return { state: 'error', manifestUri, message: `The import results at ${manifestUri} could not be read: ${detail}` };
      }
    }

    let summary: Record<string, unknown>;
    try {
      const parsed = JSON.parse(got.text) as { jobSummary?: unknown };
      if (!parsed || typeof parsed.jobSummary !== 'object' || parsed.jobSummary === null) throw new Error('no jobSummary object');
      summary = parsed.jobSummary as Record<string, unknown>;
    } catch (err) {
      return { state: 'error', manifestUri, message: `The manifest at ${manifestUri} is not valid: ${err instanceof Error ? err.message : String(err)}.` };
    }

    const customer = count(summary.numberOfFilesWithCustomerError);
    const server = count(summary.numberOfFilesWithServerError);
    const imageSetsRaw = Array.isArray(summary.imageSetsSummary) ? summary.imageSetsSummary : [];
    const imageSets = imageSetsRaw
      .filter((s): s is { imageSetId: string; numberOfMatchedSOPInstances?: unknown } => !!s && typeof (s as { imageSetId?: unknown }).imageSetId === 'string')
      .slice(0, MAX_IMAGE_SETS)
      .map((s) => {
        const n = count(s.numberOfMatchedSOPInstances);
        return { imageSetId: s.imageSetId, ...(n !== undefined ? { numberOfMatchedSOPInstances: n } : {}) };
      });

    const result: ImportResults = {
      state: 'read',
      manifestUri,
      ...(count(summary.numberOfScannedFiles) !== undefined ? { numberOfScannedFiles: count(summary.numberOfScannedFiles) } : {}),
      ...(count(summary.numberOfImportedFiles) !== undefined ? { numberOfImportedFiles: count(summary.numberOfImportedFiles) } : {}),
      ...(customer !== undefined ? { numberOfFilesWithCustomerError: customer } : {}),
      ...(server !== undefined ? { numberOfFilesWithServerError: server } : {}),
      ...(count(summary.numberOfGeneratedImageSets) !== undefined ? { numberOfGeneratedImageSets: count(summary.numberOfGeneratedImageSets) } : {}),
      imageSets,
      failures: [],
    };

    // The first failures, when the manifest says there are any (or does not say).
    const failed = customer === undefined && server === undefined ? undefined : (customer ?? 0) + (server ?? 0);
    if (failed === undefined || failed > 0) {
      const failureLoc = failureLocation(summary.failureOutputS3Uri, where);
      const part = await readPart(s3, failureLoc, FAILURE_BYTES, opts.signal);
      if ('text' in part) {
        result.failures = parseFailureLines(part.text, part.truncated);
        result.failuresByType = groupFailures(part.text, part.truncated);
        result.failuresComplete = !part.truncated;
      } else if (failed !== undefined) {
        result.message =
          part.kind === 'access-denied'
            ? `The list of failed files could not be read: ${accessDeniedMessage(failureLoc)}`
            : `The list of failed files at ${s3Uri(failureLoc)} could not be read (${part.detail}).`;
      }
    }

    // Warnings and non-primary image sets: both optional files, absent when there is nothing to say.
    const warnLoc = folderFile(summary.warningsOutputS3Uri, where, 'WARNING', 'warning.ndjson');
    const warn = await readPart(s3, warnLoc, WARNING_BYTES, opts.signal);
    result.warnings = 'text' in warn ? parseWarningLines(warn.text, warn.truncated) : [];
    if ((result.numberOfImportedFiles ?? 1) > 0) {
      const okLoc = folderFile(summary.successOutputS3Uri, where, 'SUCCESS', 'success.ndjson');
      const ok = await readPart(s3, okLoc, SUCCESS_BYTES, opts.signal);
      result.nonPrimaryImageSets = 'text' in ok ? findNonPrimary(ok.text, ok.truncated) : [];
    } else result.nonPrimaryImageSets = [];
    return result;
  } catch (err) {
    // Anything unforeseen still ends as a state, never as a crash of the caller.
    return { state: 'error', manifestUri, message: `The import results could not be read: ${redactText(err instanceof Error ? err.message : String(err))}` };
  }
}

/** failureOutputS3Uri may name the FAILURE/ folder or the file itself; default beside the manifest. */
function failureLocation(uri: unknown, jobFolder: { bucket: string; prefix: string }): S3Location {
  return folderFile(uri, jobFolder, 'FAILURE', 'failure.ndjson');
}

/** A manifest's *OutputS3Uri may name the folder or the file itself; default: `{folder}/{file}` beside the manifest. */
function folderFile(uri: unknown, jobFolder: { bucket: string; prefix: string }, folder: string, file: string): S3Location {
  const parsed = typeof uri === 'string' ? parseS3(uri) : undefined;
  if (parsed) {
    const key = parsed.prefix.endsWith('.ndjson') ? parsed.prefix : `${asFolder(parsed.prefix)}${file}`;
    return { bucket: parsed.bucket, key };
  }
  return { bucket: jobFolder.bucket, key: `${asFolder(jobFolder.prefix)}${folder}/${file}` };
}
