/**
 * Recorded-shape event logs for tests (and the dev screenshot stub): what the engine emits for a
 * whole onboarding, with knobs for the failure paths.
 */
import type { RunEvent } from '../../../../contract/ipc';
import type { ImportResults, RunEventDraft } from '../eventTypes';

export const DATASTORE_ID = '0123456789abcdef0123456789abcdef';
export const JOB_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

export const STEPS = [
  { stepId: 'createDatastore', operationId: 'CreateDatastore', polling: false },
  { stepId: 'pollDatastore', operationId: 'GetDatastore', polling: true },
  { stepId: 'startImportJob', operationId: 'StartDICOMImportJob', polling: false },
  { stepId: 'pollImportJob', operationId: 'GetDICOMImportJob', polling: true },
];

export const IMPORT_STEPS = [
  { stepId: 'checkDatastore', operationId: 'GetDatastore', polling: false },
  { stepId: 'startImportJob', operationId: 'StartDICOMImportJob', polling: false },
  { stepId: 'pollImportJob', operationId: 'GetDICOMImportJob', polling: true },
];

export class EventLogBuilder {
  readonly events: RunEvent[] = [];
  private seq = 0;
  private clock: number;

  constructor(
    readonly runId = 'run-1',
    start = Date.parse('2026-03-01T10:00:00.000Z'),
  ) {
    this.clock = start;
  }

  add(draft: RunEventDraft, advanceMs = 100): this {
    this.clock += advanceMs;
    this.seq += 1;
    this.events.push({ ...draft, runId: this.runId, seq: this.seq, at: new Date(this.clock).toISOString() } as RunEvent);
    return this;
  }

  started(sandbox = true): this {
    return this.add({
      type: 'run-started',
      workflowId: 'onboard-datastore-and-import',
      workflowHash: 'ab'.repeat(32),
      workflowTitle: 'Amazon HealthImaging Onboard Data Store and Import',
      inputs: {
        datastoreName: 'demo-store',
        datastoreClientToken: 'tok-ds',
        dataAccessRoleArn: 'arn:aws:iam::123456789012:role/ImportRole',
        importClientToken: 'tok-imp',
        inputS3Uri: 's3://demo-input/dicom/',
        outputS3Uri: 's3://demo-output/results/',
      },
      context: { region: 'us-east-1', sandbox, profile: sandbox ? '__sandbox__' : 'dev', accountId: '123456789012', callerArn: 'arn:aws:iam::123456789012:user/alice' },
      steps: STEPS,
      product: { name: 'HealthImaging Onboarding', version: '0.1.0' },
    });
  }

  /** run-started of import-into-datastore: more data into the existing DATASTORE_ID. */
  startedImport(sandbox = true): this {
    return this.add({
      type: 'run-started',
      workflowId: 'import-into-datastore',
      workflowHash: 'ab'.repeat(32),
      workflowTitle: 'Amazon HealthImaging Onboard Data Store and Import',
      inputs: {
        datastoreId: DATASTORE_ID,
        dataAccessRoleArn: 'arn:aws:iam::123456789012:role/ImportRole',
        importClientToken: 'tok-imp-2',
        inputS3Uri: 's3://demo-input/more/',
        outputS3Uri: 's3://demo-output/results/',
      },
      context: { region: 'us-east-1', sandbox, profile: sandbox ? '__sandbox__' : 'dev', accountId: '123456789012', callerArn: 'arn:aws:iam::123456789012:user/alice' },
      steps: IMPORT_STEPS,
      product: { name: 'HealthImaging Onboarding', version: '0.1.0' },
    });
  }

  call(stepId: string, operationId: string, attempt: number, observedStatus?: string, outputs?: Record<string, unknown>, requestId = `req-${this.seq + 1}`): this {
    this.add({ type: 'request-sent', stepId, operationId, attempt, input: {} });
    return this.add({ type: 'response-received', stepId, operationId, attempt, httpStatus: 200, requestId, durationMs: 40, observedStatus, outputs }, 40);
  }

  poll(stepId: string, operationId: string, statuses: string[], final: { outputs?: Record<string, unknown>; loopsAtEnd?: boolean } = {}): this {
    this.add({ type: 'step-started', stepId, operationId });
    statuses.forEach((status, i) => {
      const last = i === statuses.length - 1;
      this.call(stepId, operationId, i + 1, status, last ? final.outputs : undefined);
      if (!last || final.loopsAtEnd) {
        this.add({ type: 'step-ended', stepId, outcome: 'succeeded', observedStatus: status, action: { type: 'goto', name: 'again', stepId } });
        this.add({ type: 'waiting', stepId, reason: 'poll', delayMs: 2000, nextAttemptAt: new Date(this.clock + 2100).toISOString() });
        if (!last) this.add({ type: 'step-started', stepId, operationId }, 2000);
      }
    });
    return this;
  }

  succeedStep(stepId: string, observedStatus?: string, outputs?: Record<string, unknown>, action?: { type: 'goto' | 'end' | 'next'; name?: string; stepId?: string }): this {
    return this.add({ type: 'step-ended', stepId, outcome: 'succeeded', observedStatus, outputs, action });
  }

  ended(status: 'succeeded' | 'failed' | 'cancelled' | 'timed_out' | 'error', outputs: Record<string, unknown>, error?: { code: string; message: string; action?: string; stepId?: string }, resumable = false): this {
    return this.add({ type: 'run-ended', status, outputs, error, resumable });
  }

