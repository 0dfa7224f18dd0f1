/**
 * `input-dicom`: a sample of the input's objects read with ranged GETs of bytes 0-135 (never the
 * whole file); objects without "DICM" at byte 128 are a warning with their count and examples:
 * HealthImaging reports them as failed files, the rest still imports.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { parseS3Uri } from '../arns';
import { aborting, type CheckContext } from '../clients';
import { DICM_OFFSET, DICOM_SNIFF_RANGE, hasDicmPrefix } from '../dicom-sniff';
import type { ListedObject } from '../input-limits';
import { errorName, fromCallError, pass, skipped, warn, type CheckOutcome } from '../outcome';

const CONCURRENCY = 4;
const EXAMPLES = 5;
const HEAD_BYTES = DICM_OFFSET + 8;

/** Reads at most HEAD_BYTES of the body and lets go of the rest (a server may ignore Range). */
async function head(body: unknown): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (body && typeof (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === 'function') {
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= HEAD_BYTES) break; // leaving the loop destroys the stream
    }
  } else if (body && typeof (body as { transformToByteArray?: unknown }).transformToByteArray === 'function') {
    return (body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export async function checkInputDicom(ctx: CheckContext, sample: readonly ListedObject[] | undefined, totalFiles: number): Promise<CheckOutcome> {
  if (!sample || sample.length === 0) return skipped('input-dicom', 'Not checked: no input files were listed (see input-objects).');
  const { bucket } = parseS3Uri(ctx.inputs.inputS3Uri);
  const owner = ctx.inputs.inputOwnerAccountId;
  const notDicom: string[] = [];
  let read = 0;
  let failure: unknown;
  const queue = [...sample];

  const worker = async () => {
    for (let o = queue.shift(); o && failure === undefined; o = queue.shift()) {
      if (o.size < DICM_OFFSET + 4) {
        notDicom.push(o.key);
      } else {
        try {
          const out = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.key, Range: DICOM_SNIFF_RANGE, ...(owner ? { ExpectedBucketOwner: owner } : {}) }), aborting(ctx.signal));
          if (!hasDicmPrefix(await head(out.Body))) notDicom.push(o.key);
        } catch (e) {
          if (errorName(e) === 'NoSuchKey') continue; // deleted since the listing
          failure = e;
          return;
        }
      }
      read++;
      ctx.progress({ checkId: 'input-dicom', sampled: read, sampleSize: sample.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, sample.length) }, worker));
  if (failure !== undefined) return fromCallError('input-dicom', failure, `s3:GetObject on ${bucket}`, ctx.signal);

  const of = `${read} sampled file${read === 1 ? '' : 's'} (of ${totalFiles.toLocaleString('en-US')})`;
  if (notDicom.length === 0) return pass('input-dicom', `All ${of} start with the DICOM Part 10 prefix "DICM".`);
  const examples = notDicom.slice(0, EXAMPLES).join(', ') + (notDicom.length > EXAMPLES ? ', ...' : '');
  return warn(
    'input-dicom',
    `${notDicom.length} of ${of} do not start with the DICOM Part 10 prefix "DICM": ${examples}. HealthImaging will report them as failed files; the others still import.`,
    'Remove files that are not DICOM Part 10 from the input prefix, or expect them in the import\'s failure.ndjson.',
  );
}
