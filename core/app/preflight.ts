/**
 * The preflight as both adapters use it: for a run request's inputs, the checks of core/preflight;
 * the gate in front of a run (a blocking problem stops before CreateDatastore unless the user
 * chose to start anyway); the record the run log keeps; and cancellable preflights by request id
 * (the app's Review step starts a new one whenever the user asks again or leaves).
 */
import type { PreflightResult } from '../../contract/ipc';
import type { AwsSession } from '../aws/session';
import type { RunPreflight } from '../engine/events';
import { InvalidInputsError } from '../engine/inputs';
import { preflightInputsFrom } from '../preflight/inputs';
import { runPreflight, type PreflightOptions } from '../preflight/runner';
import type { CheckResult, PreflightInputs, PreflightReport } from '../preflight/types';

/** The preflight's fields of a workflow's inputs, or InvalidInputsError naming each bad field (nothing sent). */
export function preflightInputsOf(workflowInputs: Record<string, unknown>): PreflightInputs {
  const { inputs, issues } = preflightInputsFrom(workflowInputs);
  if (!inputs) throw new InvalidInputsError(issues);
  return inputs;
}

/** Exactly the documented shape: {ready, checks: [{id, status, title, detail, fix?}]}. */
export function preflightSummary(r: PreflightReport): { ready: boolean; checks: CheckResult[] } {
  return { ready: r.ready, checks: r.checks.map((c) => ({ id: c.id, status: c.status, title: c.title, detail: c.detail, ...(c.fix ? { fix: c.fix } : {}) })) };
}

/** What the app's window gets: the summary and the AWS errors (code and redacted message only). */
export function preflightResult(r: PreflightReport): PreflightResult {
  return { ...preflightSummary(r), errors: r.errors.map((e) => ({ checkId: e.checkId, code: e.code, message: e.message })) };
}

/** The run log's record of a preflight the user chose to skip. */
export const SKIPPED_PREFLIGHT: RunPreflight = { ready: false, skipped: true, checks: [] };

/**
 * Why a finished preflight blocks the run, in one sentence naming the failing checks, or undefined
 * when nothing blocks. AWS errors first: then the checks could not say anything.
 */
export function blockingProblem(r: PreflightReport): string | undefined {
  if (r.errors.length > 0) return `The preflight could not complete: ${r.errors.map((e) => `${e.checkId}: ${e.message}`).join('; ')}`;
  const failing = r.checks.filter((c) => c.status === 'fail');
  if (failing.length === 0) return undefined;
  return `The preflight found ${failing.length === 1 ? 'a blocking problem' : `${failing.length} blocking problems`}: ${failing.map((c) => `${c.id} (${c.title})`).join(', ')}`;
}

/** A run refused because its preflight found a blocking problem: nothing was created. */
export class PreflightBlockedError extends Error {
  override name = 'PreflightBlockedError';
  readonly code: 'PreflightFailed' | 'PreflightError';
  constructor(
    readonly report: PreflightReport,
    problem: string,
    startAnyway: string,
  ) {
    super(`${problem}. Nothing was created. Fix ${report.checks.filter((c) => c.status === 'fail').length === 1 ? 'it' : 'them'}, or ${startAnyway}.`);
    this.code = report.errors.length > 0 ? 'PreflightError' : 'PreflightFailed';
  }
}

export interface PreflightGateOptions extends PreflightOptions {
  /** The user's explicit "start anyway": no checks, and the run log says they were skipped. */
  skip?: boolean;
  /** How the refusal names the way to start anyway, e.g. 'choose “I understand, start anyway”'. */
  startAnyway: string;
}

/**
 * The gate in front of a run: the preflight of the run's workflow inputs, its record for the run
 * log, or PreflightBlockedError. A workflow without the preflight's fields has nothing to check.
 */
export async function preflightGate(session: AwsSession, workflowInputs: Record<string, unknown>, opts: PreflightGateOptions): Promise<RunPreflight> {
  if (opts.skip) return SKIPPED_PREFLIGHT;
  const { inputs } = preflightInputsFrom(workflowInputs);
  if (!inputs) return SKIPPED_PREFLIGHT;
  const report = await runPreflight(session, inputs, opts);
  const problem = blockingProblem(report);
  if (problem) throw new PreflightBlockedError(report, problem, opts.startAnyway);
  return preflightSummary(report);
}

export class PreflightCancelledError extends Error {
  override name = 'PreflightCancelledError';
  constructor() {
    super('The preflight was cancelled.');
  }
}

/** Preflights under way by request id, so a newer request (or leaving the step) can stop an older one. */
export interface PreflightRegistry {
  run(requestId: string | undefined, task: (signal: AbortSignal) => Promise<PreflightReport>): Promise<PreflightReport>;
  cancel(requestId: string): void;
  cancelAll(): void;
}

export function createPreflightRegistry(): PreflightRegistry {
  const running = new Map<string, AbortController>();
  return {
    async run(requestId, task) {
      const abort = new AbortController();
      if (requestId) {
        running.get(requestId)?.abort(new PreflightCancelledError());
        running.set(requestId, abort);
      }
      try {
        return await task(abort.signal);
      } catch (e) {
        if (abort.signal.aborted) throw new PreflightCancelledError();
        throw e;
      } finally {
        if (requestId && running.get(requestId) === abort) running.delete(requestId);
      }
    },
    cancel(requestId) {
      running.get(requestId)?.abort(new PreflightCancelledError());
    },
    cancelAll() {
      for (const abort of running.values()) abort.abort(new PreflightCancelledError());
      running.clear();
    },
  };
}

/** A run request's preflight: InvalidInputsError for bad fields, else every check. */
export async function preflightOfRun(session: AwsSession, workflowInputs: Record<string, unknown>, opts: PreflightOptions = {}): Promise<PreflightReport> {
  return runPreflight(session, preflightInputsOf(workflowInputs), opts);
}
