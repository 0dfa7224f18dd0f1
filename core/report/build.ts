/**
 * buildReport: the run report from the run's event log alone. Pure (no clock unless `now` is
 * omitted, no I/O), so a report can be regenerated at any time, for finished and interrupted runs,
 * by the app and the command line alike. Long runs stay small: polls are counted and compressed,
 * never listed one by one.
 */
import { OUTCOME_LABELS } from '../runs/outcome';
import type { RunLogDamage } from '../runs/damaged-log';
import { consoleLinksApply } from '../healthimaging/console-links';
import type {
  ImportResultsEvent,
  RequestSentEvent,
  ResponseReceivedEvent,
  RunEndedEvent,
  RunError,
  RunEvent,
  RunStartedEvent,
  StepEndedEvent,
} from '../engine/events';
import { HeadTailList, StatusCompressor } from './bounded';
import { DOC_LINKS, datastoreConsoleUrl, importJobConsoleUrl, s3ConsoleUrl } from './links';
import { redactText, redactValue } from '../redaction/redact';
import {
  REPORT_SCHEMA_VERSION,
  type ApiCall,
  type ReportImportResults,
  type ReportOutcome,
  type ReportStatus,
  type ReportStep,
  type RunReport,
  type StepError,
  type StepStatus,
} from './types';

export interface BuildReportOptions {
  /** The report's `generatedAt`; pass one for reproducible output. */
  now?: Date;
  /** Where the run log is damaged (core/runs/damaged-log.ts): `events` are the lines before it. */
  logDamage?: RunLogDamage;
}

/** The words every report format uses for a damaged log. */
export function logDamageMessage(d: RunLogDamage, events: number): string {
  return `Line ${d.line} of the run log is damaged (${d.reason}). This report covers the ${events} event${events === 1 ? '' : 's'} before it; repair the log to resume the run.`;
}

export class ReportInputError extends Error {
  override name = 'ReportInputError';
}

/** Bounds that keep a report of a 24-hour run well under 200 KB. */
const LIMITS = {
  requestIdsEachEnd: 3,
  errorCodesPerStep: 10,
  notableHead: 25,
  notableTail: 25,
  notableMax: 60,
  resumes: 20,
  pauses: 20,
  failures: 20,
  failureGroups: 20,
  warnings: 50,
  nonPrimary: 50,
  imageSets: 20,
  messageChars: 1000,
  inputChars: 4096,
} as const;

/** Operations whose observed status is the data store's, and the job's. */
const DATASTORE_OPS = new Set(['CreateDatastore', 'GetDatastore', 'DeleteDatastore']);
const JOB_OPS = new Set(['StartDICOMImportJob', 'GetDICOMImportJob']);

interface StepAcc {
  stepId: string;
  operationId: string;
  description?: string;
  polling: boolean;
  firstStartAt?: string;
  lastStartSeq: number;
  lastEnded?: StepEndedEvent;
  requests: number;
  polls: number;
  throttled: number;
  transient: number;
  statuses: StatusCompressor;
  requestIdsFirst: string[];
  requestIdsLast: string[];
  requestIdsTotal: number;
  errors: Map<string, StepError>;
  waits: { count: number; totalMs: number; byReason: Record<string, number> };
  clientToken?: string;
  lastCall?: ApiCall;
  lastEventAt?: string;
}

function newStep(stepId: string, operationId: string, polling: boolean, description?: string): StepAcc {
  return {
    stepId,
    operationId,
    ...(description ? { description } : {}),
    polling,
    lastStartSeq: 0,
    requests: 0,
    polls: 0,
    throttled: 0,
    transient: 0,
    statuses: new StatusCompressor(),
    requestIdsFirst: [],
    requestIdsLast: [],
    requestIdsTotal: 0,
    errors: new Map(),
    waits: { count: 0, totalMs: 0, byReason: {} },
  };
}

