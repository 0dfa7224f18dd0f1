/**
 * Event logs as the engine records them, for the report's golden tests. Deterministic: fixed
 * run ids, timestamps, request ids. `generate.ts` writes the small ones to *.ndjson (the recorded
 * logs the goldens are built from); the 24-hour one is generated at test time (it is large).
 */
import { groupFailures } from '../import-results';
import type { ImportResults, RunContext, RunError, RunEvent, RunEventDraft, WaitReason } from '../../engine/events';

export const WORKFLOW_HASH = 'c92646e48aa4220b36b2c2c27580c7d0305c44256d26edc6a9d8e728369b9c24';
export const DATASTORE_ID = '1b2c3d4e5f60718293a4b5c6d7e8f901';
export const JOB_ID = '9f8e7d6c5b4a39281706f5e4d3c2b1a0';

const AWS_CONTEXT: RunContext = {
  profile: 'imaging-admin',
  region: 'us-east-1',
  sandbox: false,
  accountId: '123456789012',
  callerArn: 'arn:aws:sts::123456789012:assumed-role/ImagingAdmin/alice',
};

const SANDBOX_CONTEXT: RunContext = {
  profile: '__sandbox__',
  region: 'us-east-1',
  sandbox: true,
  accountId: '000000000000',
  callerArn: 'arn:aws:iam::000000000000:user/sandbox-demo',
  endpoint: 'http://127.0.0.1:4599',
};

export function seedInputs(datastoreName = 'radiology-onboarding'): Record<string, unknown> {
  return {
    datastoreName,
    datastoreClientToken: 'ds-6f1c2a4e-1b7d-4c55-9a11-0c5e2f6d9b30',
    dataAccessRoleArn: 'arn:aws:iam::123456789012:role/HealthImagingImportRole',
    importClientToken: 'imp-0d9a7c3b-58e2-4f0e-b3a4-71c9e2d5f816',
    inputS3Uri: 's3://radiology-dicom-input/batch-2026-03/',
    outputS3Uri: 's3://radiology-dicom-output/import-results/',
  };
}

const STEPS = [
  { stepId: 'createDatastore', operationId: 'CreateDatastore', description: 'Create the data store that will receive the imported DICOM data.', polling: false },
  { stepId: 'pollDatastore', operationId: 'GetDatastore', description: 'Read the data store properties and check whether provisioning finished. Repeats while the data store is still CREATING.', polling: true },
  { stepId: 'startImportJob', operationId: 'StartDICOMImportJob', description: 'Start the DICOM import job into the newly active data store.', polling: false },
  { stepId: 'pollImportJob', operationId: 'GetDICOMImportJob', description: 'Read the import job properties and check progress. Repeats while the job is still SUBMITTED or IN_PROGRESS.', polling: true },
];

/** Writes events the way the run store stamps them: runId, seq, ISO time with ms. */
export class LogBuilder {
  readonly events: RunEvent[] = [];
  private t: number;
  private rid = 0;
  private attempts = new Map<string, number>();

  constructor(
    readonly runId: string,
    start: string,
  ) {
    this.t = Date.parse(start);
  }

  advance(msec: number): this {
    this.t += msec;
    return this;
  }

  emit(draft: RunEventDraft, advanceMs = 0): this {
    this.t += advanceMs;
    this.events.push({ ...draft, runId: this.runId, seq: this.events.length + 1, at: new Date(this.t).toISOString() } as RunEvent);
    return this;
  }

  requestId(): string {
    this.rid++;
    const n = this.rid.toString(16).padStart(12, '0');
    return `5e0c1a2b-7d3f-4e6a-9b8c-${n}`;
  }

  runStarted(inputs: Record<string, unknown>, context: RunContext): this {
    return this.emit({
      type: 'run-started',
      workflowId: 'onboard-datastore-and-import',
      workflowHash: WORKFLOW_HASH,
      workflowTitle: 'Amazon HealthImaging Onboard Data Store and Import',
      inputs,
      context,
      steps: STEPS,
      product: { name: 'HealthImaging Onboarding', version: '0.1.0' },
    });
  }

  stepStarted(stepId: string, operationId: string): this {
    return this.emit({ type: 'step-started', stepId, operationId }, 3);
  }

