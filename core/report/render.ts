/** One call from an event log to a rendered report, for the app and the command line. */
import type { RunEvent } from '../engine/events';
import { buildReport, type BuildReportOptions } from './build';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';

export type TextReportFormat = 'json' | 'html' | 'md';

export function renderReport(events: RunEvent[], format: TextReportFormat, opts: BuildReportOptions = {}): string {
  const report = buildReport(events, opts);
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'html':
      return renderHtml(report);
    case 'md':
      return renderMarkdown(report);
    default:
      throw new Error(`Unknown report format "${String(format)}": use json, html or md.`);
  }
}
