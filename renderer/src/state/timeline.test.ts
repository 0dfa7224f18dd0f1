import { describe, expect, it } from 'vitest';
import { ATTACH_WORKFLOW_ID } from '../../../core/healthimaging/workflows';
import { DATASTORE_ID, EventLogBuilder, importIntoRun, JOB_ID, successfulRun } from './__fixtures__/events';
import { buildTimeline, datastoreNameOf, emptyTimeline, isImportRun, isWatchRun, formatStatusHistory, learnedOutputs, outcomeTitle, progressAnnouncement, reduceTimeline, runOutcome, secondsUntil, stepElapsedMs } from './timeline';

describe('timeline reducer', () => {
  it('shows every step pending as soon as the run starts', () => {
    const view = buildTimeline(new EventLogBuilder().started().events);
    expect(view.phase).toBe('running');
    expect(view.steps.map((s) => [s.stepId, s.state])).toEqual([
      ['createDatastore', 'pending'],
      ['pollDatastore', 'pending'],
      ['startImportJob', 'pending'],
      ['pollImportJob', 'pending'],
    ]);
  });

  it('follows a whole onboarding: polls counted, statuses compressed, ids learned', () => {
    const view = buildTimeline(successfulRun());
    expect(view.phase).toBe('ended');
    expect(view.steps.every((s) => s.state === 'succeeded')).toBe(true);
    const pollDs = view.steps[1]!;
    expect(pollDs.responses).toBe(3);
    expect(pollDs.requests).toBe(3);
    expect(formatStatusHistory(pollDs.statusHistory)).toBe('CREATING ×2 → ACTIVE');
    expect(view.steps[0]!.outputs.datastoreId).toBe(DATASTORE_ID);
    expect(view.steps[2]!.outputs.jobId).toBe(JOB_ID);
    expect(learnedOutputs(view)).toMatchObject({ datastoreId: DATASTORE_ID, jobId: JOB_ID, jobStatus: 'COMPLETED' });
    expect(view.steps[3]!.requestIds.length).toBeLessThanOrEqual(5);
    expect(runOutcome(view)).toEqual({ kind: 'completed' });
  });

  it('keeps a polling step running (not succeeded) across its goto-to-itself loop, then waiting', () => {
    const b = new EventLogBuilder().started();
    b.add({ type: 'step-started', stepId: 'pollDatastore', operationId: 'GetDatastore' });
    b.call('pollDatastore', 'GetDatastore', 1, 'CREATING');
    b.add({ type: 'step-ended', stepId: 'pollDatastore', outcome: 'succeeded', observedStatus: 'CREATING', action: { type: 'goto', name: 'stillCreating', stepId: 'pollDatastore' } });
    let view = buildTimeline(b.events);
    expect(view.steps[1]!.state).toBe('running');
    expect(view.steps[1]!.endedAt).toBeUndefined();
    b.add({ type: 'waiting', stepId: 'pollDatastore', reason: 'poll', delayMs: 5000, nextAttemptAt: '2026-03-01T10:00:10.000Z' });
    view = buildTimeline(b.events);
    expect(view.steps[1]!.state).toBe('waiting');
    expect(view.steps[1]!.waiting).toEqual({ reason: 'poll', delayMs: 5000, nextAttemptAt: '2026-03-01T10:00:10.000Z' });
    expect(secondsUntil('2026-03-01T10:00:10.000Z', Date.parse('2026-03-01T10:00:05.200Z'))).toBe(5);
  });

  it('ignores duplicates and events of other runs, returning the same object', () => {
    const events = successfulRun();
    const view = buildTimeline(events);
    expect(reduceTimeline(view, events.slice(0, 10))).toBe(view);
    const other = new EventLogBuilder('run-2').started().events;
    expect(reduceTimeline(view, other.map((e) => ({ ...e, seq: 10_000 })))).toBe(view);
    expect(view.eventCount).toBe(events.length);
  });

  it('is the same whether events arrive one by one or all at once', () => {
    const events = successfulRun();
    const oneByOne = events.reduce((v, e) => reduceTimeline(v, [e]), emptyTimeline());
    expect(oneByOne).toEqual(buildTimeline(events));
  });

  it('records a recoverable error answer (throttling) without failing the step', () => {
    const b = new EventLogBuilder().started();
    b.add({ type: 'step-started', stepId: 'createDatastore', operationId: 'CreateDatastore' });
    b.add({ type: 'request-sent', stepId: 'createDatastore', operationId: 'CreateDatastore', attempt: 1, input: {} });
    b.add({ type: 'response-received', stepId: 'createDatastore', operationId: 'CreateDatastore', attempt: 1, httpStatus: 429, requestId: 'r-429', durationMs: 5, error: { code: 'ThrottlingException', message: 'Rate exceeded' } });
    b.add({ type: 'waiting', stepId: 'createDatastore', reason: 'throttled', delayMs: 12000, nextAttemptAt: '2026-03-01T10:00:20.000Z' });
    const view = buildTimeline(b.events);
    const step = view.steps[0]!;
    expect(step.state).toBe('waiting');
    expect(step.lastResponseError).toEqual({ code: 'ThrottlingException', message: 'Rate exceeded', httpStatus: 429 });
    expect(step.requestIds).toEqual(['r-429']);
    b.call('createDatastore', 'CreateDatastore', 2, 'CREATING', { datastoreId: DATASTORE_ID });
    expect(buildTimeline(b.events).steps[0]!.lastResponseError).toBeUndefined();
  });

  it('pauses on expired credentials and continues', () => {
    const b = new EventLogBuilder().started();
    b.add({ type: 'step-started', stepId: 'pollDatastore', operationId: 'GetDatastore' });
    b.add({ type: 'run-paused', stepId: 'pollDatastore', reason: 'credentials-expired', error: { code: 'CredentialsExpired', message: 'Your session expired', action: 'Run: aws sso login --profile dev' } });
    let view = buildTimeline(b.events);
    expect(view.phase).toBe('paused');
    expect(view.steps[1]!.state).toBe('paused');
    expect(runOutcome(view)).toMatchObject({ kind: 'paused', error: { code: 'CredentialsExpired' } });
    b.add({ type: 'run-continued', stepId: 'pollDatastore' });
    view = buildTimeline(b.events);
    expect(view.phase).toBe('running');
    expect(view.pause).toBeUndefined();
    expect(view.steps[1]!.state).toBe('running');
  });

  it('marks the step in flight as cancelled on cancel, leaves later steps pending, and resumes', () => {
    const b = new EventLogBuilder().started();
    b.add({ type: 'step-started', stepId: 'createDatastore', operationId: 'CreateDatastore' });
    b.call('createDatastore', 'CreateDatastore', 1, 'CREATING', { datastoreId: DATASTORE_ID });
    b.succeedStep('createDatastore', 'CREATING', { datastoreId: DATASTORE_ID });
    b.add({ type: 'step-started', stepId: 'pollDatastore', operationId: 'GetDatastore' });
    b.add({ type: 'waiting', stepId: 'pollDatastore', reason: 'poll', delayMs: 5000, nextAttemptAt: '2026-03-01T10:00:10.000Z' });
    b.ended('cancelled', { datastoreId: DATASTORE_ID }, { code: 'Cancelled', message: 'Cancelled by the user' }, true);
    let view = buildTimeline(b.events);
    expect(view.steps.map((s) => s.state)).toEqual(['succeeded', 'cancelled', 'pending', 'pending']);
    expect(runOutcome(view)).toMatchObject({ kind: 'cancelled', resumable: true });
    b.add({ type: 'run-resumed', stepId: 'pollDatastore', reason: 'resumed by the user' });
    view = buildTimeline(b.events);
    expect(view.phase).toBe('running');
    expect(view.steps[1]!.state).toBe('running');
    expect(view.status).toBeUndefined();
    expect(runOutcome(view)).toEqual({ kind: 'in-progress' });
  });

  it('treats CREATE_FAILED and a FAILED job as failures even when the workflow "ended" normally', () => {
    const b = new EventLogBuilder().started();
    b.add({ type: 'step-started', stepId: 'pollDatastore', operationId: 'GetDatastore' });
    b.call('pollDatastore', 'GetDatastore', 1, 'CREATE_FAILED');
    b.succeedStep('pollDatastore', 'CREATE_FAILED', undefined, { type: 'end', name: 'datastoreFailed' });
    b.ended('succeeded', { datastoreId: DATASTORE_ID });
    expect(runOutcome(buildTimeline(b.events))).toMatchObject({ kind: 'failed', title: 'The data store could not be created' });

    const job = successfulRun().filter((e) => e.type !== 'import-results').map((e) =>
      e.type === 'run-ended' ? { ...e, outputs: { ...e.outputs, jobStatus: 'FAILED' } } : e,
    );
    expect(runOutcome(buildTimeline(job))).toMatchObject({ kind: 'failed', title: 'The import job failed' });
    // The engine may class the ending as failed itself: the title still names what failed.
    const failedRun = job.map((e) => (e.type === 'run-ended' ? { ...e, status: 'failed' as const, error: { code: 'ImportJobFailed', message: 'Role could not be assumed' } } : e));
    expect(runOutcome(buildTimeline(failedRun))).toMatchObject({ kind: 'failed', title: 'The import job failed', message: 'HealthImaging reported the import job as FAILED.', detail: 'Role could not be assumed' });
  });

  it('says "completed with errors" when the import results show failed files', () => {
    const view = buildTimeline(successfulRun('run-1', { failedFiles: 3 }));
    expect(runOutcome(view)).toEqual({ kind: 'completed_with_errors', failedFiles: 3, importedFiles: 9 });
    expect(view.importResults?.failures).toHaveLength(3);
  });

  it('gives the failure in words with the next action from the run error', () => {
    const b = new EventLogBuilder().started(false);
    b.add({ type: 'step-started', stepId: 'createDatastore', operationId: 'CreateDatastore' });
    b.add({ type: 'request-sent', stepId: 'createDatastore', operationId: 'CreateDatastore', attempt: 1, input: {} });
    const error = { code: 'AccessDeniedException', message: 'You are not allowed to create data stores', action: 'Ask for medical-imaging:CreateDatastore', stepId: 'createDatastore', httpStatus: 403, requestId: 'r1' };
    b.add({ type: 'step-ended', stepId: 'createDatastore', outcome: 'failed', error });
    b.ended('failed', {}, error);
    const view = buildTimeline(b.events);
    expect(view.steps[0]!.state).toBe('failed');
    expect(view.steps[0]!.error).toEqual(error);
    expect(runOutcome(view)).toMatchObject({ kind: 'failed', message: error.message, action: error.action, resumable: false });
  });

  it('measures elapsed time from first start to end, or to now while running', () => {
    const view = buildTimeline(successfulRun());
    const poll = view.steps[1]!;
    const ended = stepElapsedMs(poll, Date.now())!;
    expect(ended).toBe(Date.parse(poll.endedAt!) - Date.parse(poll.startedAt!));
    expect(ended).toBeGreaterThan(4000); // two 2 s waits between three polls
    expect(stepElapsedMs(view.steps[0]!, 0)).toBeGreaterThan(0);
    expect(stepElapsedMs({ ...poll, startedAt: undefined }, 0)).toBeUndefined();
  });

  it('survives events for unknown steps', () => {
    const b = new EventLogBuilder().started();
    b.add({ type: 'step-started', stepId: 'nope', operationId: 'X' });
    expect(() => buildTimeline(b.events)).not.toThrow();
  });
});