  /** One request and its answer. */
  call(
    stepId: string,
    operationId: string,
    input: Record<string, unknown>,
    answer: {
      httpStatus?: number;
      observedStatus?: string;
      outputs?: Record<string, unknown>;
      error?: { code: string; message: string };
      durationMs?: number;
      clientToken?: string;
      noRequestId?: boolean;
    } = {},
  ): this {
    const attempt = (this.attempts.get(stepId) ?? 0) + 1;
    this.attempts.set(stepId, attempt);
    this.emit({ type: 'request-sent', stepId, operationId, attempt, input, ...(answer.clientToken ? { clientToken: answer.clientToken } : {}) }, 2);
    const durationMs = answer.durationMs ?? 140;
    return this.emit(
      {
        type: 'response-received',
        stepId,
        operationId,
        attempt,
        httpStatus: answer.httpStatus ?? 200,
        ...(answer.noRequestId ? {} : { requestId: this.requestId() }),
        durationMs,
        ...(answer.observedStatus ? { observedStatus: answer.observedStatus } : {}),
        ...(answer.error ? { error: answer.error } : {}),
        ...(answer.outputs ? { outputs: answer.outputs } : {}),
      },
      durationMs,
    );
  }

  /** A request whose answer never made it into the log (the process died mid-request). */
  requestOnly(stepId: string, operationId: string, input: Record<string, unknown>): this {
    const attempt = (this.attempts.get(stepId) ?? 0) + 1;
    this.attempts.set(stepId, attempt);
    return this.emit({ type: 'request-sent', stepId, operationId, attempt, input }, 2);
  }

  wait(stepId: string, reason: WaitReason, delayMs: number): this {
    this.emit({ type: 'waiting', stepId, reason, delayMs, nextAttemptAt: new Date(this.t + 1 + delayMs).toISOString() }, 1);
    return this.advance(delayMs);
  }

  stepEnded(
    stepId: string,
    outcome: 'succeeded' | 'failed' | 'cancelled',
    extra: { action?: { type: 'goto' | 'end' | 'next' | 'retry' | 'stop'; name?: string; stepId?: string }; observedStatus?: string; outputs?: Record<string, unknown>; error?: RunError } = {},
  ): this {
    return this.emit({ type: 'step-ended', stepId, outcome, ...extra }, 2);
  }

  runEnded(status: 'succeeded' | 'failed' | 'cancelled' | 'timed_out' | 'error', outputs: Record<string, unknown>, resumable: boolean, error?: RunError): this {
    return this.emit({ type: 'run-ended', status, outputs, resumable, ...(error ? { error } : {}) }, 4);
  }

  importResults(results: ImportResults, afterMs = 2500): this {
    return this.emit({ type: 'import-results', results }, afterMs);
  }

  // ---- the seed's steps, as the engine runs them ----

  create(inputs: Record<string, unknown>): this {
    return this.stepStarted('createDatastore', 'CreateDatastore')
      .call(
        'createDatastore',
        'CreateDatastore',
        { datastoreName: inputs.datastoreName, clientToken: inputs.datastoreClientToken },
        { observedStatus: 'CREATING', outputs: { datastoreId: DATASTORE_ID }, clientToken: String(inputs.datastoreClientToken), durationMs: 412 },
      )
      .stepEnded('createDatastore', 'succeeded', { action: { type: 'next' }, observedStatus: 'CREATING', outputs: { datastoreId: DATASTORE_ID } });
  }

  /** Polls GetDatastore: `creating` times CREATING, then `final`. */
  pollDatastore(creating: number, final: string, delayMs = 10_000, throttleAt?: number): this {
    this.stepStarted('pollDatastore', 'GetDatastore');
    for (let i = 0; i < creating; i++) {
      if (i === throttleAt) {
        this.call('pollDatastore', 'GetDatastore', { datastoreId: DATASTORE_ID }, {
          httpStatus: 429,
          error: { code: 'ThrottlingException', message: 'Rate exceeded' },
          durationMs: 95,
        }).wait('pollDatastore', 'throttled', delayMs * 2);
      }
      this.call('pollDatastore', 'GetDatastore', { datastoreId: DATASTORE_ID }, { observedStatus: 'CREATING', outputs: { datastoreStatus: 'CREATING' } }).wait(
        'pollDatastore',
        'poll',
        delayMs,
      );
    }
    return this.call('pollDatastore', 'GetDatastore', { datastoreId: DATASTORE_ID }, { observedStatus: final, outputs: { datastoreStatus: final } });
  }

