/**
 * Reports of the second shipped workflow (import-into-datastore), from real logs: the engine
 * through the real SDK against the sandbox. Its steps come from run-started (no createDatastore),
 * the data store's name from the service's GetDatastore answer, and a run that never learned the
 * name is filed under the data store id.
 */
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { createAwsSession, type AwsSession } from '../aws/session';
import { loadWorkflowDocument } from '../arazzo/document';
import type { RunEvent } from '../engine/events';
import { startRun } from '../engine/run';
import { SEED_TEXT, tempStore } from '../engine/test-support/harness';
import { IMPORT_INTO_WORKFLOW_ID, ONBOARD_WORKFLOW_ID } from '../healthimaging/workflows';
import { buildReport } from './build';
import { reportFileName } from './file-name';
import { renderReport } from './render';
import { renderJson } from './render-json';
import schema from './report.schema.json';

const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
const FAST = { initialDelayMs: 40, multiplier: 1.5, maxDelayMs: 200, stepTimeoutMs: 60_000, errorBudgetMs: 10_000, fastPhaseMs: 0 };
const NAME = 'report-import-into';

let sb: Sandbox;
let session: AwsSession;
const stores: Array<() => void> = [];

beforeAll(async () => {
  sb = await startSandbox({ timeScale: 600 });
  session = await createAwsSession({ sandbox: { endpoint: sb.url, region: sb.region, credentials: sb.credentials } });
});
afterAll(async () => {
  session?.close();
  await sb?.close();
  stores.splice(0).forEach((f) => f());
});

async function run(workflowId: string, inputs: Record<string, unknown>): Promise<RunEvent[]> {
  const { store, cleanup } = tempStore();
  stores.push(cleanup);
  const handle = startRun({
    document: loadWorkflowDocument(SEED_TEXT, { binding: session.binding }),
    documentText: SEED_TEXT,
    workflowId,
    inputs,
    binding: session.binding,
    store,
    context: session.describe(),
    polling: FAST,
  });
  await handle.done;
  return store.read(handle.runId);
}

const importInputs = (datastoreId: string) => ({
  datastoreId,
  dataAccessRoleArn: sb.demo.dataAccessRoleArn,
  importClientToken: '',
  inputS3Uri: sb.demo.inputS3Uri,
  outputS3Uri: sb.demo.outputS3Uri,
});

async function onboard(name: string): Promise<string> {
  const events = await run(ONBOARD_WORKFLOW_ID, {
    datastoreName: name,
    datastoreClientToken: '',
    dataAccessRoleArn: sb.demo.dataAccessRoleArn,
    importClientToken: '',
    inputS3Uri: sb.demo.inputS3Uri,
    outputS3Uri: sb.demo.outputS3Uri,
  });
  const ended = events.find((e) => e.type === 'run-ended');
  if (ended?.type !== 'run-ended' || ended.status !== 'succeeded') throw new Error('the onboarding did not succeed');
  return String(ended.outputs.datastoreId);
}

describe('the report of an import into an existing data store', () => {
  it('lists the three steps of its workflow, names the store from GetDatastore and is filed under that name', async () => {
    const datastoreId = await onboard(NAME);
    const events = await run(IMPORT_INTO_WORKFLOW_ID, importInputs(datastoreId));
    const report = buildReport(events, { now: new Date('2026-03-12T10:00:00Z') });
    expect(report.workflowId).toBe(IMPORT_INTO_WORKFLOW_ID);
    expect(report.status).toBe('succeeded');
    expect(report.steps.map((s) => [s.stepId, s.operationId, s.status])).toEqual([
      ['checkDatastore', 'GetDatastore', 'succeeded'],
      ['startImportJob', 'StartDICOMImportJob', 'succeeded'],
      ['pollImportJob', 'GetDICOMImportJob', 'succeeded'],
    ]);
    expect(report.outputs).toMatchObject({ datastoreId, datastoreName: NAME, datastoreStatus: 'ACTIVE', jobStatus: 'COMPLETED' });
    expect(report.outcome.code).toBe('succeeded');
    expect(report.outcome.summary).toContain(`Data store ${NAME} (${datastoreId}) is ACTIVE and import job`);
    expect(report.apiCalls.byOperation.map((o) => o.operationId)).not.toContain('CreateDatastore');
    expect(reportFileName(report, 'html')).toMatch(new RegExp(`^ahi-onboarding-${NAME}-\\d{4}-\\d{2}-\\d{2}\\.html$`));
    expect(validate(JSON.parse(renderJson(report))), JSON.stringify(validate.errors)).toBe(true);
    for (const format of ['md', 'html'] as const) {
      const text = renderReport(events, format);
      expect(text).toContain('checkDatastore');
      expect(text).not.toContain('createDatastore');
    }
  });

  it('a store that is not ACTIVE: the report says the run failed at checkDatastore, naming the status', async () => {
    const datastoreId = await onboard(`${NAME}-deleting`);
    sb.faults.setDatastoreStatus(datastoreId, 'DELETING');
    const report = buildReport(await run(IMPORT_INTO_WORKFLOW_ID, importInputs(datastoreId)));
    expect(report.status).toBe('failed');
    expect(report.outcome.summary).toMatch(/^The run failed at step checkDatastore\. .*status DELETING/);
    expect(report.steps.map((s) => s.status)).toEqual(['failed', 'not_run', 'not_run']);
    expect(report.outputs).toMatchObject({ datastoreId, datastoreStatus: 'DELETING' });
    expect(report.outputs.jobId).toBeUndefined();
    expect(validate(JSON.parse(renderJson(report))), JSON.stringify(validate.errors)).toBe(true);
  });

  it('a store the service does not know: no name was learned, so the file is named by the data store id', async () => {
    const unknown = 'f'.repeat(32);
    const report = buildReport(await run(IMPORT_INTO_WORKFLOW_ID, importInputs(unknown)));
    expect(report.outputs.datastoreName).toBeUndefined();
    expect(report.outputs.datastoreId).toBe(unknown);
    expect(report.error).toMatchObject({ code: 'ResourceNotFoundException', stepId: 'checkDatastore' });
    expect(reportFileName(report, 'json')).toMatch(new RegExp(`^ahi-onboarding-${unknown}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
  });
});