  importResults(results: ImportResults): this {
    return this.add({ type: 'import-results', results });
  }
}

/** A whole successful onboarding: 3 polls of the data store, 4 of the job. */
export function successfulRun(runId = 'run-1', opts: { failedFiles?: number; sandbox?: boolean } = {}): RunEvent[] {
  const b = new EventLogBuilder(runId).started(opts.sandbox ?? true);
  b.add({ type: 'step-started', stepId: 'createDatastore', operationId: 'CreateDatastore' });
  b.call('createDatastore', 'CreateDatastore', 1, 'CREATING', { datastoreId: DATASTORE_ID });
  b.succeedStep('createDatastore', 'CREATING', { datastoreId: DATASTORE_ID }, { type: 'next' });
  b.poll('pollDatastore', 'GetDatastore', ['CREATING', 'CREATING', 'ACTIVE'], { outputs: { datastoreStatus: 'ACTIVE' } });
  b.succeedStep('pollDatastore', 'ACTIVE', { datastoreStatus: 'ACTIVE' }, { type: 'goto', name: 'datastoreActive', stepId: 'startImportJob' });
  b.add({ type: 'step-started', stepId: 'startImportJob', operationId: 'StartDICOMImportJob' });
  b.call('startImportJob', 'StartDICOMImportJob', 1, 'SUBMITTED', { jobId: JOB_ID, jobStatus: 'SUBMITTED' });
  b.succeedStep('startImportJob', 'SUBMITTED', { jobId: JOB_ID, jobStatus: 'SUBMITTED' }, { type: 'next' });
  b.poll('pollImportJob', 'GetDICOMImportJob', ['SUBMITTED', 'IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED'], { outputs: { jobStatus: 'COMPLETED' } });
  b.succeedStep('pollImportJob', 'COMPLETED', { jobStatus: 'COMPLETED' }, { type: 'end', name: 'jobCompleted' });
  b.ended('succeeded', { datastoreId: DATASTORE_ID, jobId: JOB_ID, jobStatus: 'COMPLETED' });
  const failed = opts.failedFiles ?? 0;
  b.importResults({
    state: 'read',
    numberOfScannedFiles: 12,
    numberOfImportedFiles: 12 - failed,
    numberOfFilesWithCustomerError: failed,
    numberOfFilesWithServerError: 0,
    numberOfGeneratedImageSets: 2,
    imageSets: [{ imageSetId: 'f'.repeat(32), numberOfMatchedSOPInstances: 10 - failed }],
    failures: Array.from({ length: failed }, (_, i) => ({ inputFile: `s3://demo-input/dicom/bad-${i}.dcm`, exceptionType: 'INVALID_DICOM', message: 'Not a DICOM P10 file' })),
  });
  return b.events;
}

/** import-into-datastore into DATASTORE_ID ("demo-store"): ACTIVE then a second job, or stopped by another status. */
export function importIntoRun(runId = 'run-2', opts: { datastoreStatus?: string; sandbox?: boolean } = {}): RunEvent[] {
  const status = opts.datastoreStatus ?? 'ACTIVE';
  const b = new EventLogBuilder(runId).startedImport(opts.sandbox ?? true);
  const learned = { datastoreId: DATASTORE_ID, datastoreName: 'demo-store', datastoreStatus: status };
  b.add({ type: 'step-started', stepId: 'checkDatastore', operationId: 'GetDatastore' });
  b.call('checkDatastore', 'GetDatastore', 1, status, learned);
  if (status !== 'ACTIVE') {
    const error = {
      code: 'SuccessCriteriaNotMet',
      message: `Step "checkDatastore": success criterion 2 ($.datastoreProperties.datastoreStatus == "ACTIVE") did not hold (HTTP 200, status ${status}).`,
      stepId: 'checkDatastore',
    };
    b.add({ type: 'step-ended', stepId: 'checkDatastore', outcome: 'failed', observedStatus: status, outputs: learned, error, action: { type: 'stop' } });
    b.ended('failed', { datastoreId: DATASTORE_ID }, error);
    return b.events;
  }
  b.succeedStep('checkDatastore', 'ACTIVE', learned, { type: 'goto', name: 'datastoreActive', stepId: 'startImportJob' });
  b.add({ type: 'step-started', stepId: 'startImportJob', operationId: 'StartDICOMImportJob' });
  b.call('startImportJob', 'StartDICOMImportJob', 1, 'SUBMITTED', { jobId: 'b'.repeat(32), jobStatus: 'SUBMITTED' });
  b.succeedStep('startImportJob', 'SUBMITTED', { jobId: 'b'.repeat(32), jobStatus: 'SUBMITTED' }, { type: 'next' });
  b.poll('pollImportJob', 'GetDICOMImportJob', ['IN_PROGRESS', 'COMPLETED'], { outputs: { jobStatus: 'COMPLETED' } });
  b.succeedStep('pollImportJob', 'COMPLETED', { jobStatus: 'COMPLETED' }, { type: 'end', name: 'jobCompleted' });
  b.ended('succeeded', { datastoreId: DATASTORE_ID, jobId: 'b'.repeat(32), jobStatus: 'COMPLETED' });
  return b.events;
}
