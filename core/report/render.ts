/**
 * One call from an event log to a rendered report, for the app and the command line. Every
 * rendering passes the outgoing leak guard: buildReport redacts, the guard checks each string
 * (against the secrets in use and the credential markers) and then the whole text, so a report
 * that would still hold a credential is never produced.
 */
import type { RunEvent } from '../engine/events';
import { guardValue } from '../redaction/outgoing';
import { assertNoSecrets } from '../redaction/secrets-guard';
import { buildReport, type BuildReportOptions } from './build';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';
import type { RunReport } from './types';

export type TextReportFormat = 'json' | 'html' | 'md';

export interface RenderReportOptions extends BuildReportOptions {
  /** Secrets of the credentials in use (AwsSession.secretsInUse): none of them is rendered. */
  knownSecrets?: readonly string[];
}

/** A built report as text, through the guard; throws SecretLeakError rather than render a leak. */
export function renderCheckedReport(built: RunReport, format: TextReportFormat, known: readonly string[] = []): string {
  const report = guardValue(built, known);
  let text: string;
  switch (format) {
    case 'json':
      text = renderJson(report);
      break;
    case 'html':
      text = renderHtml(report);
      break;
    case 'md':
      text = renderMarkdown(report);
      break;
    default:
      throw new Error(`Unknown report format "${String(format)}": use json, html or md.`);
  }
  assertNoSecrets(text, known);
  return text;
}

export function renderReport(events: RunEvent[], format: TextReportFormat, opts: RenderReportOptions = {}): string {
  return renderCheckedReport(buildReport(events, opts), format, opts.knownSecrets);
}
