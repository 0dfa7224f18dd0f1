/**
 * Words and numbers shared by the Markdown and HTML renderers, so both say the same thing.
 * Times are shown in UTC: a report is evidence and must not depend on the reader's zone.
 */
import type { OutcomeCode, ReportStep, RunReport, StepStatus } from './types';

export { formatDuration } from '../text/duration';

/** 2026-03-12 09:15:00 UTC */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;
}

/** 09:15:00 (same-day times in tables). */
export function formatClock(iso: string | undefined): string {
  if (!iso) return '-';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().slice(11, 19);
}

export function formatCount(n: number | undefined): string {
  return n === undefined ? '-' : n.toLocaleString('en-US');
}

export const STEP_STATUS_LABEL: Record<StepStatus, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
  not_run: 'Not run',
};

/** Visual tone of a status: the same five tones as the AWS console's status indicators. */
export type Tone = 'success' | 'error' | 'warning' | 'stopped' | 'info';

export function outcomeTone(code: OutcomeCode): Tone {
  switch (code) {
    case 'succeeded':
      return 'success';
    case 'completed_with_errors':
      return 'warning';
    case 'failed':
    case 'error':
      return 'error';
    case 'timed_out':
    case 'interrupted':
      return 'warning';
    case 'cancelled':
      return 'stopped';
  }
}

export function stepTone(status: StepStatus): Tone {
  switch (status) {
    case 'succeeded':
      return 'success';
    case 'failed':
      return 'error';
    case 'cancelled':
    case 'not_run':
      return 'stopped';
    case 'interrupted':
      return 'warning';
  }
}

/** Requests, with polls and retries spelled out when there were any. */
export function requestsText(step: ReportStep): string {
  const parts: string[] = [];
  if (step.polling) parts.push(`${formatCount(step.polls)} polls`);
  if (step.throttled) parts.push(`${formatCount(step.throttled)} throttled`);
  if (step.transientErrors) parts.push(`${formatCount(step.transientErrors)} transient errors`);
  return parts.length ? `${formatCount(step.attempts)} (${parts.join(', ')})` : formatCount(step.attempts);
}

/** Title shown at the top: the data store's name when there is one. */
export function reportTitle(report: RunReport): string {
  return report.outputs.datastoreName ?? report.outputs.datastoreId ?? report.runId;
}

export function whereText(report: RunReport): string {
  return report.who.sandbox ? `Local sandbox (${report.who.region}, not AWS)` : `AWS, ${report.who.region}`;
}

/** Inputs in a stable, readable order: the seed's fields first, then the rest alphabetically. */
const INPUT_ORDER = [
  'datastoreName',
  'datastoreClientToken',
  'dataAccessRoleArn',
  'inputS3Uri',
  'outputS3Uri',
  'importClientToken',
  'jobName',
  'kmsKeyArn',
  'losslessStorageFormat',
  'inputOwnerAccountId',
  'tags',
];

export function orderedInputs(inputs: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(inputs).sort(([a], [b]) => {
    const ia = INPUT_ORDER.indexOf(a);
    const ib = INPUT_ORDER.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 999 : ia) - (ib < 0 ? 999 : ib);
    return a.localeCompare(b);
  });
}

export function valueText(v: unknown): string {
  if (v === undefined || v === null) return '-';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Human labels of the inputs the seed workflow and the wizard use. */
export const INPUT_LABEL: Record<string, string> = {
  datastoreName: 'Data store name',
  datastoreClientToken: 'Data store client token',
  dataAccessRoleArn: 'Data access role',
  importClientToken: 'Import client token',
  inputS3Uri: 'Input S3 location',
  outputS3Uri: 'Output S3 location',
  jobName: 'Import job name',
  kmsKeyArn: 'KMS key',
  losslessStorageFormat: 'Lossless storage format',
  inputOwnerAccountId: 'Input bucket owner account',
  tags: 'Tags',
};

export const IMPORT_STATE_TEXT: Record<string, string> = {
  read: 'Read from the job output manifest',
  'not-found': 'Not found',
  'access-denied': 'Access denied',
  error: 'Could not be read',
};
