/**
 * exportReport: the command line's (and the app's main process') one call to write a report file
 * in any format, atomically (write-atomically.ts) so a reader never sees half a report; PDF is
 * printed by a local Chromium (pdf.ts) into a temporary folder first.
 */
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../engine/events';
import { buildReport, type BuildReportOptions } from './build';
import { renderPdfWithChromium } from './pdf';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';
import type { RunReport } from './types';
import { writeFileAtomically } from './write-atomically';

export type ExportFormat = 'json' | 'html' | 'md' | 'pdf';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'html', 'md', 'pdf'];

export interface ExportReportOptions extends BuildReportOptions {
  /** Browser used for PDF; default: findChromium(). */
  chromiumPath?: string;
}

export interface ExportedReport {
  path: string;
  format: ExportFormat;
  bytes: number;
  report: RunReport;
}

/** Chromium prints to a file of its own; the bytes then reach `outFile` atomically like the text formats. */
async function writePdf(html: string, outFile: string, chromiumPath: string | undefined): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ahi-report-out-'));
  try {
    const printed = join(dir, 'report.pdf');
    await renderPdfWithChromium(html, printed, chromiumPath ? { chromiumPath } : {});
    await writeFileAtomically(outFile, readFileSync(printed));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function exportReport(events: RunEvent[], format: ExportFormat, outFile: string, opts: ExportReportOptions = {}): Promise<ExportedReport> {
  if (!EXPORT_FORMATS.includes(format)) throw new Error(`Unknown report format "${String(format)}": use json, html, md or pdf.`);
  const report = buildReport(events, opts);
  switch (format) {
    case 'json':
      await writeFileAtomically(outFile, renderJson(report));
      break;
    case 'md':
      await writeFileAtomically(outFile, renderMarkdown(report));
      break;
    case 'html':
      await writeFileAtomically(outFile, renderHtml(report));
      break;
    case 'pdf':
      await writePdf(renderHtml(report), outFile, opts.chromiumPath);
      break;
  }
  return { path: outFile, format, bytes: statSync(outFile).size, report };
}
