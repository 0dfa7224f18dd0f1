/**
 * After a run whose job ended (COMPLETED or FAILED): read what the import really did from its
 * output folder (job-output-manifest.json, failure lines) and record it in the run's log as an
 * `import-results` event, as the app does, so the report shows it. Best effort: never changes the
 * run's outcome or exit code.
 */
import type { AwsSession } from '../aws/session';
import type { ImportResultsEvent, RunEndedEvent, RunStore } from '../engine/index';
import { readImportResults } from '../report/index';

export async function recordImportResults(
  store: RunStore,
  session: Pick<AwsSession, 's3'>,
  ended: RunEndedEvent,
  opts: { signal?: AbortSignal; attempts?: number; delayMs?: number } = {},
): Promise<ImportResultsEvent | undefined> {
  const { datastoreId, jobId, jobStatus } = ended.outputs;
  if (typeof datastoreId !== 'string' || typeof jobId !== 'string' || (jobStatus !== 'COMPLETED' && jobStatus !== 'FAILED')) return undefined;
  const events = await store.read(ended.runId);
  const started = events.find((e) => e.type === 'run-started');
  const outputS3Uri = started?.type === 'run-started' ? started.inputs['outputS3Uri'] : undefined;
  if (typeof outputS3Uri !== 'string') return undefined;
  const results = await readImportResults(
    session.s3,
    { outputS3Uri, datastoreId, jobId },
    {
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.attempts !== undefined ? { attempts: opts.attempts } : {}),
      ...(opts.delayMs !== undefined ? { delayMs: opts.delayMs } : {}),
    },
  );
  const lastSeq = events.reduce((max, e) => Math.max(max, e.seq), 0);
  const event: ImportResultsEvent = { type: 'import-results', runId: ended.runId, seq: lastSeq + 1, at: new Date().toISOString(), results };
  await store.append(ended.runId, event);
  return event;
}
