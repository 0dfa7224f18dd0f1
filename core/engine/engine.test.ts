import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from './events';
import { createManualClock } from './manual-clock';
import { InvalidInputsError } from './inputs';
import { startRun } from './run';
import { createFakeHealthImaging, DENIED, EXPIRED, INTERNAL, NETWORK, THROTTLED } from './test-support/fake-healthimaging';
import { CONTEXT, ONBOARD, SEED_INPUTS, SEED_TEXT, seedDocument, tempStore, types } from './test-support/harness';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function setup(fakeOpts: Parameters<typeof createFakeHealthImaging>[0] = {}, clockOpts: { auto?: boolean } = { auto: true }) {
  const fake = createFakeHealthImaging(fakeOpts);
  const { store, cleanup } = tempStore();
  cleanups.push(cleanup);
  const clock = createManualClock(clockOpts);
  const events: RunEvent[] = [];
  const document = seedDocument(fake);
  const start = (extra: Partial<Parameters<typeof startRun>[0]> = {}) =>
    startRun({ document, documentText: SEED_TEXT, workflowId: ONBOARD, inputs: SEED_INPUTS, binding: fake, store, context: CONTEXT, clock, onEvent: (e) => events.push(e), ...extra });
  return { fake, store, clock, events, start, document };
}

