/**
 * The full-disk story of issue 10 against the sandbox through the real SDK: a run's log gets half a
 * line with an event appended after it. The run is refused for resume (naming the line), repaired
 * (backup kept), then resumed to COMPLETED with one data store and one import job.
 */
import { ListDatastoresCommand, ListDICOMImportJobsCommand } from '@aws-sdk/client-medical-imaging';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { createAwsSession, type AwsSession } from '../aws/session';
import type { Clock } from '../engine/clock';
import type { RunEvent } from '../engine/events';
import { resumeRun, startRun } from '../engine/run';
import { ONBOARD, SEED_TEXT, seedDocument, tempStore } from '../engine/test-support/harness';
import { repairRunLog } from './repair-log';
import { RunLogDamagedError } from './run-store';
import { sandboxDrivenClock } from '../engine/test-support/sandbox-clock';

let sb: Sandbox;
let session: AwsSession;
let store: ReturnType<typeof tempStore>;

beforeEach(async () => {
  sb = await startSandbox({ manualClock: true });
  session = await createAwsSession({ sandbox: { endpoint: sb.url, region: sb.region, credentials: sb.credentials } });
  store = tempStore();
});
afterEach(async () => {
  session.close();
  await sb.close();
  store.cleanup();
});

const sandboxClock = (): Clock => sandboxDrivenClock(sb);

async function countResources(): Promise<{ datastores: number; jobs: number }> {
  const ds = await session.medicalImaging.send(new ListDatastoresCommand({}));
  let jobs = 0;
  for (const d of ds.datastoreSummaries ?? []) jobs += (await session.medicalImaging.send(new ListDICOMImportJobsCommand({ datastoreId: d.datastoreId! }))).jobSummaries?.length ?? 0;
  return { datastores: ds.datastoreSummaries?.length ?? 0, jobs };
}

it('a damaged log is refused for resume, repaired with a backup, then resumes to COMPLETED with one data store', async () => {
  const document = seedDocument(session.binding);
  const inputs = { datastoreName: 'damaged-log-test', datastoreClientToken: '', dataAccessRoleArn: sb.demo.dataAccessRoleArn, importClientToken: '', inputS3Uri: sb.demo.inputS3Uri, outputS3Uri: sb.demo.outputS3Uri };
  const run = startRun({ document, documentText: SEED_TEXT, workflowId: ONBOARD, inputs, binding: session.binding, store: store.store, context: session.describe(), clock: sandboxClock() });
  const first = await run.done;
  expect(first.status).toBe('succeeded');
  expect(await countResources()).toEqual({ datastores: 1, jobs: 1 });

  // Damage as the full disk did: after the CreateDatastore request, half a line, then a whole line after it.
  const file = join(store.dir, run.runId, 'events.ndjson');
  const lines = readFileSync(file, 'utf8').split('\n');
  const cut = lines.findIndex((l) => l.includes('"request-sent"') && l.includes('"CreateDatastore"'));
  const damagedText = `${lines.slice(0, cut + 1).join('\n')}\n${lines[cut + 1]!.slice(0, 30)}${lines.slice(cut + 2).join('\n')}`;
  writeFileSync(file, damagedText);

  const listed = (await store.store.list()).find((s) => s.runId === run.runId);
  expect(listed?.damage).toMatchObject({ line: cut + 2 });
  const refused = await resumeRun({ runId: run.runId, document, documentText: SEED_TEXT, binding: session.binding, store: store.store, clock: sandboxClock() }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(RunLogDamagedError);
  expect((refused as Error).message).toContain(`damaged at line ${cut + 2}`);
  // Refused before anything was appended.
  expect(readFileSync(file, 'utf8')).toBe(damagedText);

  const repair = await repairRunLog(store.dir, run.runId);
  expect(repair).toMatchObject({ repaired: true, keptEvents: cut + 1, damage: { line: cut + 2 } });
  expect(existsSync(repair.backupPath!) && readFileSync(repair.backupPath!, 'utf8')).toBe(damagedText);

  const after: RunEvent[] = [];
  const resumed = await resumeRun({ runId: run.runId, document, documentText: SEED_TEXT, binding: session.binding, store: store.store, clock: sandboxClock(), onEvent: (e) => after.push(e) });
  const ended = await resumed.done;
  expect(ended.status).toBe('succeeded');
  expect(ended.outputs).toMatchObject({ datastoreId: first.outputs['datastoreId'], jobStatus: 'COMPLETED' });
  expect(after[0]).toMatchObject({ type: 'run-resumed', stepId: 'createDatastore' });
  // Same client tokens: the service answered with the data store and job it already had.
  expect(await countResources()).toEqual({ datastores: 1, jobs: 1 });
  const log = await store.store.read(run.runId);
  expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
});
