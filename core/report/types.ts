/**
 * The run report: everything a change record or an audit needs about one onboarding run, derived
 * from the run's event log alone (see build.ts). Its JSON form is documented by
 * report.schema.json; `schemaVersion` changes only when a field changes meaning or disappears.
 */
import type { RunOutcomeCode } from '../runs/outcome';
import type { ImportResults, RunError, RunPreflight, RunStatus } from '../engine/events';

export const REPORT_SCHEMA_VERSION = 1 as const;

/** The run's own result. `interrupted`: the log has no run-ended (killed, crashed, still paused). */
export type ReportStatus = RunStatus | 'interrupted';

/**
 * What the user should take away. Differs from `status` in one case: the run succeeded and the job
 * COMPLETED, but the import's manifest shows files that failed.
 */
export type OutcomeCode = RunOutcomeCode;

export interface ReportOutcome {
  code: OutcomeCode;
  /** Short label for a badge: "Succeeded", "Completed with errors"... */
  label: string;
  /** One or two sentences in words. */
  summary: string;
}

/** `interrupted`: started but the log holds no end for it (killed, deadline, still running). */
export type StepStatus = 'succeeded' | 'failed' | 'cancelled' | 'interrupted' | 'not_run';

/** A run of identical observed statuses: CREATING x14. */
export interface StatusRun {
  status: string;
  count: number;
}

export interface StepError {
  code: string;
  message: string;
  /** How many responses carried this code in this step. */
  count: number;
  firstAt: string;
  lastAt: string;
  httpStatus?: number;
}

export interface ReportStep {
  stepId: string;
  operationId: string;
  description?: string;
  /** True for a step that loops to itself (a status poll). */
  polling: boolean;
  status: StepStatus;
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  /** Requests this step sent, polls and retries included. */
  attempts: number;
  /** Successful status reads (2xx answers) of a polling step; 0 for other steps. */
  polls: number;
  /** Answers that were throttling (429) and transient faults (5xx, no answer). */
  throttled: number;
  transientErrors: number;
  /** The sequence of statuses seen, compressed: CREATING x14 -> ACTIVE. */
  observedStatuses: StatusRun[];
  observedStatusesText: string;
  /** Segments left out of `observedStatuses` in the middle, when the sequence was very long. */
  observedStatusesOmitted: number;
  lastObservedStatus?: string;
  /** The client token sent, for create/start operations. */
  clientToken?: string;
  requestIds: { total: number; first: string[]; last: string[] };
  /** Error answers grouped by code (bounded). */
  errors: StepError[];
  /** The error that ended the step, when it failed. */
  error?: RunError;
  /** Action taken on leaving the step (document action name where one matched). */
  action?: { type: string; name?: string; stepId?: string };
  /** Time spent waiting between requests, by reason. */
  waits: { count: number; totalMs: number; byReason: Record<string, number> };
}

export interface ApiCall {
  at: string;
  stepId: string;
  operationId: string;
  attempt: number;
  /** 0 when no answer arrived; absent when the log ends before the answer. */
  httpStatus?: number;
  requestId?: string;
  durationMs?: number;
  observedStatus?: string;
  errorCode?: string;
  /** Why this call is listed: first/last of its step, a status change, an error. */
  note: string;
}

export interface ApiCalls {
  total: number;
  byOperation: Array<{ operationId: string; count: number; errors: number; throttled: number }>;
  /** Count of answers by HTTP status ("0" = no answer, "pending" = no answer recorded). */
  byHttpStatus: Record<string, number>;
  /** Notable calls only (first and last of each step, status changes, errors), bounded. */
  notable: ApiCall[];
  /** Notable calls left out to keep the list bounded. */
  notableOmitted: number;
}

export interface ReportImportResults extends ImportResults {
  /** numberOfFilesWithCustomerError + numberOfFilesWithServerError, when the manifest was read. */
  failedFiles?: number;
  /** When the results were read (the import-results event). */
  readAt: string;
  /** Image sets left out of `imageSets` (bounded list). */
  imageSetsOmitted?: number;
}

export interface ReportLink {
  title: string;
  url: string;
}

export interface ReportLogDamage {
  /** 1-based line of events.ndjson that cannot be read. */
  line: number;
  /** Byte offset of that line. */
  offset: number;
  reason: string;
  /** One sentence every renderer shows as is: "Line 4 of the run log is damaged (...)". */
  message: string;
}

export interface RunReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generatedAt: string;
  product: { name: string; version: string };
  runId: string;
  workflowId: string;
  workflowHash: string;
  workflowTitle?: string;
  status: ReportStatus;
  outcome: ReportOutcome;
  /** True when `ahi-onboard resume` (or the app) can finish this run. */
  resumable: boolean;
  startedAt: string;
  endedAt?: string;
  durationMs?: number;
  /** Timestamp of the last event in the log (the end of an interrupted run's timeline). */
  lastEventAt: string;
  who: {
    callerArn?: string;
    accountId?: string;
    profile?: string;
    region: string;
    sandbox: boolean;
    endpoint?: string;
  };
  /** Workflow inputs, client tokens included, after a defensive redaction pass. */
  inputs: Record<string, unknown>;
  steps: ReportStep[];
  outputs: {
    datastoreId?: string;
    datastoreName?: string;
    datastoreStatus?: string;
    jobId?: string;
    jobStatus?: string;
    /** Every workflow output as the run ended with it. */
    workflow: Record<string, unknown>;
  };
  importResults?: ReportImportResults;
  /** The preflight run before the run started (issue 12), or that it was skipped. */
  preflight?: RunPreflight;
  apiCalls: ApiCalls;
  resumes: Array<{ at: string; stepId: string; reason: string }>;
  pauses: Array<{ at: string; stepId: string; reason: string; message: string; continuedAt?: string }>;
  error?: RunError;
  /** Set when the run log is damaged: the report covers only the events before the damaged line. */
  logDamage?: ReportLogDamage;
  links: {
    datastoreConsole?: string;
    jobConsole?: string;
    outputConsole?: string;
    docs: ReportLink[];
  };
}