describe('the seed workflow on a fake binding', () => {
  it('succeeds: creates, polls until ACTIVE, imports, polls until COMPLETED', async () => {
    const { fake, events, start, store } = setup({ datastoreStatuses: ['CREATING', 'CREATING', 'ACTIVE'], jobStatuses: ['SUBMITTED', 'IN_PROGRESS', 'COMPLETED'] });
    const run = start();
    const ended = await run.done;
    expect(ended.status).toBe('succeeded');
    expect(ended.outputs).toEqual({ datastoreId: expect.stringMatching(/^d{31}0$/), jobId: 'job0', jobStatus: 'COMPLETED' });
    expect(fake.count('CreateDatastore')).toBe(1);
    expect(fake.count('GetDatastore')).toBe(3);
    expect(fake.count('StartDICOMImportJob')).toBe(1);
    expect(fake.count('GetDICOMImportJob')).toBe(3);
    // step-started once per step, not per poll
    expect(events.filter((e) => e.type === 'step-started').map((e) => (e as { stepId: string }).stepId)).toEqual([
      'createDatastore',
      'pollDatastore',
      'startImportJob',
      'pollImportJob',
    ]);
    const pollResponses = events.filter((e) => e.type === 'response-received' && e.stepId === 'pollDatastore');
    expect(pollResponses.map((e) => (e as { observedStatus?: string }).observedStatus)).toEqual(['CREATING', 'CREATING', 'ACTIVE']);
    // every event was recorded, in order, with seq 1..n
    const logged = await store.read(run.runId);
    expect(logged).toEqual(events);
    expect(logged.map((e) => e.seq)).toEqual(logged.map((_, i) => i + 1));
    expect(types(events)[0]).toBe('run-started');
    expect(types(events).at(-1)).toBe('run-ended');
    // the create request carried the client token from the inputs
    const sent = events.find((e) => e.type === 'request-sent' && e.operationId === 'CreateDatastore');
    expect(sent).toMatchObject({ clientToken: 'ds-token-1', input: { datastoreName: 'onboarding-test', clientToken: 'ds-token-1' } });
  });

  it('waits between polls by the polling policy, never zero (goto loops get a delay)', async () => {
    const { clock, start } = setup({ datastoreStatuses: ['CREATING', 'CREATING', 'CREATING', 'ACTIVE'], jobStatuses: ['COMPLETED'] });
    const run = start({ polling: { initialDelayMs: 1000, multiplier: 2, maxDelayMs: 3000, fastPhaseMs: 0 } });
    await run.done;
    expect(clock.sleeps).toEqual([1000, 2000, 3000]);
  });

  it('CREATE_FAILED ends the run failed through datastoreFailed, with no import and no jobId', async () => {
    const { fake, events, start } = setup({ datastoreStatuses: ['CREATING', 'CREATE_FAILED'] });
    const ended = await start().done;
    expect(ended.status).toBe('failed');
    expect(ended.resumable).toBe(false);
    expect(ended.error).toMatchObject({ code: 'FailureStatus', stepId: 'pollDatastore' });
    expect(ended.error!.message).toContain('CREATE_FAILED');
    expect(ended.error!.message).toContain('datastoreFailed');
    expect(fake.count('StartDICOMImportJob')).toBe(0);
    expect(ended.outputs).toEqual({ datastoreId: expect.any(String) });
    expect('jobId' in ended.outputs).toBe(false);
    const stepEnded = events.filter((e) => e.type === 'step-ended').at(-1)!;
    expect(stepEnded).toMatchObject({ stepId: 'pollDatastore', outcome: 'failed', action: { type: 'end', name: 'datastoreFailed' }, observedStatus: 'CREATE_FAILED' });
  });

  it('a FAILED job ends the run failed through jobFailed, with the service message', async () => {
    const { start } = setup({ datastoreStatuses: ['ACTIVE'], jobStatuses: ['SUBMITTED', 'IN_PROGRESS', 'FAILED'] });
    const ended = await start().done;
    expect(ended.status).toBe('failed');
    expect(ended.error!.message).toMatch(/jobFailed.*FAILED.*role cannot read the input bucket/);
    expect(ended.outputs).toMatchObject({ jobStatus: 'FAILED' });
  });

  it('a status the document does not name (DELETING) stops the run naming it and never imports', async () => {
    const { fake, start } = setup({ datastoreStatuses: ['CREATING', 'DELETING'] });
    const ended = await start().done;
    expect(ended.status).toBe('failed');
    expect(ended.error).toMatchObject({ code: 'UnnamedStatus', stepId: 'pollDatastore' });
    expect(ended.error!.message).toContain('DELETING');
    expect(ended.error!.message).toContain('startImportJob');
    expect(fake.count('StartDICOMImportJob')).toBe(0);
  });

  it('survives a throttling storm by slowing down, never failing', async () => {
    const storm = Array.from({ length: 12 }, () => ({ ...THROTTLED }));
    const { fake, clock, events, start } = setup({ datastoreStatuses: ['CREATING', 'ACTIVE'], jobStatuses: ['COMPLETED'], faults: { GetDatastore: storm } });
    const ended = await start({ polling: { initialDelayMs: 1000, multiplier: 1.5, maxDelayMs: 4000, errorBudgetMs: 1000, fastPhaseMs: 0 } }).done;
    expect(ended.status).toBe('succeeded');
    const waits = events.filter((e) => e.type === 'waiting' && e.reason === 'throttled').map((e) => (e as { delayMs: number }).delayMs);
    expect(waits).toHaveLength(12);
    expect(waits[0]).toBe(2000);
    // doubles, never below the current delay, capped at twice maxDelayMs
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]!);
    expect(Math.max(...waits)).toBe(8000);
    expect(fake.count('GetDatastore')).toBe(14);
    expect(clock.sleeps.every((ms) => ms <= 8000)).toBe(true);
  });

  it('honours Retry-After when it is longer than the doubled delay', async () => {
    const { events, start } = setup({ datastoreStatuses: ['ACTIVE'], jobStatuses: ['COMPLETED'], faults: { CreateDatastore: [{ ...THROTTLED, retryAfterMs: 45_000 }] } });
    await start().done;
    const wait = events.find((e) => e.type === 'waiting');
    expect(wait).toMatchObject({ reason: 'throttled', delayMs: 45_000, stepId: 'createDatastore' });
  });

  it('retries 5xx and network errors within the error budget', async () => {
    const { fake, start } = setup({ datastoreStatuses: ['ACTIVE'], jobStatuses: ['IN_PROGRESS', 'COMPLETED'], faults: { GetDICOMImportJob: [INTERNAL, NETWORK, INTERNAL] } });
    const ended = await start({ polling: { initialDelayMs: 1000, maxDelayMs: 10_000, errorBudgetMs: 60_000 } }).done;
    expect(ended.status).toBe('succeeded');
    expect(fake.count('GetDICOMImportJob')).toBe(5);
    expect(fake.count('StartDICOMImportJob')).toBe(1);
  });

  it('ends with status error and the last code when transient faults outlast the budget', async () => {
    const many = Array.from({ length: 50 }, () => ({ ...INTERNAL }));
    const { start } = setup({ datastoreStatuses: ['ACTIVE'], faults: { GetDatastore: many } });
    const ended = await start({ polling: { initialDelayMs: 1000, maxDelayMs: 2000, errorBudgetMs: 10_000 } }).done;
    expect(ended.status).toBe('error');
    expect(ended.resumable).toBe(true);
    expect(ended.error).toMatchObject({ code: 'InternalServerException', stepId: 'pollDatastore', httpStatus: 500 });
  });

  it('a client fault (access denied) ends the run with its code, nothing retried', async () => {
    const { fake, start } = setup({ faults: { CreateDatastore: [DENIED] } });
    const ended = await start().done;
    expect(ended.status).toBe('error');
    expect(ended.error).toMatchObject({ code: 'AccessDeniedException', httpStatus: 403, stepId: 'createDatastore' });
    expect(fake.count('CreateDatastore')).toBe(1);
    expect(fake.count('GetDatastore')).toBe(0);
  });

  it('pauses on expired credentials and re-sends after continue(), losing nothing', async () => {
    const { fake, events, start } = setup({ datastoreStatuses: ['ACTIVE'], jobStatuses: ['COMPLETED'], faults: { StartDICOMImportJob: [EXPIRED] } }, { auto: true });
    const run = start({
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'run-paused') setTimeout(() => run.continue(), 5);
      },
    });
    const ended = await run.done;
    expect(ended.status).toBe('succeeded');
    const t = types(events);
    expect(t).toContain('run-paused');
    expect(t.indexOf('run-continued')).toBeGreaterThan(t.indexOf('run-paused'));
    const paused = events.find((e) => e.type === 'run-paused')!;
    expect(paused).toMatchObject({ stepId: 'startImportJob', reason: 'credentials-expired', error: { code: 'ExpiredTokenException' } });
    const starts = events.filter((e) => e.type === 'request-sent' && e.operationId === 'StartDICOMImportJob');
    expect(starts.map((e) => (e as { clientToken?: string }).clientToken)).toEqual(['import-token-1', 'import-token-1']);
    expect(fake.created.jobs).toBe(1);
  });

  it('reports state paused while waiting for continue, and cancel ends a paused run', async () => {
    const { start } = setup({ faults: { CreateDatastore: [EXPIRED] } });
    let run!: ReturnType<typeof start>;
    const paused = new Promise<void>((resolve) => {
      run = start({ onEvent: (e) => e.type === 'run-paused' && resolve() });
    });
    await paused;
    await new Promise((r) => setImmediate(r));
    expect(run.state).toBe('paused');
    run.cancel('user gave up');
    const ended = await run.done;
    expect(ended.status).toBe('cancelled');
    expect(ended.resumable).toBe(true);
  });

  it('rejects invalid inputs before anything is sent or recorded', async () => {
    const { fake, start, store } = setup();
    expect(() => start({ inputs: { ...SEED_INPUTS, dataAccessRoleArn: 'not-an-arn', inputS3Uri: 's3://UPPER/x' } })).toThrow(InvalidInputsError);
    try {
      start({ inputs: { ...SEED_INPUTS, dataAccessRoleArn: 'not-an-arn' } });
    } catch (e) {
      expect((e as InvalidInputsError).issues).toEqual([{ field: 'dataAccessRoleArn', message: expect.stringContaining('dataAccessRoleArn must be an IAM role ARN') }]);
    }
    expect(fake.calls).toHaveLength(0);
    expect(await store.list()).toEqual([]);
  });

  it('generates empty client tokens, records them, and sends them', async () => {
    const { events, start } = setup({ datastoreStatuses: ['ACTIVE'], jobStatuses: ['COMPLETED'] });
    await start({ inputs: { ...SEED_INPUTS, datastoreClientToken: '', importClientToken: undefined } }).done;
    const started = events[0]!;
    if (started.type !== 'run-started') throw new Error('first event');
    expect(started.inputs.datastoreClientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(started.inputs.importClientToken).toMatch(/^[0-9a-f-]{36}$/);
    const creates = events.filter((e) => e.type === 'request-sent' && e.operationId === 'CreateDatastore');
    expect((creates[0] as { clientToken?: string }).clientToken).toBe(started.inputs.datastoreClientToken);
  });
});

