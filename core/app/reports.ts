/** A run's report, exported where the user chooses: one call for the app (the CLI names the file itself). */
import { buildReport } from '../report/build';
import { exportReport, type ExportFormat } from '../report/export';
import { reportFileName } from '../report/file-name';
import { readRunLog, type RunStore } from '../runs/run-store';

export interface ReportDestination {
  /** Asks where to save; undefined when the user cancelled. */
  choosePath(defaultName: string, format: ExportFormat): Promise<string | undefined>;
  printToPdf?(html: string): Promise<Buffer>;
}

export async function exportRunReport(store: RunStore, runId: string, format: ExportFormat, to: ReportDestination): Promise<{ saved: boolean; path?: string }> {
  // A damaged log still gives the report of its readable part, which names the damaged line.
  const { events, damage } = await readRunLog(store.dir, runId);
  const build = damage ? { logDamage: damage } : {};
  const filePath = await to.choosePath(reportFileName(buildReport(events, build), format), format);
  if (!filePath) return { saved: false };
  await exportReport(events, format, filePath, { ...build, ...(to.printToPdf ? { printToPdf: (html: string) => to.printToPdf!(html) } : {}) });
  return { saved: true, path: filePath };
}
