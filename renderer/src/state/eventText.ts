/** One line of text per event for the live event log. Never prints payload values wholesale. */
import type { RunEvent } from '../../../contract/ipc';

export function eventText(e: RunEvent): string {
  switch (e.type) {
    case 'run-started':
      return `Run started: ${e.workflowTitle ?? e.workflowId} (${e.steps.length} steps, ${e.context.sandbox ? 'sandbox' : e.context.region})`;
    case 'run-resumed':
      return `Run resumed at ${e.stepId}: ${e.reason}`;
    case 'step-started':
      return `${e.stepId}: started ${e.operationId}`;
    case 'request-sent':
      return `${e.stepId}: ${e.operationId} request #${e.attempt} sent${e.clientToken ? ` (client token ${e.clientToken})` : ''}`;
    case 'response-received': {
      const what = e.error ? `${e.error.code}: ${e.error.message}` : e.observedStatus ? `status ${e.observedStatus}` : 'ok';
      return `${e.stepId}: HTTP ${e.httpStatus} in ${e.durationMs} ms, ${what}${e.requestId ? ` [${e.requestId}]` : ''}`;
    }
    case 'waiting':
      return `${e.stepId}: waiting ${(e.delayMs / 1000).toFixed(1)} s (${e.reason})`;
    case 'step-ended':
      return `${e.stepId}: ${e.outcome}${e.observedStatus ? ` (${e.observedStatus})` : ''}${e.action ? `, ${e.action.type}${e.action.name ? ` ${e.action.name}` : ''}${e.action.stepId ? ` → ${e.action.stepId}` : ''}` : ''}${e.error ? `: ${e.error.message}` : ''}`;
    case 'run-paused':
      return `Run paused at ${e.stepId}: ${e.error.message}`;
    case 'run-continued':
      return `Run continued at ${e.stepId}`;
    case 'run-ended':
      return `Run ended: ${e.status}${e.error ? ` (${e.error.code}: ${e.error.message})` : ''}`;
    case 'import-results':
      return e.results.state === 'read'
        ? `Import results: ${e.results.numberOfImportedFiles ?? 0}/${e.results.numberOfScannedFiles ?? 0} files imported, ${(e.results.numberOfFilesWithCustomerError ?? 0) + (e.results.numberOfFilesWithServerError ?? 0)} failed`
        : `Import results not read: ${e.results.state}${e.results.message ? ` (${e.results.message})` : ''}`;
  }
}

// One formatter for every row: building Intl formats per call dominated a 10,000-event replay.
let timeFormat: Intl.DateTimeFormat | undefined;

export function eventTime(e: RunEvent): string {
  const ms = Date.parse(e.at);
  if (Number.isNaN(ms)) return e.at;
  timeFormat ??= new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  return timeFormat.format(ms);
}
