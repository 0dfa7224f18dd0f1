/** Words for what the engine reports by id: step titles, API calls, wait reasons. */
import { formatDuration as formatDurationText } from '../../../core/text/duration';
import type { WaitReason } from './eventTypes';

const OPERATION_TITLES: Record<string, string> = {
  CreateDatastore: 'Create data store',
  GetDatastore: 'Wait for the data store to become ACTIVE',
  StartDICOMImportJob: 'Start the DICOM import job',
  GetDICOMImportJob: 'Wait for the import job to finish',
};

/** A step's title; a GetDatastore that does not poll is the import's one-time check, not a wait. */
export function stepTitle(step: { stepId: string; operationId: string; polling?: boolean }): string {
  if (step.operationId === 'GetDatastore' && step.polling === false) return 'Check that the data store is ACTIVE';
  return OPERATION_TITLES[step.operationId] ?? step.stepId;
}

export interface PlannedCall {
  operation: string;
  request: string;
  purpose: string;
  polling: boolean;
}

/** The four calls the onboarding makes, in order, as the Review step lists them. */
export const PLANNED_CALLS: readonly PlannedCall[] = [
  { operation: 'CreateDatastore', request: 'POST /datastore', purpose: 'Creates the data store (safe to retry: it carries the data store client token).', polling: false },
  { operation: 'GetDatastore', request: 'GET /datastore/{datastoreId}', purpose: 'Polls until the data store is ACTIVE (stops on CREATE_FAILED).', polling: true },
  { operation: 'StartDICOMImportJob', request: 'POST /startDICOMImportJob/datastore/{datastoreId}', purpose: 'Starts the import from the input S3 location (carries the import client token).', polling: false },
  { operation: 'GetDICOMImportJob', request: 'GET /getDICOMImportJob/datastore/{datastoreId}/job/{jobId}', purpose: 'Polls until the job is COMPLETED or FAILED.', polling: true },
];

/** The three calls an import into an existing data store makes (import-into-datastore). */
export const IMPORT_CALLS: readonly PlannedCall[] = [
  { operation: 'GetDatastore', request: 'GET /datastore/{datastoreId}', purpose: 'Reads the data store once: the import goes on only if it is ACTIVE; any other status stops the run before anything starts.', polling: false },
  { operation: 'StartDICOMImportJob', request: 'POST /startDICOMImportJob/datastore/{datastoreId}', purpose: 'Starts a new import job from the input S3 location (carries a new import client token).', polling: false },
  { operation: 'GetDICOMImportJob', request: 'GET /getDICOMImportJob/datastore/{datastoreId}/job/{jobId}', purpose: 'Polls until the job is COMPLETED or FAILED.', polling: true },
];

export function waitReasonText(reason: WaitReason): string {
  switch (reason) {
    case 'poll':
      return 'Waiting for the next status check';
    case 'retry':
      return 'Waiting to retry';
    case 'throttled':
      return 'Throttled by AWS: backing off';
    case 'transient-error':
      return 'Temporary service error: backing off';
    default:
      return 'Waiting';
  }
}

export const LABEL_BY_OUTPUT: Record<string, string> = {
  datastoreId: 'Data store ID',
  datastoreStatus: 'Data store status',
  jobId: 'Import job ID',
  jobStatus: 'Import job status',
  endedAt: 'Ended at',
};

/** The shell command in an action such as "Run: aws sso login --profile dev", if it is one. */
export function commandOfAction(action: string): string | undefined {
  const command = /^Run:\s*(.+?)\.?$/.exec(action.trim())?.[1];
  return command && /^[\w./-]+(\s|$)/.test(command) ? command : undefined;
}

/** Durations as everywhere else in the product, with an em dash when unknown. */
export function formatDuration(ms: number | undefined): string {
  return formatDurationText(ms, '—');
}

export function formatShortDateTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