  startImport(inputs: Record<string, unknown>): this {
    return this.stepStarted('startImportJob', 'StartDICOMImportJob')
      .call(
        'startImportJob',
        'StartDICOMImportJob',
        {
          datastoreId: DATASTORE_ID,
          dataAccessRoleArn: inputs.dataAccessRoleArn,
          clientToken: inputs.importClientToken,
          inputS3Uri: inputs.inputS3Uri,
          outputS3Uri: inputs.outputS3Uri,
        },
        { observedStatus: 'SUBMITTED', outputs: { jobId: JOB_ID, jobStatus: 'SUBMITTED' }, clientToken: String(inputs.importClientToken), durationMs: 388 },
      )
      .stepEnded('startImportJob', 'succeeded', { action: { type: 'next' }, observedStatus: 'SUBMITTED', outputs: { jobId: JOB_ID, jobStatus: 'SUBMITTED' } });
  }

  pollJob(statuses: Array<[string, number]>, delayMs = 15_000): this {
    this.stepStarted('pollImportJob', 'GetDICOMImportJob');
    const flat = statuses.flatMap(([s, n]) => Array<string>(n).fill(s));
    flat.forEach((status, i) => {
      this.call('pollImportJob', 'GetDICOMImportJob', { datastoreId: DATASTORE_ID, jobId: JOB_ID }, { observedStatus: status, outputs: { jobStatus: status } });
      if (i < flat.length - 1) this.wait('pollImportJob', 'poll', delayMs);
    });
    return this;
  }
}

export const manifestUri = (outputS3Uri: string) => `${outputS3Uri}${DATASTORE_ID}-DicomImport-${JOB_ID}/job-output-manifest.json`;

const imageSetId = (i: number) => `${(0x7a3e0000 + i).toString(16)}c1d2e3f4a5b6c7d8e9f0a1b2c3`.slice(0, 32);

/** A clean onboarding against AWS: 14 CREATING polls (one throttled), then a 6-minute import. */
export function successRun(): RunEvent[] {
  const inputs = seedInputs();
  const b = new LogBuilder('run-20260312-091500-success', '2026-03-12T09:15:00.000Z').runStarted(inputs, AWS_CONTEXT).create(inputs);
  b.pollDatastore(14, 'ACTIVE', 10_000, 6).stepEnded('pollDatastore', 'succeeded', {
    action: { type: 'goto', name: 'datastoreActive', stepId: 'startImportJob' },
    observedStatus: 'ACTIVE',
    outputs: { datastoreStatus: 'ACTIVE' },
  });
  b.startImport(inputs)
    .pollJob([
      ['SUBMITTED', 2],
      ['IN_PROGRESS', 22],
      ['COMPLETED', 1],
    ])
    .stepEnded('pollImportJob', 'succeeded', { action: { type: 'end', name: 'jobCompleted' }, observedStatus: 'COMPLETED', outputs: { jobStatus: 'COMPLETED' } })
    .runEnded('succeeded', { datastoreId: DATASTORE_ID, jobId: JOB_ID, jobStatus: 'COMPLETED' }, false)
    .importResults({
      state: 'read',
      manifestUri: manifestUri(String(inputs.outputS3Uri)),
      numberOfScannedFiles: 412,
      numberOfImportedFiles: 412,
      numberOfFilesWithCustomerError: 0,
      numberOfFilesWithServerError: 0,
      numberOfGeneratedImageSets: 3,
      imageSets: [
        { imageSetId: imageSetId(1), numberOfMatchedSOPInstances: 180 },
        { imageSetId: imageSetId(2), numberOfMatchedSOPInstances: 176 },
        { imageSetId: imageSetId(3), numberOfMatchedSOPInstances: 56 },
      ],
      failures: [],
    });
  return b.events;
}