const ms = (iso: string) => Date.parse(iso);
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const clean = (s: string, n: number = LIMITS.messageChars) => clip(redactText(s), n);

function isThrottle(r: ResponseReceivedEvent): boolean {
  return r.httpStatus === 429 || /throttl|toomanyrequests|slowdown/i.test(r.error?.code ?? '');
}
function isTransient(r: ResponseReceivedEvent): boolean {
  return r.httpStatus === 0 || r.httpStatus >= 500;
}
function isOk(r: ResponseReceivedEvent): boolean {
  return r.httpStatus >= 200 && r.httpStatus < 300 && !r.error;
}

function cleanError(e: RunError): RunError {
  return redactValue({
    ...e,
    message: clip(e.message, LIMITS.messageChars),
    ...(e.action ? { action: clip(e.action, LIMITS.messageChars) } : {}),
  });
}

function asString(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function clipStrings(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return clip(value, LIMITS.inputChars);
  if (depth > 10) return '…';
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => clipStrings(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).slice(0, 200).map(([k, v]) => [k, clipStrings(v, depth + 1)]));
  }
  return value;
}

export function buildReport(events: RunEvent[], opts: BuildReportOptions = {}): RunReport {
  const log = [...events].sort((a, b) => a.seq - b.seq);
  const started = log.find((e): e is RunStartedEvent => e.type === 'run-started');
  if (!started) throw new ReportInputError('Cannot build a report: the run log has no run-started event.');
  const lastEvent = log[log.length - 1]!;

  const steps = new Map<string, StepAcc>();
  for (const s of started.steps) steps.set(s.stepId, newStep(s.stepId, s.operationId, s.polling, s.description));
  const stepOf = (stepId: string, operationId = '(unknown)') => {
    let acc = steps.get(stepId);
    if (!acc) {
      acc = newStep(stepId, operationId, false);
      steps.set(stepId, acc);
    }
    return acc;
  };

  const pending = new Map<string, RequestSentEvent>();
  const byOperation = new Map<string, { operationId: string; count: number; errors: number; throttled: number }>();
  const byHttpStatus: Record<string, number> = {};
  const notable = new HeadTailList<ApiCall>(LIMITS.notableHead, LIMITS.notableTail);
  const stepOutputs: Record<string, unknown> = {};
  const resumes: RunReport['resumes'] = [];
  const pauses: RunReport['pauses'] = [];
  let totalCalls = 0;
  let lastRunEnded: RunEndedEvent | undefined;
  let endedIsFinal = false;
  let importResults: ImportResultsEvent | undefined;
  let currentStepId: string | undefined;
  let lastStepError: RunError | undefined;
  let pausedError: RunError | undefined;

  for (const e of log) {
    switch (e.type) {
      case 'run-started':
      case 'run-continued':
        if (e.type === 'run-continued') {
          const open = [...pauses].reverse().find((p) => !p.continuedAt);
          if (open) open.continuedAt = e.at;
          pausedError = undefined;
        }
        break;
      case 'run-resumed':
        endedIsFinal = false;
        if (resumes.length < LIMITS.resumes) resumes.push({ at: e.at, stepId: e.stepId, reason: clean(e.reason) });
        break;
      case 'step-started': {
        const acc = stepOf(e.stepId, e.operationId);
        acc.firstStartAt ??= e.at;
        acc.lastStartSeq = e.seq;
        acc.lastEventAt = e.at;
        currentStepId = e.stepId;
        break;
      }
      case 'request-sent': {
        const acc = stepOf(e.stepId, e.operationId);
        acc.firstStartAt ??= e.at;
        if (!acc.lastStartSeq) acc.lastStartSeq = e.seq;
        acc.requests++;
        acc.lastEventAt = e.at;
        if (e.clientToken) acc.clientToken = e.clientToken;
        currentStepId = e.stepId;
        totalCalls++;
        const op = byOperation.get(e.operationId) ?? { operationId: e.operationId, count: 0, errors: 0, throttled: 0 };
        op.count++;
        byOperation.set(e.operationId, op);
        pending.set(`${e.stepId}#${e.attempt}`, e);
        break;
      }
      case 'response-received': {
        const acc = stepOf(e.stepId, e.operationId);
        acc.lastEventAt = e.at;
        const key = `${e.stepId}#${e.attempt}`;
        const req = pending.get(key);
        pending.delete(key);
        byHttpStatus[String(e.httpStatus)] = (byHttpStatus[String(e.httpStatus)] ?? 0) + 1;
        const op = byOperation.get(e.operationId);
        if (e.requestId) {
          acc.requestIdsTotal++;
          if (acc.requestIdsFirst.length < LIMITS.requestIdsEachEnd) acc.requestIdsFirst.push(e.requestId);
          else {
            acc.requestIdsLast.push(e.requestId);
            if (acc.requestIdsLast.length > LIMITS.requestIdsEachEnd) acc.requestIdsLast.shift();
          }
        }
        const previousStatus = acc.statuses.last;
        if (e.observedStatus) acc.statuses.add(e.observedStatus);
        if (isOk(e)) {
          if (acc.polling) acc.polls++;
        } else {
          if (op) op.errors++;
          if (isThrottle(e)) {
            acc.throttled++;
            if (op) op.throttled++;
          } else if (isTransient(e)) acc.transient++;
          const code = e.error?.code ?? `HTTP ${e.httpStatus}`;
          const known = acc.errors.get(code);
          if (known) {
            known.count++;
            known.lastAt = e.at;
          } else if (acc.errors.size < LIMITS.errorCodesPerStep) {
            acc.errors.set(code, {
              code,
              message: clean(e.error?.message ?? 'No answer from the service.'),
              count: 1,
              firstAt: e.at,
              lastAt: e.at,
              ...(e.httpStatus ? { httpStatus: e.httpStatus } : {}),
            });
          }
        }
        if (e.outputs) Object.assign(stepOutputs, e.outputs);

        const call: ApiCall = {
          at: req?.at ?? e.at,
          stepId: e.stepId,
          operationId: e.operationId,
          attempt: e.attempt,
          httpStatus: e.httpStatus,
          ...(e.requestId ? { requestId: e.requestId } : {}),
          durationMs: e.durationMs,
          ...(e.observedStatus ? { observedStatus: e.observedStatus } : {}),
          ...(e.error ? { errorCode: e.error.code } : {}),
          note: '',
        };
        const notes: string[] = [];
        if (acc.requests === 1 || !acc.lastCall) notes.push('first call of step');
        if (e.error || !isOk(e)) notes.push(`error ${e.error?.code ?? `HTTP ${e.httpStatus}`}`);
        else if (e.observedStatus && previousStatus !== undefined && e.observedStatus !== previousStatus) {
          notes.push(`status changed to ${e.observedStatus}`);
        }
        call.note = notes.join('; ');
        acc.lastCall = call;
        if (notes.length) notable.push(call);
        break;
      }
      case 'waiting': {
        const acc = stepOf(e.stepId);
        acc.lastEventAt = e.at;
        acc.waits.count++;
        acc.waits.totalMs += e.delayMs;
        acc.waits.byReason[e.reason] = (acc.waits.byReason[e.reason] ?? 0) + 1;
        break;
      }
      case 'step-ended': {
        const acc = stepOf(e.stepId);
        acc.lastEnded = e;
        acc.lastEventAt = e.at;
        if (e.observedStatus && acc.statuses.last === undefined) acc.statuses.add(e.observedStatus);
        if (e.outputs) Object.assign(stepOutputs, e.outputs);
        if (e.error) lastStepError = e.error;
        break;
      }
      case 'run-paused':
        pausedError = e.error;
        if (pauses.length < LIMITS.pauses) {
          pauses.push({ at: e.at, stepId: e.stepId, reason: e.reason, message: clean(e.error.message) });
        }
        break;
      case 'run-ended':
        lastRunEnded = e;
        endedIsFinal = true;
        break;
      case 'import-results':
        importResults = e;
        break;
    }
  }

  // Requests the log never saw answered (the process stopped mid-request).
  for (const req of pending.values()) {
    byHttpStatus.pending = (byHttpStatus.pending ?? 0) + 1;
    const acc = stepOf(req.stepId, req.operationId);
    const call: ApiCall = { at: req.at, stepId: req.stepId, operationId: req.operationId, attempt: req.attempt, note: 'no answer recorded' };
    acc.lastCall = call;
    notable.push(call);
  }

  const runEnded = endedIsFinal ? lastRunEnded : undefined;
  const status: ReportStatus = runEnded ? runEnded.status : 'interrupted';

  // The last call of each step is always listed (it is the step's final word).
  const listed = notable.items();
  for (const acc of steps.values()) {
    const last = acc.lastCall;
    if (!last) continue;
    const note = last.note ? `${last.note}; last call of step` : 'last call of step';
    if (listed.includes(last)) {
      if (acc.requests > 1) last.note = note;
    } else listed.push({ ...last, note });
  }
  listed.sort((a, b) => ms(a.at) - ms(b.at) || a.stepId.localeCompare(b.stepId) || a.attempt - b.attempt);
  let notableOmitted = notable.omitted;
  while (listed.length > LIMITS.notableMax) {
    listed.splice(LIMITS.notableHead, 1);
    notableOmitted++;
  }

  const reportSteps: ReportStep[] = [...steps.values()].map((acc) => toReportStep(acc, status));

  const inputs = redactValue(clipStrings(started.inputs) as Record<string, unknown>);
  const workflowOutputs = redactValue(clipStrings(runEnded?.outputs ?? lastRunEnded?.outputs ?? {}) as Record<string, unknown>);
  const outputs = buildOutputs(reportSteps, workflowOutputs, stepOutputs, inputs);

  const error = runEnded?.error ?? (status === 'interrupted' ? pausedError : undefined) ?? (status !== 'succeeded' ? lastStepError : undefined);

  const region = started.context.region;
  const sandbox = started.context.sandbox;
  const results = importResults ? toReportImportResults(importResults) : undefined;
  const failingStep = reportSteps.find((s) => s.status === 'failed')?.stepId ?? currentStepId;

  const report: RunReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    product: { name: started.product.name, version: started.product.version },
    runId: started.runId,
    workflowId: started.workflowId,
    workflowHash: started.workflowHash,
    ...(started.workflowTitle ? { workflowTitle: started.workflowTitle } : {}),
    status,
    outcome: decideOutcome(status, outputs, results, error, failingStep, reportSteps, pausedError !== undefined),
    resumable: runEnded ? runEnded.resumable : true,
    startedAt: started.at,
    ...(runEnded ? { endedAt: runEnded.at, durationMs: ms(runEnded.at) - ms(started.at) } : {}),
    lastEventAt: lastEvent.at,
    who: {
      ...(started.context.callerArn ? { callerArn: started.context.callerArn } : {}),
      ...(started.context.accountId ? { accountId: started.context.accountId } : {}),
      ...(started.context.profile ? { profile: started.context.profile } : {}),
      region,
      sandbox,
      ...(started.context.endpoint ? { endpoint: started.context.endpoint } : {}),
    },
    inputs,
    steps: reportSteps,
    outputs,
    ...(results ? { importResults: results } : {}),
    ...(started.preflight ? { preflight: started.preflight } : {}),
    apiCalls: {
      total: totalCalls,
      byOperation: [...byOperation.values()],
      byHttpStatus,
      notable: listed,
      notableOmitted,
    },
    resumes,
    pauses,
    ...(error ? { error: cleanError(error) } : {}),
    ...(opts.logDamage ? { logDamage: { line: opts.logDamage.line, offset: opts.logDamage.offset, reason: opts.logDamage.reason, message: logDamageMessage(opts.logDamage, events.length) } } : {}),
    links: buildLinks(region, !consoleLinksApply(started.context), outputs, results),
  };
  // Final defensive pass: every string in the report goes through the redaction rules.
  return redactValue(report);
}

