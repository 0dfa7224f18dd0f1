/**
 * `ahi-onboard batch report BATCH_ID --format json|html|md|pdf [-o FILE]` and `batch list`: read
 * from the batch's ledger, nothing sent to AWS. JSON is BatchReport exactly; every format is
 * rendered by core/report/batch-report.ts, statically imported so the built CLI bundles it. PDF is
 * printed by a local Chromium, as `ahi-onboard report` prints a run's.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { batchReport, listBatches } from '../../core/app/batches';
import type { BatchReport } from '../../core/batch/batch-types';
import { batchDir, BatchLedgerError } from '../../core/batch/ledger';
import { BATCH_REPORT_FORMATS, exportBatchReport, renderBatchReportText, type BatchReportFormat } from '../../core/report/batch-report';
import { ChromiumNotFoundError } from '../../core/report/pdf';
import { defaultRunsDir } from '../data-dir';
import { EXIT, UsageError, type ExitCode } from '../exit-codes';
import type { CliIO } from '../run/io';
import type { BatchValues } from './args';

const FORMATS = BATCH_REPORT_FORMATS;
type Format = BatchReportFormat;

function runsDirFor(v: BatchValues, io: CliIO, batchId?: string): string {
  if (v['runs-dir']) return v['runs-dir'];
  if (batchId) for (const sandbox of [false, true]) if (existsSync(batchDir(defaultRunsDir(sandbox, io.env), batchId))) return defaultRunsDir(sandbox, io.env);
  return defaultRunsDir(v.sandbox, io.env);
}

export async function batchReportCommand(batchId: string, v: BatchValues, io: CliIO): Promise<ExitCode> {
  const format = (v.format ?? 'json') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`batch report: --format must be one of ${FORMATS.join(', ')} (got ${JSON.stringify(v.format)}).`);
  if (format === 'pdf' && !v['out-file']) throw new UsageError('batch report: --format pdf needs -o FILE.pdf (a PDF is not printed to a terminal).');
  let report: BatchReport;
  try {
    report = await batchReport(runsDirFor(v, io, batchId), batchId);
  } catch (e) {
    if (e instanceof BatchLedgerError) {
      io.err(`${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
  if (v['out-file']) {
    try {
      const done = await exportBatchReport(report, format, resolve(v['out-file']));
      io.err(`Wrote ${format} report to ${done.path} (${done.bytes} bytes).\n`);
    } catch (e) {
      if (e instanceof ChromiumNotFoundError) throw new UsageError(e.message);
      throw e;
    }
  } else io.out(renderBatchReportText(report, format as Exclude<Format, 'pdf'>));
  return EXIT.completed;
}

export async function batchListCommand(v: BatchValues, io: CliIO): Promise<ExitCode> {
  const all = await listBatches(runsDirFor(v, io));
  if (v.json) io.out(`${JSON.stringify(all, null, 2)}\n`);
  else if (all.length === 0) io.out('No batches yet.\n');
  else for (const b of all) io.out(`${b.batchId}  ${b.state.padEnd(21)}  ${b.done}/${b.jobs} jobs  ${b.imported.toLocaleString('en-US')} imported  ${b.failed.toLocaleString('en-US')} failed  ${b.inputS3Uri}\n`);
  return EXIT.completed;
}
