/**
 * A full disk under the runs folder, end to end at the core level: the run log's write is injected
 * (createRunStore's writeAt) so the disk "fills" right as CreateDatastore's answer is recorded,
 * after the sandbox created the data store. The run ends with the disk-full error naming the runs
 * folder; the log stays whole lines; once space is back, a fresh store over the same folder builds
 * the report and resumes the run to COMPLETED with exactly one data store.
 */
import { ListDatastoresCommand } from '@aws-sdk/client-medical-imaging';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { createAwsSession, type AwsSession } from '../aws/session';
import { buildReport } from '../report/build';
import { createRunStore } from '../runs/run-store';
import { defaultWriteAt, type WriteAt } from '../runs/durable-append';
import type { Clock } from './clock';
import type { RunEvent } from './events';
import { resumeRun, startRun } from './run';
import { ONBOARD, SEED_TEXT, seedDocument, tempStore } from './test-support/harness';
import { sandboxDrivenClock } from './test-support/sandbox-clock';

let sb: Sandbox;
let session: AwsSession;
let tmp: ReturnType<typeof tempStore>;

beforeEach(async () => {
  sb = await startSandbox({ manualClock: true });
  session = await createAwsSession({ sandbox: { endpoint: sb.url, region: sb.region, credentials: sb.credentials } });
  tmp = tempStore();
});
afterEach(async () => {
  session.close();
  await sb.close();
  tmp.cleanup();
});

const sandboxClock = (): Clock => sandboxDrivenClock(sb);

/** A disk that fills when CreateDatastore's answer is written: half the line goes down, then ENOSPC. */
function fillingDisk(): { writeAt: WriteAt; failures: number } {
  const disk = { failures: 0, writeAt: undefined as unknown as WriteAt };
  let full = false;
  disk.writeAt = async (fh, buf, off, len, pos) => {
    const line = buf.toString('utf8');
    if (!full && off === 0 && line.includes('"type":"response-received"') && line.includes('"operationId":"CreateDatastore"')) {
      full = true;
      return defaultWriteAt(fh, buf, off, Math.floor(len / 2), pos);
    }
    if (full) {
      disk.failures += 1;
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }
    return defaultWriteAt(fh, buf, off, len, pos);
  };
  return disk;
}

const inputs = () => ({
  datastoreName: 'disk-full-test',
  datastoreClientToken: '',
  dataAccessRoleArn: sb.demo.dataAccessRoleArn,
  importClientToken: '',
  inputS3Uri: sb.demo.inputS3Uri,
  outputS3Uri: sb.demo.outputS3Uri,
});

it('a full disk ends the run with DiskFull naming the runs folder; after freeing space report and resume work, one data store', async () => {
  const disk = fillingDisk();
  const fullStore = createRunStore(tmp.dir, { writeAt: disk.writeAt });
  const shown: RunEvent[] = [];
  const handle = startRun({
    document: seedDocument(session.binding),
    documentText: SEED_TEXT,
    workflowId: ONBOARD,
    inputs: inputs(),
    binding: session.binding,
    store: fullStore,
    context: session.describe(),
    clock: sandboxClock(),
    onEvent: (e) => shown.push(e),
  });
  const ended = await handle.done;

  expect(ended).toMatchObject({ status: 'error', resumable: true, error: { code: 'DiskFull' } });
  expect(ended.error!.message).toContain('is full');
  expect(ended.error!.message).toContain(tmp.dir);
  expect(ended.error!.action).toContain(tmp.dir);
  expect(disk.failures).toBe(1); // the run stopped at the first failed append: no further sends, no retries of the log

  // The log is whole lines, and holds every event that was shown except the closing run-ended,
  // which the listener got but the disk could not take: nothing reported as recorded is missing.
  const text = readFileSync(join(tmp.dir, handle.runId, 'events.ndjson'), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as RunEvent);
  expect(shown.at(-1)).toEqual(ended);
  expect(lines).toEqual(shown.slice(0, -1));
  expect(lines.at(-1)).toMatchObject({ type: 'request-sent', operationId: 'CreateDatastore' });

  // Space is back: a fresh store over the same folder, writing for real.
  const store = createRunStore(tmp.dir);
  const report = buildReport(await store.read(handle.runId));
  expect(report.runId).toBe(handle.runId);
  expect((await store.list()).map((r) => r.runId)).toContain(handle.runId);

  const resumedEvents: RunEvent[] = [];
  const resumed = await resumeRun({
    runId: handle.runId,
    document: seedDocument(session.binding),
    documentText: SEED_TEXT,
    binding: session.binding,
    store,
    context: session.describe(),
    clock: sandboxClock(),
    onEvent: (e) => resumedEvents.push(e),
  });
  const done = await resumed.done;
  expect(done.status).toBe('succeeded');
  expect(done.outputs.jobStatus).toBe('COMPLETED');
  // The unanswered CreateDatastore was re-sent with its recorded client token: still one data store.
  const ds = await session.medicalImaging.send(new ListDatastoresCommand({}));
  expect(ds.datastoreSummaries).toHaveLength(1);
  expect(done.outputs.datastoreId).toBe(ds.datastoreSummaries![0]!.datastoreId);
  const all = await store.read(handle.runId);
  expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
  expect(buildReport(all).status).toBe('succeeded');
});