function toReportStep(acc: StepAcc, runStatus: ReportStatus): ReportStep {
  const ended = acc.lastEnded && acc.lastEnded.seq > acc.lastStartSeq ? acc.lastEnded : undefined;
  let status: StepStatus;
  if (!acc.firstStartAt && !acc.lastEnded) status = 'not_run';
  else if (ended) status = ended.outcome;
  else if (runStatus === 'cancelled') status = 'cancelled';
  else if (runStatus === 'failed' || runStatus === 'error') status = 'failed';
  else status = 'interrupted';
  const startedAt = acc.firstStartAt ?? acc.lastEnded?.at;
  const step: ReportStep = {
    stepId: acc.stepId,
    operationId: acc.operationId,
    ...(acc.description ? { description: clip(acc.description, 500) } : {}),
    polling: acc.polling,
    status,
    ...(startedAt ? { startedAt } : {}),
    ...(ended ? { endedAt: ended.at } : {}),
    ...(ended && startedAt ? { durationMs: ms(ended.at) - ms(startedAt) } : {}),
    attempts: acc.requests,
    polls: acc.polls,
    throttled: acc.throttled,
    transientErrors: acc.transient,
    observedStatuses: acc.statuses.result(),
    observedStatusesText: acc.statuses.text(),
    observedStatusesOmitted: acc.statuses.omitted,
    ...(acc.statuses.last ? { lastObservedStatus: acc.statuses.last } : {}),
    ...(acc.clientToken ? { clientToken: acc.clientToken } : {}),
    requestIds: { total: acc.requestIdsTotal, first: acc.requestIdsFirst, last: acc.requestIdsLast },
    errors: [...acc.errors.values()],
    ...(ended?.error ? { error: cleanError(ended.error) } : {}),
    ...(ended?.action ? { action: { ...ended.action } } : {}),
    waits: acc.waits,
  };
  return step;
}

