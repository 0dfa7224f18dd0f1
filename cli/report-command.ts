/** `ahi-onboard report RUN_ID --format json|html|md|pdf [-o FILE]`: a report from a recorded run. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createRunStore } from '../core/runs/run-store';
import { renderReport } from '../core/report/render';
import type { ReportFormat } from './args';
import { defaultRunsDir } from './data-dir';
import { EXIT, UsageError, type ExitCode } from './exit-codes';

export async function reportCommand(opts: {
  runId: string;
  runsDir?: string;
  sandbox: boolean;
  format: ReportFormat;
  output?: string;
  out: (s: string) => void;
}): Promise<ExitCode> {
  const store = createRunStore(opts.runsDir ?? defaultRunsDir(opts.sandbox));
  const header = await store.readHeader(opts.runId).catch(() => undefined);
  if (!header) throw new UsageError(`No run "${opts.runId}" in ${store.dir}.`, 'Pass --runs-dir DIR (or --sandbox for sandbox runs).');
  const events = await store.read(opts.runId);
  if (opts.format === 'pdf') {
    // PDF is printed by the desktop app's renderer (Chromium); the command line offers HTML to print.
    throw new UsageError('PDF reports are made by the desktop app.', 'Use --format html -o report.html and print it to PDF, or open the run in the app.');
  }
  const text = renderReport(events, opts.format);
  if (opts.output) {
    await writeFile(resolve(opts.output), text, 'utf8');
  } else {
    opts.out(text.endsWith('\n') ? text : text + '\n');
  }
  return EXIT.completed;
}