/** The data store never became ACTIVE: CREATING x6 -> CREATE_FAILED, no import attempted. */
export function createFailedRun(): RunEvent[] {
  const inputs = { ...seedInputs('cardiology-archive'), datastoreClientToken: 'ds-2b9e44f0-6a13-4d7c-8e25-93f1c0a7d642' };
  const error: RunError = {
    code: 'DatastoreCreateFailed',
    message: 'Data store 1b2c3d4e5f60718293a4b5c6d7e8f901 reached CREATE_FAILED; no import was started.',
    action: 'Check that the KMS key (if any) allows HealthImaging to use it and that the account is under its data store quota, then run again with a new data store client token.',
    stepId: 'pollDatastore',
  };
  const b = new LogBuilder('run-20260312-101000-createfail', '2026-03-12T10:10:00.000Z').runStarted(inputs, AWS_CONTEXT).create(inputs);
  b.pollDatastore(6, 'CREATE_FAILED', 10_000)
    .stepEnded('pollDatastore', 'failed', { action: { type: 'end', name: 'datastoreFailed' }, observedStatus: 'CREATE_FAILED', error })
    .runEnded('failed', { datastoreId: DATASTORE_ID }, false, error);
  return b.events;
}

/** The import job FAILED (the role could not be assumed); the results bucket denies reading. */
export function jobFailedRun(): RunEvent[] {
  const inputs: Record<string, unknown> = { ...seedInputs('oncology-pacs-migration'), dataAccessRoleArn: 'arn:aws:iam::123456789012:role/WrongImportRole' };
  const error: RunError = {
    code: 'ImportJobFailed',
    message: `Import job ${JOB_ID} ended FAILED: Failed to assume the data access role arn:aws:iam::123456789012:role/WrongImportRole.`,
    action: 'Check the data access role: its trust policy must allow medical-imaging.amazonaws.com to call sts:AssumeRole, and it needs read on the input prefix and write on the output prefix.',
    stepId: 'pollImportJob',
  };
  const b = new LogBuilder('run-20260313-140000-jobfailed', '2026-03-13T14:00:00.000Z').runStarted(inputs, AWS_CONTEXT).create(inputs);
  b.pollDatastore(9, 'ACTIVE', 10_000).stepEnded('pollDatastore', 'succeeded', {
    action: { type: 'goto', name: 'datastoreActive', stepId: 'startImportJob' },
    observedStatus: 'ACTIVE',
  });
  b.startImport(inputs)
    .pollJob([
      ['SUBMITTED', 3],
      ['IN_PROGRESS', 2],
      ['FAILED', 1],
    ])
    .stepEnded('pollImportJob', 'failed', { action: { type: 'end', name: 'jobFailed' }, observedStatus: 'FAILED', outputs: { jobStatus: 'FAILED' }, error })
    .runEnded('failed', { datastoreId: DATASTORE_ID, jobId: JOB_ID, jobStatus: 'FAILED' }, false, error)
    .importResults({
      state: 'access-denied',
      manifestUri: manifestUri(String(inputs.outputS3Uri)),
      message:
        'Access denied reading the import results in bucket radiology-dicom-output: the identity running this needs s3:GetObject on arn:aws:s3:::radiology-dicom-output/import-results/*.',
    });
  return b.events;
}

/** Cancelled by the user during the import, on the local sandbox: nothing deleted, resumable. */
export function cancelledRun(): RunEvent[] {
  const inputs = { ...seedInputs('sandbox-demo'), inputS3Uri: 's3://sandbox-dicom/demo/', outputS3Uri: 's3://sandbox-output/results/' };
  const error: RunError = { code: 'Cancelled', message: 'Cancelled by the user while waiting for the import job.', stepId: 'pollImportJob' };
  const b = new LogBuilder('run-20260314-080000-cancelled', '2026-03-14T08:00:00.000Z').runStarted(inputs, SANDBOX_CONTEXT).create(inputs);
  b.pollDatastore(3, 'ACTIVE', 2_000).stepEnded('pollDatastore', 'succeeded', {
    action: { type: 'goto', name: 'datastoreActive', stepId: 'startImportJob' },
    observedStatus: 'ACTIVE',
  });
  b.startImport(inputs)
    .pollJob(
      [
        ['SUBMITTED', 1],
        ['IN_PROGRESS', 4],
      ],
      3_000,
    )
    .emit({ type: 'waiting', stepId: 'pollImportJob', reason: 'poll', delayMs: 3000, nextAttemptAt: '2026-03-14T08:00:40.000Z' }, 1)
    .advance(1200)
    .stepEnded('pollImportJob', 'cancelled', { observedStatus: 'IN_PROGRESS', error })
    .runEnded('cancelled', { datastoreId: DATASTORE_ID, jobId: JOB_ID, jobStatus: 'IN_PROGRESS' }, true, error);
  return b.events;
}