function buildOutputs(
  steps: ReportStep[],
  workflow: Record<string, unknown>,
  stepOutputs: Record<string, unknown>,
  inputs: Record<string, unknown>,
): RunReport['outputs'] {
  const lastStatusOf = (ops: Set<string>) => {
    let found: string | undefined;
    for (const s of steps) if (ops.has(s.operationId) && s.lastObservedStatus) found = s.lastObservedStatus;
    return found;
  };
  const datastoreId = asString(workflow.datastoreId) ?? asString(stepOutputs.datastoreId);
  const jobId = asString(workflow.jobId) ?? asString(stepOutputs.jobId);
  const jobStatus = asString(workflow.jobStatus) ?? lastStatusOf(JOB_OPS) ?? asString(stepOutputs.jobStatus);
  const datastoreStatus = lastStatusOf(DATASTORE_OPS) ?? asString(stepOutputs.datastoreStatus);
  // An onboarding names its data store in its inputs; an import into an existing one learns the
  // name from the service (its GetDatastore step's output).
  const datastoreName = asString(inputs.datastoreName) ?? asString(stepOutputs.datastoreName);
  return {
    ...(datastoreId ? { datastoreId } : {}),
    ...(datastoreName ? { datastoreName } : {}),
    ...(datastoreStatus ? { datastoreStatus } : {}),
    ...(jobId ? { jobId } : {}),
    ...(jobStatus ? { jobStatus } : {}),
    workflow,
  };
}

