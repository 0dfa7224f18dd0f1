/**
 * The application layer's use cases without Electron or the CLI: the sandbox host, the session
 * registry and the run service drive real runs through the real SDK against the sandbox.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListDatastoresCommand } from '@aws-sdk/client-medical-imaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_PROFILE } from '../../contract/ipc';
import { startSandbox } from '../../sandbox/index';
import { loadWorkflowDocument } from '../arazzo/document';
import type { RunEvent } from '../engine/events';
import { BUNDLED_WORKFLOW_FILE, ONBOARD_WORKFLOW_ID } from '../healthimaging/workflows';
import { createRunStore } from '../runs/run-store';
import { createRunService, RunAlreadyActiveError, type SettledRun } from './runs';
import { createSandboxHost, DEMO_POLLING, DEMO_TIME_SCALE, demoOnboardingInputs, sandboxTarget } from './sandbox-host';
import { createSessionRegistry } from './sessions';

const target = { profile: SANDBOX_PROFILE, region: 'us-east-1' };
let dir: string;
let starts = 0;
const host = createSandboxHost(async () => {
  starts++;
  return startSandbox({ dataDir: path.join(dir, 'sandbox'), timeScale: DEMO_TIME_SCALE, demoData: true });
});
const sessions = createSessionRegistry({ env: {}, sandbox: async () => sandboxTarget(await host.get()) });
let documentText: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'core-app-'));
  documentText = await readFile(path.resolve(import.meta.dirname, '../../assets', BUNDLED_WORKFLOW_FILE), 'utf8');
});
afterAll(async () => {
  await sessions.closeAll();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

function service() {
  const events: RunEvent[] = [];
  const settled: SettledRun[] = [];
  const store = createRunStore(path.join(dir, 'runs'));
  const runs = createRunService({ store, onEvent: (e) => events.push(e), onSettled: (s) => settled.push(s) });
  return { runs, store, events, settled };
}

async function plan(inputPrefix?: 'withErrors') {
  const session = await sessions.sessionFor(target);
  const demo = (await host.get()).demo as { inputS3Uri: string; outputS3Uri: string; dataAccessRoleArn: string; withErrorsInputS3Uri?: string };
  const inputs = { ...demoOnboardingInputs(demo), ...(inputPrefix ? { inputS3Uri: demo.withErrorsInputS3Uri } : {}) };
  return { session, document: loadWorkflowDocument(documentText), documentText, workflowId: ONBOARD_WORKFLOW_ID, inputs, polling: DEMO_POLLING };
}

describe('core/app against the sandbox', () => {
  it('one sandbox and one session per target, however often they are asked for', async () => {
    const [a, b] = await Promise.all([sessions.sessionFor(target), sessions.sessionFor(target)]);
    expect(a).toBe(b);
    await host.get();
    expect(starts).toBe(1);
  });

  it('runs an onboarding to its end: the import results are recorded, then onSettled hears "succeeded" once', async () => {
    const { runs, store, events, settled } = service();
    const run = await runs.start(await plan());
    // Answered once the first event is durable: the log exists.
    expect((await store.read(run.runId)).length).toBeGreaterThan(0);
    expect(runs.get(run.runId)).toBe(run);
    const result = await runs.settled(run.runId)!;
    expect(result.outcome).toBe('succeeded');
    expect(result.importResults).toMatchObject({ state: 'read' });
    expect(settled).toEqual([result]);
    expect(runs.list()).toEqual([]);
    const log = await store.read(run.runId);
    expect(log.at(-1)).toMatchObject({ type: 'import-results' });
    expect(events.map((e) => e.seq)).toEqual(log.map((e) => e.seq));
  });

  it('a COMPLETED job with failed files settles as completed_with_errors', async () => {
    const { runs } = service();
    const run = await runs.start(await plan('withErrors'));
    const result = await runs.settled(run.runId)!;
    expect(result.ended.status).toBe('succeeded');
    expect(result.outcome).toBe('completed_with_errors');
  });

  it('a second resume of the same run is refused before anything is read; the first drives it to the end once', async () => {
    const { runs, store } = service();
    const datastoreName = `resume-once-${Date.now()}`;
    const p0 = await plan();
    const first = await runs.start({ ...p0, inputs: { ...p0.inputs, datastoreName } });
    first.handle.cancel('test: stop early');
    expect((await runs.settled(first.runId)!).outcome).toBe('cancelled');

    let prepared = 0;
    const prepare = async () => {
      prepared++;
      const p = await plan();
      return { session: p.session, document: p.document, documentText, polling: DEMO_POLLING };
    };
    const a = runs.resume(first.runId, prepare);
    const b = runs.resume(first.runId, prepare);
    await expect(b).rejects.toBeInstanceOf(RunAlreadyActiveError);
    const resumed = await a;
    expect(prepared).toBe(1);
    expect((await runs.settled(resumed.runId)!).outcome).toBe('succeeded');
    const log = await store.read(first.runId);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log.filter((e) => e.type === 'run-ended')).toHaveLength(2);
    const session = await sessions.sessionFor(target);
    const { datastoreSummaries = [] } = await session.medicalImaging.send(new ListDatastoresCommand({}));
    expect(datastoreSummaries.filter((d) => d.datastoreName === datastoreName)).toHaveLength(1);
  });
});
