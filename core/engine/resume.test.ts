import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from './events';
import { createManualClock } from './manual-clock';
import { resumeRun, RunNotResumableError, RunResumeError, startRun } from './run';
import { createFakeHealthImaging } from './test-support/fake-healthimaging';
import { CONTEXT, ONBOARD, SEED_INPUTS, SEED_TEXT, seedDocument, tempStore, types } from './test-support/harness';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function env(fakeOpts: Parameters<typeof createFakeHealthImaging>[0] = {}) {
  const fake = createFakeHealthImaging(fakeOpts);
  const t = tempStore();
  cleanups.push(t.cleanup);
  return { fake, ...t, document: seedDocument(fake) };
}

describe('resume', () => {
  it('cancel during the import poll, then resume: same job, no second create or start', async () => {
    const { fake, store, document } = env({ datastoreStatuses: ['CREATING', 'ACTIVE'], jobStatuses: ['SUBMITTED', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED'] });
    const clock = createManualClock();
    const run = startRun({ document, documentText: SEED_TEXT, workflowId: ONBOARD, inputs: SEED_INPUTS, binding: fake, store, context: CONTEXT, clock });
    // Let it reach the import poll's first wait.
    for (;;) {
      await clock.sleeping();
      if (fake.count('GetDICOMImportJob') > 0) break;
      await clock.advance(60_000);
    }
    run.cancel();
    const first = await run.done;
    expect(first.status).toBe('cancelled');
    expect(first.outputs).toMatchObject({ jobId: 'job0' });

    const events: RunEvent[] = [];
    const resumed = await resumeRun({ runId: run.runId, document, documentText: SEED_TEXT, binding: fake, store, clock: createManualClock({ auto: true }), onEvent: (e) => events.push(e) });
    const ended = await resumed.done;
    expect(ended.status).toBe('succeeded');
    expect(ended.outputs).toEqual({ datastoreId: expect.any(String), jobId: 'job0', jobStatus: 'COMPLETED' });
    expect(fake.count('CreateDatastore')).toBe(1);
    expect(fake.count('StartDICOMImportJob')).toBe(1);
    expect(events[0]).toMatchObject({ type: 'run-resumed', stepId: 'pollImportJob' });
    expect(events[0]!.seq).toBe(first.seq + 1);
    // The whole log reads as one run with strictly increasing seq.
    const log = await store.read(run.runId);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    // attempts keep counting across the resume
    const attempts = log.filter((e) => e.type === 'request-sent' && e.stepId === 'pollImportJob').map((e) => (e as { attempt: number }).attempt);
    expect(attempts).toEqual(attempts.map((_, i) => i + 1));
  });

  it('a kill between sending CreateDatastore and recording its answer re-sends the same token: one data store', async () => {
    const { fake, store, dir, document } = env({ datastoreStatuses: ['ACTIVE'], jobStatuses: ['COMPLETED'] });
    const clock = createManualClock({ auto: true });
    const run = startRun({ document, documentText: SEED_TEXT, workflowId: ONBOARD, inputs: SEED_INPUTS, binding: fake, store, context: CONTEXT, clock });
    await run.done;
    expect(fake.created.datastores).toBe(1);
    // Simulate the kill: keep the log up to the CreateDatastore request-sent and a torn half line.
    const file = join(dir, run.runId, 'events.ndjson');
    const lines = readFileSync(file, 'utf8').split('\n');
    const cut = lines.findIndex((l) => l.includes('"request-sent"') && l.includes('CreateDatastore'));
    writeFileSync(file, `${lines.slice(0, cut + 1).join('\n')}\n${lines[cut + 1]!.slice(0, 25)}`);

    const events: RunEvent[] = [];
    const resumed = await resumeRun({ runId: run.runId, document, documentText: SEED_TEXT, binding: fake, store, clock, onEvent: (e) => events.push(e) });
    const ended = await resumed.done;
    expect(ended.status).toBe('succeeded');
    expect(events[0]).toMatchObject({ type: 'run-resumed', stepId: 'createDatastore' });
    expect((events[0] as { reason: string }).reason).toContain('same client token');
    const creates = fake.calls.filter((c) => c.operationId === 'CreateDatastore');
    expect(creates.map((c) => (c.body as { clientToken: string }).clientToken)).toEqual(['ds-token-1', 'ds-token-1']);
    expect(fake.created.datastores).toBe(1);
    // The torn line was cut: the log parses completely and seq continues.
    const log = await store.read(run.runId);
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
  });

  it('a run that ended failed or succeeded cannot be resumed', async () => {
    const { fake, store, document } = env({ datastoreStatuses: ['CREATE_FAILED'] });
    const run = startRun({ document, documentText: SEED_TEXT, workflowId: ONBOARD, inputs: SEED_INPUTS, binding: fake, store, context: CONTEXT, clock: createManualClock({ auto: true }) });
    await run.done;
    await expect(resumeRun({ runId: run.runId, document, documentText: SEED_TEXT, binding: fake, store })).rejects.toThrow(RunNotResumableError);
  });

  it('refuses to resume with a different workflow document', async () => {
    const { fake, store, document } = env({ datastoreStatuses: ['CREATING'] });
    const clock = createManualClock();
    const run = startRun({ document, documentText: SEED_TEXT, workflowId: ONBOARD, inputs: SEED_INPUTS, binding: fake, store, context: CONTEXT, clock });
    await clock.sleeping();
    run.cancel();
    await run.done;
    await expect(resumeRun({ runId: run.runId, document, documentText: `${SEED_TEXT}\n# edited`, binding: fake, store })).rejects.toThrow(RunResumeError);
  });

  it('a timed-out run resumes polling the same data store with a fresh deadline', async () => {
    const { fake, store, document } = env({ datastoreStatuses: ['CREATING', 'CREATING', 'CREATING', 'ACTIVE'], jobStatuses: ['COMPLETED'] });
    const clock = createManualClock({ auto: true });
    const polling = { initialDelayMs: 1000, maxDelayMs: 1000, stepTimeoutMs: 1500 };
    const run = startRun({ document, documentText: SEED_TEXT, workflowId: ONBOARD, inputs: SEED_INPUTS, binding: fake, store, context: CONTEXT, clock, polling });
    const first = await run.done;
    expect(first.status).toBe('timed_out');
    const resumed = await resumeRun({ runId: run.runId, document, documentText: SEED_TEXT, binding: fake, store, clock, polling: { ...polling, stepTimeoutMs: 60_000 } });
    const ended = await resumed.done;
    expect(ended.status).toBe('succeeded');
    expect(fake.count('CreateDatastore')).toBe(1);
    expect(new Set(fake.calls.filter((c) => c.operationId === 'GetDatastore').map((c) => c.pathParameters.datastoreId)).size).toBe(1);
  });

  it('records the resume context and the interruption in run-resumed', async () => {
    const { fake, store, document } = env({ datastoreStatuses: ['CREATING'] });
    const clock = createManualClock();
    const run = startRun({ document, documentText: SEED_TEXT, workflowId: ONBOARD, inputs: SEED_INPUTS, binding: fake, store, context: CONTEXT, clock });
    await clock.sleeping();
    run.cancel();
    await run.done;
    const resumed = await resumeRun({ runId: run.runId, document, documentText: SEED_TEXT, binding: fake, store, clock, context: { region: 'us-west-2', sandbox: true, profile: 'other' } });
    await clock.sleeping();
    resumed.cancel();
    await resumed.done;
    const log = await store.read(run.runId);
    const r = log.find((e) => e.type === 'run-resumed')!;
    expect(r).toMatchObject({ reason: expect.stringContaining('cancelled'), context: { profile: 'other' } });
    expect(types(log).filter((t) => t === 'run-ended')).toHaveLength(2);
    const summary = (await store.list())[0]!;
    expect(summary).toMatchObject({ runId: run.runId, status: 'cancelled', resumable: true, context: { region: 'us-west-2' } });
  });
});