function toReportImportResults(e: ImportResultsEvent): ReportImportResults {
  const r = e.results;
  const failed =
    r.state === 'read' && (r.numberOfFilesWithCustomerError !== undefined || r.numberOfFilesWithServerError !== undefined)
      ? (r.numberOfFilesWithCustomerError ?? 0) + (r.numberOfFilesWithServerError ?? 0)
      : undefined;
  const imageSets = r.imageSets ?? [];
  const out: ReportImportResults = {
    state: r.state,
    ...(r.message ? { message: clean(r.message) } : {}),
    ...(r.manifestUri ? { manifestUri: r.manifestUri } : {}),
    ...(r.numberOfScannedFiles !== undefined ? { numberOfScannedFiles: r.numberOfScannedFiles } : {}),
    ...(r.numberOfImportedFiles !== undefined ? { numberOfImportedFiles: r.numberOfImportedFiles } : {}),
    ...(r.numberOfFilesWithCustomerError !== undefined ? { numberOfFilesWithCustomerError: r.numberOfFilesWithCustomerError } : {}),
    ...(r.numberOfFilesWithServerError !== undefined ? { numberOfFilesWithServerError: r.numberOfFilesWithServerError } : {}),
    ...(r.numberOfGeneratedImageSets !== undefined ? { numberOfGeneratedImageSets: r.numberOfGeneratedImageSets } : {}),
    ...(failed !== undefined ? { failedFiles: failed } : {}),
    ...(r.imageSets ? { imageSets: imageSets.slice(0, LIMITS.imageSets) } : {}),
    ...(imageSets.length > LIMITS.imageSets ? { imageSetsOmitted: imageSets.length - LIMITS.imageSets } : {}),
    ...(r.failures
      ? {
          failures: r.failures.slice(0, LIMITS.failures).map((f) => ({
            inputFile: clip(f.inputFile, 1024),
            ...(f.exceptionType ? { exceptionType: clip(f.exceptionType, 200) } : {}),
            message: clean(f.message, 500),
          })),
        }
      : {}),
    ...(r.failuresByType
      ? {
          failuresByType: r.failuresByType.slice(0, LIMITS.failureGroups).map((g) => ({
            type: clip(g.type, 200),
            count: g.count,
            examples: g.examples.slice(0, 5).map((f) => clip(f, 1024)),
            message: clean(g.message, 500),
            ...(g.cause ? { cause: g.cause } : {}),
            ...(g.fix ? { fix: g.fix } : {}),
          })),
        }
      : {}),
    ...(r.failuresComplete !== undefined ? { failuresComplete: r.failuresComplete } : {}),
    ...(r.warnings
      ? {
          warnings: r.warnings.slice(0, LIMITS.warnings).map((w) => ({
            ...(w.inputFile ? { inputFile: clip(w.inputFile, 1024) } : {}),
            ...(w.code ? { code: clip(w.code, 200) } : {}),
            ...(w.type ? { type: clip(w.type, 200) } : {}),
            message: clean(w.message, 500),
          })),
        }
      : {}),
    ...(r.nonPrimaryImageSets
      ? {
          nonPrimaryImageSets: r.nonPrimaryImageSets.slice(0, LIMITS.nonPrimary).map((n) => ({
            imageSetId: n.imageSetId,
            count: n.count,
            instances: n.instances.slice(0, 5).map((f) => clip(f, 1024)),
          })),
        }
      : {}),
    readAt: e.at,
  };
  return out;
}