const FAILURE_REASONS: Array<[string, string]> = [
  ['InvalidDicomFile', 'Not a DICOM P10 file: the preamble and DICM prefix are missing.'],
  ['MissingRequiredAttribute', 'Missing required attribute (0020,000D) StudyInstanceUID.'],
  ['UnsupportedTransferSyntax', 'Transfer syntax 1.2.840.10008.1.2.4.100 (MPEG2) is not supported.'],
  ['InvalidAttributeValue', 'Attribute (0008,0020) StudyDate has an invalid value "2026-13-45".'],
];

/** The job COMPLETED but 13 of 250 files failed: "completed with errors", not a clean success. */
export function completedWithErrorsRun(): RunEvent[] {
  const inputs: Record<string, unknown> = { ...seedInputs('neuro-research'), inputS3Uri: 's3://neuro-research-dicom/studies/2026/' };
  const b = new LogBuilder('run-20260315-120000-partial', '2026-03-15T12:00:00.000Z').runStarted(inputs, AWS_CONTEXT).create(inputs);
  b.pollDatastore(12, 'ACTIVE', 10_000).stepEnded('pollDatastore', 'succeeded', {
    action: { type: 'goto', name: 'datastoreActive', stepId: 'startImportJob' },
    observedStatus: 'ACTIVE',
  });
  const failures = Array.from({ length: 13 }, (_, i) => {
    const [exceptionType, message] = FAILURE_REASONS[i % FAILURE_REASONS.length]!;
    return { inputFile: `s3://neuro-research-dicom/studies/2026/subject-${String(100 + i * 7)}/series-${(i % 3) + 1}/IM${String(i * 11).padStart(5, '0')}.dcm`, exceptionType, message };
  });
  b.startImport(inputs)
    .pollJob([
      ['SUBMITTED', 1],
      ['IN_PROGRESS', 9],
      ['COMPLETED', 1],
    ])
    .stepEnded('pollImportJob', 'succeeded', { action: { type: 'end', name: 'jobCompleted' }, observedStatus: 'COMPLETED', outputs: { jobStatus: 'COMPLETED' } })
    .runEnded('succeeded', { datastoreId: DATASTORE_ID, jobId: JOB_ID, jobStatus: 'COMPLETED' }, false)
    .importResults({
      state: 'read',
      manifestUri: manifestUri(String(inputs.outputS3Uri)),
      numberOfScannedFiles: 250,
      numberOfImportedFiles: 237,
      numberOfFilesWithCustomerError: 11,
      numberOfFilesWithServerError: 2,
      numberOfGeneratedImageSets: 8,
      imageSets: Array.from({ length: 8 }, (_, i) => ({ imageSetId: imageSetId(10 + i), numberOfMatchedSOPInstances: 20 + ((i * 13) % 17) })),
      failures,
      // As core/report/import-results.ts groups failure.ndjson: by type and common cause.
      failuresByType: groupFailures(failures.map((f) => JSON.stringify({ inputFile: f.inputFile, exception: { exceptionType: f.exceptionType, message: f.message } })).join('\n') + '\n', false),
      failuresComplete: true,
      warnings: [
        { inputFile: 's3://neuro-research-dicom/studies/2026/subject-100/series-1/IM00001.dcm', code: 'DICOM_ELEMENT_TRUNCATED', message: 'PatientName was longer than 64 characters and was truncated.' },
      ],
      nonPrimaryImageSets: [
        { imageSetId: imageSetId(17), count: 2, instances: ['s3://neuro-research-dicom/studies/2026/subject-121/series-1/IM00030.dcm', 's3://neuro-research-dicom/studies/2026/subject-121/series-1/IM00031.dcm'] },
      ],
    });
  return b.events;
}