describe('progress announcement', () => {
  const title = (s: { stepId: string }) => s.stepId;
  it('names the step and the status, not the wait countdown', () => {
    const events = successfulRun();
    const mid = buildTimeline(events.slice(0, 12));
    const text = progressAnnouncement(mid, title);
    expect(text).toMatch(/^Step 2 of 4: pollDatastore, status (CREATING|ACTIVE)\.$/);
    expect(progressAnnouncement(buildTimeline(events), title)).toBe('Onboarding completed.');
    expect(progressAnnouncement(buildTimeline(successfulRun('r', { failedFiles: 2 })), title)).toBe('Onboarding completed with errors: 2 files failed to import.');
  });
});

describe('outcome title', () => {
  it('is "Completed", "Completed with errors" or the failure', () => {
    expect(outcomeTitle(runOutcome(buildTimeline(successfulRun())))).toBe('Completed');
    expect(outcomeTitle(runOutcome(buildTimeline(successfulRun('r', { failedFiles: 1 }))))).toBe('Completed with errors');
    expect(outcomeTitle({ kind: 'failed', title: 'The import job failed', message: '', resumable: false })).toBe('The import job failed');
  });
});

describe('an import into an existing data store (import-into-datastore)', () => {
  it('shows the workflow\'s own three steps from run-started and completes like an onboarding', () => {
    const view = buildTimeline(importIntoRun());
    expect(isImportRun(view)).toBe(true);
    expect(view.steps.map((s) => [s.stepId, s.state])).toEqual([
      ['checkDatastore', 'succeeded'],
      ['startImportJob', 'succeeded'],
      ['pollImportJob', 'succeeded'],
    ]);
    expect(datastoreNameOf(view)).toBe('demo-store');
    expect(learnedOutputs(view)).toMatchObject({ datastoreId: DATASTORE_ID, jobStatus: 'COMPLETED' });
    expect(outcomeTitle(runOutcome(view))).toBe('Completed');
    expect(progressAnnouncement(view, (s) => s.stepId)).toBe('Import completed.');
  });

  it('a data store that is not ACTIVE: a plain sentence naming the status, the engine\'s words as detail, nothing started', () => {
    const view = buildTimeline(importIntoRun('run-3', { datastoreStatus: 'DELETING' }));
    const outcome = runOutcome(view);
    expect(outcome).toMatchObject({
      kind: 'failed',
      title: 'The data store is not ACTIVE',
      message: 'HealthImaging reports the data store as DELETING: no import job was started and nothing was changed.',
      detail: expect.stringContaining('status DELETING'),
      resumable: false,
    });
    expect(view.steps.map((s) => s.state)).toEqual(['failed', 'pending', 'pending']);
    expect(isImportRun(buildTimeline(successfulRun()))).toBe(false);
  });

  it('only a watch of a job started elsewhere (attach-to-import-job) is a watch run: its stop leaves the job alone', () => {
    expect(isWatchRun({ workflowId: ATTACH_WORKFLOW_ID })).toBe(true);
    expect(isImportRun({ workflowId: ATTACH_WORKFLOW_ID })).toBe(true);
    expect(isWatchRun(buildTimeline(importIntoRun()))).toBe(false);
    expect(isWatchRun(buildTimeline(successfulRun()))).toBe(false);
  });

  it('words other endings as an import, not an onboarding', () => {
    const b = new EventLogBuilder('run-4').startedImport();
    b.add({ type: 'step-started', stepId: 'checkDatastore', operationId: 'GetDatastore' });
    b.ended('cancelled', {}, undefined, true);
    expect(outcomeTitle(runOutcome(buildTimeline(b.events)))).toBe('Cancelled');
    const e = new EventLogBuilder('run-5').startedImport();
    e.ended('error', {}, { code: 'ResourceNotFoundException', message: 'No data store with that id.' }, true);
    expect(runOutcome(buildTimeline(e.events))).toMatchObject({ title: 'The import stopped on an error', message: 'No data store with that id.' });
  });

  it('says what a cancelled run kept when the engine recorded no error text', () => {
    const b = new EventLogBuilder('run-6').started();
    b.ended('cancelled', { datastoreId: DATASTORE_ID }, undefined, true);
    expect(runOutcome(buildTimeline(b.events))).toMatchObject({
      kind: 'cancelled',
      message: `The run was cancelled. Nothing was deleted: the data store ${DATASTORE_ID} it created is kept.`,
    });
    const early = new EventLogBuilder('run-7').started();
    early.ended('cancelled', {}, undefined, true);
    expect(runOutcome(buildTimeline(early.events))).toMatchObject({ message: 'The run was cancelled before anything was created.' });
  });
});
