/**
 * exportReport: the command line's (and the app's main process') one call to write a report file
 * in any format, atomically (write-atomically.ts) so a reader never sees half a report. Every
 * format goes through the checked renderer (no secret leaves in a report); PDF is printed by the
 * app's own window when it passes printToPdf, else by a local Chromium into a temporary folder.
 */
import { readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../engine/events';
import { buildReport } from './build';
import { renderPdfWithChromium } from './pdf';
import { renderCheckedReport, type RenderReportOptions } from './render';
import type { RunReport } from './types';
import { writeFileAtomically } from './write-atomically';

export type ExportFormat = 'json' | 'html' | 'md' | 'pdf';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['json', 'html', 'md', 'pdf'];

export interface ExportReportOptions extends RenderReportOptions {
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
  const known = opts.knownSecrets ?? [];
  if (format !== 'pdf') await writeFileAtomically(outFile, renderCheckedReport(report, format, known));
  else if (opts.printToPdf) await writeFileAtomically(outFile, await opts.printToPdf(renderCheckedReport(report, 'html', known)));
  else await writePdf(renderCheckedReport(report, 'html', known), outFile, opts.chromiumPath);
  return { path: outFile, format, bytes: statSync(outFile).size, report };
}
