/**
 * `ahi-onboard batch report BATCH_ID --format json|html|md|pdf [-o FILE]` and `batch list`: read
 * from the batch's ledger, nothing sent to AWS. JSON is BatchReport exactly; the other formats are
 * rendered by core/report/batch-report.ts (renderBatchReport) where this build has it.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { batchReport, listBatches } from '../../core/app/batches';
import type { BatchReport } from '../../core/batch/batch-types';
import { batchDir, BatchLedgerError } from '../../core/batch/ledger';
import { defaultRunsDir } from '../data-dir';
import { EXIT, UsageError, type ExitCode } from '../exit-codes';
import type { CliIO } from '../run/io';
import type { BatchValues } from './args';

const FORMATS = ['json', 'html', 'md', 'pdf'] as const;
type Format = (typeof FORMATS)[number];

type Renderer = (report: BatchReport, format: Exclude<Format, 'json'>) => string | Uint8Array | Promise<string | Uint8Array>;

/** The html/md/pdf renderer, another change's module: absent from this build, those formats say so. */
async function loadRenderer(): Promise<Renderer | undefined> {
  const spec = '../../core/report/batch-report';
  try {
    const mod = (await import(/* @vite-ignore */ spec)) as { renderBatchReport?: Renderer };
    return mod.renderBatchReport;
  } catch {
    return undefined;
  }
}

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
  let body: string | Uint8Array;
  if (format === 'json') body = `${JSON.stringify(report, null, 2)}\n`;
  else {
    const render = await loadRenderer();
    if (!render) {
      io.err(`batch report: --format ${format} is not available in this build yet (core/report/batch-report.ts is missing); --format json works.\n`);
      return EXIT.workflowFailed;
    }
    body = await render(report, format);
  }
  if (v['out-file']) {
    await writeFile(v['out-file'], body);
    io.err(`Wrote ${v['out-file']}\n`);
  } else io.out(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
  return EXIT.completed;
}

export async function batchListCommand(v: BatchValues, io: CliIO): Promise<ExitCode> {
  const all = await listBatches(runsDirFor(v, io));
  if (v.json) io.out(`${JSON.stringify(all, null, 2)}\n`);
  else if (all.length === 0) io.out('No batches yet.\n');
  else for (const b of all) io.out(`${b.batchId}  ${b.state.padEnd(21)}  ${b.done}/${b.jobs} jobs  ${b.imported.toLocaleString('en-US')} imported  ${b.failed.toLocaleString('en-US')} failed  ${b.inputS3Uri}\n`);
  return EXIT.completed;
}