/** Killed mid-import, resumed, and killed again: the log has no run-ended. */
export function interruptedRun(): RunEvent[] {
  const inputs = seedInputs('pathology-slides');
  const b = new LogBuilder('run-20260316-070000-interrupted', '2026-03-16T07:00:00.000Z').runStarted(inputs, AWS_CONTEXT).create(inputs);
  b.pollDatastore(10, 'ACTIVE', 10_000).stepEnded('pollDatastore', 'succeeded', {
    action: { type: 'goto', name: 'datastoreActive', stepId: 'startImportJob' },
    observedStatus: 'ACTIVE',
  });
  b.startImport(inputs).pollJob([
    ['SUBMITTED', 2],
    ['IN_PROGRESS', 5],
  ]);
  b.advance(3 * 60_000)
    .emit({ type: 'run-resumed', stepId: 'pollImportJob', reason: 'The previous process stopped without ending the run; re-attaching to the import job.' }, 0)
    .stepStarted('pollImportJob', 'GetDICOMImportJob')
    .call('pollImportJob', 'GetDICOMImportJob', { datastoreId: DATASTORE_ID, jobId: JOB_ID }, { httpStatus: 503, error: { code: 'InternalServerException', message: 'Service unavailable' } })
    .wait('pollImportJob', 'transient-error', 4000)
    .call('pollImportJob', 'GetDICOMImportJob', { datastoreId: DATASTORE_ID, jobId: JOB_ID }, { observedStatus: 'IN_PROGRESS', outputs: { jobStatus: 'IN_PROGRESS' } })
    .wait('pollImportJob', 'poll', 15_000)
    .requestOnly('pollImportJob', 'GetDICOMImportJob', { datastoreId: DATASTORE_ID, jobId: JOB_ID });
  return b.events;
}

/**
 * A simulated 24-hour import: polls at a 60 s cap (thousands of requests), a throttling storm,
 * and the engine's step-started/step-ended around each poll iteration (goto to itself).
 */
export function dayLongRun(): RunEvent[] {
  const inputs = seedInputs('enterprise-archive-2026');
  const b = new LogBuilder('run-20260317-000000-daylong', '2026-03-17T00:00:00.000Z').runStarted(inputs, AWS_CONTEXT).create(inputs);
  b.pollDatastore(30, 'ACTIVE', 10_000).stepEnded('pollDatastore', 'succeeded', {
    action: { type: 'goto', name: 'datastoreActive', stepId: 'startImportJob' },
    observedStatus: 'ACTIVE',
  });
  b.startImport(inputs);
  const polls = 24 * 60;
  for (let i = 0; i < polls; i++) {
    b.stepStarted('pollImportJob', 'GetDICOMImportJob');
    if (i % 97 === 50) {
      for (let k = 0; k < 4; k++) {
        b.call('pollImportJob', 'GetDICOMImportJob', { datastoreId: DATASTORE_ID, jobId: JOB_ID }, {
          httpStatus: 429,
          error: { code: 'ThrottlingException', message: 'Rate exceeded' },
        }).wait('pollImportJob', 'throttled', 30_000);
      }
    }
    const status = i < 3 ? 'SUBMITTED' : i === polls - 1 ? 'COMPLETED' : 'IN_PROGRESS';
    b.call('pollImportJob', 'GetDICOMImportJob', { datastoreId: DATASTORE_ID, jobId: JOB_ID }, { observedStatus: status, outputs: { jobStatus: status } });
    if (status === 'COMPLETED') break;
    b.stepEnded('pollImportJob', 'succeeded', { action: { type: 'goto', name: 'jobRunning', stepId: 'pollImportJob' }, observedStatus: status });
    b.wait('pollImportJob', 'poll', 60_000);
  }
  b.stepEnded('pollImportJob', 'succeeded', { action: { type: 'end', name: 'jobCompleted' }, observedStatus: 'COMPLETED', outputs: { jobStatus: 'COMPLETED' } })
    .runEnded('succeeded', { datastoreId: DATASTORE_ID, jobId: JOB_ID, jobStatus: 'COMPLETED' }, false)
    .importResults({
      state: 'read',
      manifestUri: manifestUri(String(inputs.outputS3Uri)),
      numberOfScannedFiles: 5000,
      numberOfImportedFiles: 5000,
      numberOfFilesWithCustomerError: 0,
      numberOfFilesWithServerError: 0,
      numberOfGeneratedImageSets: 64,
      imageSets: Array.from({ length: 64 }, (_, i) => ({ imageSetId: imageSetId(100 + i), numberOfMatchedSOPInstances: 70 + i })),
      failures: [],
    });
  return b.events;
}

/** The recorded scenarios written to __fixtures__/*.ndjson. */
export const RECORDED: Record<string, () => RunEvent[]> = {
  success: successRun,
  'create-failed': createFailedRun,
  'job-failed': jobFailedRun,
  cancelled: cancelledRun,
  'completed-with-errors': completedWithErrorsRun,
  interrupted: interruptedRun,
};
