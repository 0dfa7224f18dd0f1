/** What a list of runs shows, derived from a run's events alone. */
import type { ImportResults, RunContext, RunEvent, RunStatus } from '../engine/events';
import type { RunLogDamage } from './damaged-log';

export interface RunLogSummary {
  runId: string;
  workflowId?: string;
  startedAt?: string;
  lastEventAt?: string;
  endedAt?: string;
  /** Status of the last run-ended; absent while the log has no end after its last (re)start. */
  status?: RunStatus;
  /** True when the log ends with run-ended (after the last run-resumed). */
  ended: boolean;
  /** A run with no end (crash/kill) or one that ended resumable can be resumed. */
  resumable: boolean;
  /** True when the last thing recorded is a pause for credentials. */
  paused: boolean;
  context?: RunContext;
  inputs?: Record<string, unknown>;
  /** Every step output learned, latest value per name (datastoreId, jobId, jobStatus...). */
  outputs: Record<string, unknown>;
  lastObservedStatus?: string;
  /** What the import really did, once read after the run (decides "completed with errors"). */
  importResults?: ImportResults;
  eventCount: number;
  /** Set when a line before the last is bad: the summary covers the events before it. */
  damage?: RunLogDamage;
}

export function summarizeRun(runId: string, events: readonly RunEvent[], header?: { workflowId: string; inputs: Record<string, unknown>; context: RunContext }): RunLogSummary {
  const summary: RunLogSummary = { runId, ended: false, resumable: false, paused: false, outputs: {}, eventCount: events.length };
  if (header) {
    summary.workflowId = header.workflowId;
    summary.inputs = header.inputs;
    summary.context = header.context;
  }
  for (const e of events) {
    summary.lastEventAt = e.at;
    switch (e.type) {
      case 'run-started':
        summary.workflowId = e.workflowId;
        summary.startedAt = e.at;
        summary.inputs = e.inputs;
        summary.context = e.context;
        break;
      case 'run-resumed':
        summary.ended = false;
        delete summary.status;
        delete summary.endedAt;
        if (e.context) summary.context = e.context;
        break;
      case 'response-received':
        if (e.outputs) for (const [k, v] of Object.entries(e.outputs)) if (v !== undefined) summary.outputs[k] = v;
        if (e.observedStatus) summary.lastObservedStatus = e.observedStatus;
        break;
      case 'run-ended':
        summary.ended = true;
        summary.status = e.status;
        summary.endedAt = e.at;
        summary.resumable = e.resumable;
        for (const [k, v] of Object.entries(e.outputs)) if (v !== undefined) summary.outputs[k] = v;
        break;
      case 'import-results':
        summary.importResults = e.results;
        break;
      default:
        break;
    }
    summary.paused = e.type === 'run-paused';
  }
  if (!summary.ended) summary.resumable = events.some((e) => e.type === 'run-started');
  return summary;
}
