/**
 * The one typed event stream of a run. The engine emits these, the run store appends them to the
 * run's log, the app's timeline and the reports consume exactly these. Nothing secret ever goes in
 * here: no access keys, session tokens, signatures or Authorization headers.
 */

import type { CheckResult } from '../preflight/types';

export type RunStatus = 'succeeded' | 'failed' | 'cancelled' | 'timed_out' | 'error';

/** Why a run is waiting before its next request. */
export type WaitReason = 'poll' | 'retry' | 'throttled' | 'transient-error';

/** A machine-readable error as the user sees it: a code, a message in words, and what to do next. */
export interface RunError {
  /** AWS error code (ThrottlingException...) or one of ours (UnnamedStatus, CredentialsExpired, DeadlineExceeded, InvalidInputs...). */
  code: string;
  message: string;
  /** Plain next action for the user, e.g. "Run: aws sso login --profile dev". */
  action?: string;
  stepId?: string;
  httpStatus?: number;
  requestId?: string;
}

/** Who and where: recorded at run start, shown in reports. Never credentials. */
export interface RunContext {
  profile?: string;
  region: string;
  sandbox: boolean;
  accountId?: string;
  callerArn?: string;
  /** Endpoint the HealthImaging client talks to, when not the AWS default. */
  endpoint?: string;
}

interface EventBase {
  runId: string;
  /** Position in the run's log, 1-based, strictly increasing across resumes. */
  seq: number;
  /** ISO-8601 timestamp with milliseconds. */
  at: string;
}

export interface RunStartedEvent extends EventBase {
  type: 'run-started';
  workflowId: string;
  /** sha256 of the workflow document's bytes, hex. */
  workflowHash: string;
  workflowTitle?: string;
  /** Workflow inputs after defaults, client tokens included (they are not secrets). */
  inputs: Record<string, unknown>;
  context: RunContext;
  /** Step ids in document order, so a timeline can show pending steps. */
  steps: Array<{ stepId: string; operationId: string; description?: string; polling: boolean }>;
  product: { name: string; version: string };
  /** The preflight run just before (core/preflight), or that it was skipped on request. */
  preflight?: RunPreflight;
}

/** The preflight's results as the run log keeps them. */
export interface RunPreflight {
  ready: boolean;
  /** True when the user started without it (--skip-preflight); then `checks` is empty. */
  skipped?: boolean;
  checks: CheckResult[];
}

export interface RunResumedEvent extends EventBase {
  type: 'run-resumed';
  /** Where execution continues. */
  stepId: string;
  reason: string;
  /** Who and where the resumed run talks to now, when it differs from run-started (another profile...). */
  context?: RunContext;
}

export interface StepStartedEvent extends EventBase {
  type: 'step-started';
  stepId: string;
  operationId: string;
}

export interface RequestSentEvent extends EventBase {
  type: 'request-sent';
  stepId: string;
  operationId: string;
  /** 1-based count of requests this step has sent in this run (polls included). */
  attempt: number;
  /** Command input as sent (path parameters and payload); never credentials. */
  input: Record<string, unknown>;
  /** The client token sent, for create/start operations: what makes a re-send safe. */
  clientToken?: string;
}

export interface ResponseReceivedEvent extends EventBase {
  type: 'response-received';
  stepId: string;
  operationId: string;
  attempt: number;
  httpStatus: number;
  requestId?: string;
  durationMs: number;
  /** The status field seen in the body (datastoreStatus, jobStatus...), when any. */
  observedStatus?: string;
  /** Error code and message when the service answered an error. */
  error?: { code: string; message: string };
  /** Step outputs evaluated from this response (ids learned: datastoreId, jobId...). */
  outputs?: Record<string, unknown>;
}

export interface WaitingEvent extends EventBase {
  type: 'waiting';
  stepId: string;
  reason: WaitReason;
  delayMs: number;
  nextAttemptAt: string;
}

export interface StepEndedEvent extends EventBase {
  type: 'step-ended';
  stepId: string;
  outcome: 'succeeded' | 'failed' | 'cancelled';
  /** The action taken on leaving the step: name from the document where one matched. */
  action?: { type: 'goto' | 'end' | 'next' | 'retry' | 'stop'; name?: string; stepId?: string };
  observedStatus?: string;
  outputs?: Record<string, unknown>;
  error?: RunError;
}

export interface RunPausedEvent extends EventBase {
  type: 'run-paused';
  stepId: string;
  reason: 'credentials-expired';
  error: RunError;
}

export interface RunContinuedEvent extends EventBase {
  type: 'run-continued';
  stepId: string;
}

export interface RunEndedEvent extends EventBase {
  type: 'run-ended';
  status: RunStatus;
  /** Workflow outputs as far as known; outputs of steps that never ran are absent. */
  outputs: Record<string, unknown>;
  error?: RunError;
  /** For failed/cancelled/timed_out: true when `resume` can finish it. */
  resumable: boolean;
}

/** Import results read from the job's output location after the run (reports issue). */
export interface ImportResultsEvent extends EventBase {
  type: 'import-results';
  results: ImportResults;
}

export interface ImportResults {
  /** 'read' when the manifest was read; otherwise why not. */
  state: 'read' | 'not-found' | 'access-denied' | 'error';
  message?: string;
  manifestUri?: string;
  numberOfScannedFiles?: number;
  numberOfImportedFiles?: number;
  numberOfFilesWithCustomerError?: number;
  numberOfFilesWithServerError?: number;
  numberOfGeneratedImageSets?: number;
  imageSets?: Array<{ imageSetId: string; numberOfMatchedSOPInstances?: number }>;
  /** The first failures with their reasons (at most 20). */
  failures?: Array<{ inputFile: string; exceptionType?: string; message: string }>;
  /** Failures grouped by exception type (and common cause), most frequent first, over the part of failure.ndjson read. */
  failuresByType?: FailureGroup[];
  /** False when failure.ndjson was longer than what was read: the group counts are lower bounds. */
  failuresComplete?: boolean;
  /** The first lines of WARNING/warning.ndjson. */
  warnings?: Array<{ inputFile?: string; code?: string; type?: string; message: string }>;
  /** Image sets that got instances with isPrimary false (success.ndjson): conflicts with data the store already held. */
  nonPrimaryImageSets?: Array<{ imageSetId: string; count: number; instances: string[] }>;
}

export interface FailureGroup {
  /** The exceptionType HealthImaging reported ("Unknown" when it gave none). */
  type: string;
  count: number;
  /** The first input files of this group (at most 5). */
  examples: string[];
  /** A message of this group, as HealthImaging wrote it. */
  message: string;
  /** For the common causes: what went wrong and what to do, in words. */
  cause?: string;
  fix?: string;
}

export type RunEvent =
  | RunStartedEvent
  | RunResumedEvent
  | StepStartedEvent
  | RequestSentEvent
  | ResponseReceivedEvent
  | WaitingEvent
  | StepEndedEvent
  | RunPausedEvent
  | RunContinuedEvent
  | RunEndedEvent
  | ImportResultsEvent;

export type RunEventType = RunEvent['type'];

/** An event before the run store stamps it with runId/seq/at. */
export type RunEventDraft = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'runId' | 'seq' | 'at'> : never) : never;
