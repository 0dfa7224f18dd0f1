/** A run's report, exported where the user chooses: one call for the app (the CLI names the file itself). */
import { buildReport } from '../report/build';
import { exportReport, type ExportFormat } from '../report/export';
import { reportFileName } from '../report/file-name';
import type { RunStore } from '../runs/run-store';

export interface ReportDestination {
  /** Asks where to save; undefined when the user cancelled. */
  choosePath(defaultName: string, format: ExportFormat): Promise<string | undefined>;
  printToPdf?(html: string): Promise<Buffer>;
}

export async function exportRunReport(store: RunStore, runId: string, format: ExportFormat, to: ReportDestination): Promise<{ saved: boolean; path?: string }> {
  const events = await store.read(runId);
  const filePath = await to.choosePath(reportFileName(buildReport(events), format), format);
  if (!filePath) return { saved: false };
  await exportReport(events, format, filePath, to.printToPdf ? { printToPdf: (html) => to.printToPdf!(html) } : {});
  return { saved: true, path: filePath };
}