describe('waiting, poll now and cancel on a manual clock', () => {
  it('pollNow() ends a wait at once', async () => {
    const { clock, fake, start } = setup({ datastoreStatuses: ['CREATING', 'ACTIVE'], jobStatuses: ['COMPLETED'] }, { auto: false });
    const run = start();
    await clock.sleeping();
    expect(run.state).toBe('waiting');
    expect(fake.count('GetDatastore')).toBe(1);
    run.pollNow();
    const ended = await run.done;
    expect(ended.status).toBe('succeeded');
    expect(fake.count('GetDatastore')).toBe(2);
  });

  it('cancel during a wait ends cancelled and resumable, deletes nothing', async () => {
    const { clock, fake, events, start } = setup({ datastoreStatuses: ['CREATING'] }, { auto: false });
    const run = start();
    await clock.sleeping();
    run.cancel();
    const ended = await run.done;
    expect(ended.status).toBe('cancelled');
    expect(ended.resumable).toBe(true);
    expect(ended.outputs).toEqual({ datastoreId: expect.any(String) });
    expect(fake.calls.map((c) => c.operationId)).toEqual(['CreateDatastore', 'GetDatastore']);
    expect(events.at(-2)).toMatchObject({ type: 'step-ended', stepId: 'pollDatastore', outcome: 'cancelled' });
  });

  it('an AbortSignal cancels a request in flight', async () => {
    const controller = new AbortController();
    const { start } = setup({
      onSend: (req, signal) =>
        req.operationId === 'GetDatastore'
          ? new Promise<void>((_, reject) => {
              signal?.addEventListener('abort', () => reject(signal.reason));
              controller.abort('stop');
            })
          : undefined,
    });
    const ended = await start({ signal: controller.signal }).done;
    expect(ended.status).toBe('cancelled');
  });

  it('a polling step that passes its deadline ends timed_out, resumable', async () => {
    const { start } = setup({ datastoreStatuses: ['CREATING'] });
    const ended = await start({ polling: { initialDelayMs: 10_000, maxDelayMs: 10_000, stepTimeoutMs: 60_000 } }).done;
    expect(ended.status).toBe('timed_out');
    expect(ended.resumable).toBe(true);
    expect(ended.error).toMatchObject({ code: 'DeadlineExceeded', stepId: 'pollDatastore' });
    expect(ended.error!.message).toContain('CREATING');
  });
});