const LABELS = OUTCOME_LABELS;

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

function decideOutcome(
  status: ReportStatus,
  outputs: RunReport['outputs'],
  results: ReportImportResults | undefined,
  error: RunError | undefined,
  stepId: string | undefined,
  steps: ReportStep[],
  paused: boolean,
): ReportOutcome {
  const store = outputs.datastoreName
    ? `Data store ${outputs.datastoreName}${outputs.datastoreId ? ` (${outputs.datastoreId})` : ''}`
    : outputs.datastoreId
      ? `Data store ${outputs.datastoreId}`
      : 'The data store';
  const job = outputs.jobId ? `import job ${outputs.jobId}` : 'the import job';
  const at = stepId ? ` at step ${stepId}` : '';
  const why = error ? ` ${clean(error.message, 300)}` : '';
  const kept = outputs.datastoreId
    ? ` Nothing was deleted: ${outputs.datastoreId}${outputs.jobId ? ` and job ${outputs.jobId}` : ''} remain${outputs.jobId ? '' : 's'}.`
    : '';

  const make = (code: ReportOutcome['code'], summary: string): ReportOutcome => ({ code, label: LABELS[code], summary });

  switch (status) {
    case 'succeeded': {
      const failed = results?.failedFiles ?? 0;
      if (results?.state === 'read' && failed > 0 && outputs.jobStatus === 'COMPLETED') {
        const scanned = results.numberOfScannedFiles;
        return make(
          'completed_with_errors',
          `${store} is ${outputs.datastoreStatus ?? 'ready'} and ${job} COMPLETED, but ${plural(failed, 'file')}${scanned !== undefined ? ` of ${scanned.toLocaleString('en-US')}` : ''} failed to import` +
            ` (${results.numberOfFilesWithCustomerError ?? 0} with customer errors, ${results.numberOfFilesWithServerError ?? 0} with server errors).` +
            ` The first failures and their reasons are listed under Import results.`,
        );
      }
      let tail = '.';
      if (results?.state === 'read') {
        const imported = results.numberOfImportedFiles ?? 0;
        const scanned = results.numberOfScannedFiles;
        tail =
          `: ${plural(imported, 'file')} imported${scanned !== undefined ? ` of ${scanned.toLocaleString('en-US')} scanned` : ''}` +
          (results.numberOfGeneratedImageSets !== undefined ? ` into ${plural(results.numberOfGeneratedImageSets, 'image set')}.` : '.');
      } else if (results) {
        tail = `. The import's results could not be read (${results.state}): ${results.message ?? 'no detail'}`;
      }
      const haveImport = steps.some((s) => JOB_OPS.has(s.operationId));
      const summary = haveImport
        ? `${store} is ${outputs.datastoreStatus ?? 'ready'} and ${job} ${outputs.jobStatus ?? 'finished'}${tail}`
        : `The workflow finished successfully${tail}`;
      return make('succeeded', summary);
    }
    case 'failed':
      return make('failed', `The run failed${at}.${why}`);
    case 'cancelled':
      return make('cancelled', `The run was cancelled${at}.${kept} It can be resumed.`);
    case 'timed_out':
      return make('timed_out', `A deadline passed${at}.${why}${kept} It can be resumed.`);
    case 'error':
      return make('error', `The run stopped on an error${at}.${why}`);
    case 'interrupted':
      return make(
        'interrupted',
        paused
          ? `The run is paused${at}.${why} Continue it after signing in again, or resume it later.`
          : `The run log ends without a result${at}: the process was stopped or is still running.${kept} It can be resumed.`,
      );
  }
}

function buildLinks(
  region: string,
  notInConsole: boolean,
  outputs: RunReport['outputs'],
  results: ReportImportResults | undefined,
): RunReport['links'] {
  // Sandbox resources, and those behind a custom non-AWS endpoint, are not in the AWS console:
  // console links would point at nothing.
  if (notInConsole) return { docs: DOC_LINKS };
  const datastoreConsole = outputs.datastoreId ? datastoreConsoleUrl(region, outputs.datastoreId) : undefined;
  const jobConsole = outputs.datastoreId && outputs.jobId ? importJobConsoleUrl(region, outputs.datastoreId, outputs.jobId) : undefined;
  const outputConsole = results?.manifestUri ? s3ConsoleUrl(region, results.manifestUri.replace(/[^/]*$/, '')) : undefined;
  return {
    ...(datastoreConsole ? { datastoreConsole } : {}),
    ...(jobConsole ? { jobConsole } : {}),
    ...(outputConsole ? { outputConsole } : {}),
    docs: DOC_LINKS,
  };
}
