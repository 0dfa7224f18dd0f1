/**
 * exportReport: the command line's (and the app's main process') one call to write a report file
 * in any format. Text formats are written to a temporary sibling and renamed, so a reader never
 * sees half a report; PDF goes through a local Chromium (pdf.ts).
 */
import { renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { RunEvent } from '../engine/events';
import { buildReport, type BuildReportOptions } from './build';
import { renderPdfWithChromium } from './pdf';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';
import type { RunReport } from './types';

export type ExportFormat = 'json' | 'html' | 'md' | 'pdf';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'html', 'md', 'pdf'];

export interface ExportReportOptions extends BuildReportOptions {
  /** Browser used for PDF; default: findChromium(). */
  chromiumPath?: string;
  /** Prints HTML to PDF bytes instead of a local Chromium (the app prints with its own window). */
  printToPdf?: (html: string) => Promise<Buffer>;
}

export interface ExportedReport {
  path: string;
  format: ExportFormat;
  bytes: number;
  report: RunReport;
}

function writeAtomically(file: string, text: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

export async function exportReport(events: RunEvent[], format: ExportFormat, outFile: string, opts: ExportReportOptions = {}): Promise<ExportedReport> {
  if (!EXPORT_FORMATS.includes(format)) throw new Error(`Unknown report format "${String(format)}": use json, html, md or pdf.`);
  const report = buildReport(events, opts);
  switch (format) {
    case 'json':
      writeAtomically(outFile, renderJson(report));
      break;
    case 'md':
      writeAtomically(outFile, renderMarkdown(report));
      break;
    case 'html':
      writeAtomically(outFile, renderHtml(report));
      break;
    case 'pdf':
      if (opts.printToPdf) {
        writeAtomically(outFile, await opts.printToPdf(renderHtml(report)));
        break;
      }
      await renderPdfWithChromium(renderHtml(report), outFile, opts.chromiumPath ? { chromiumPath: opts.chromiumPath } : {});
      break;
  }
  return { path: outFile, format, bytes: statSync(outFile).size, report };
}
