/**
 * The report of a batch (an archive imported as many import jobs) in the run report's four
 * formats: JSON (exactly BatchReport, keys in one fixed order so two renderings of the same batch
 * are byte-identical), Markdown, HTML (one self-contained, printable page in the run report's look:
 * the same CSS and building blocks from render-html.ts) and PDF (that HTML printed by the app's
 * window or a local Chromium, as run reports are). Every value is escaped; every rendering passes
 * the outgoing leak guard, so a report that would hold a credential is never produced.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchJobState, BatchReport } from '../batch/batch-types';
import { guardValue } from '../redaction/outgoing';
import { assertNoSecrets } from '../redaction/secrets-guard';
import { formatBytes } from '../text/bytes';
import { failureCause } from './failure-causes';
import { formatCount, formatDuration, formatTime, type Tone } from './format';
import { renderPdfWithChromium } from './pdf';
import { mdCode, mdText } from './render-markdown';
import { alert, code, container, CSS, escapeHtml as e, icon, indicator, kv, table } from './render-html';
import { writeFileAtomically } from './write-atomically';

export type BatchReportFormat = 'json' | 'html' | 'md' | 'pdf';
export const BATCH_REPORT_FORMATS: readonly BatchReportFormat[] = ['json', 'html', 'md', 'pdf'];

export interface BatchReportDeps {
  /** Secrets of the credentials in use (AwsSession.secretsInUse): none of them is rendered. */
  knownSecrets?: readonly string[];
  /** Prints HTML to PDF bytes (the app's own window); else a local Chromium prints it. */
  printToPdf?: (html: string) => Promise<Buffer>;
  /** Browser for PDF when printToPdf is absent; default findChromium(). */
  chromiumPath?: string;
  /** The footer's "generated" time; default now. */
  now?: Date;
  product?: { name: string; version: string };
}

type State = BatchReport['state'];

export const BATCH_STATE_LABEL: Record<State, string> = {
  running: 'Running',
  interrupted: 'Interrupted',
  completed: 'Completed',
  completed_with_errors: 'Completed with errors',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const STATE_TONE: Record<State, Tone> = {
  running: 'info',
  interrupted: 'warning',
  completed: 'success',
  completed_with_errors: 'warning',
  failed: 'error',
  cancelled: 'stopped',
};

/** The batch's state as a sentence for the reader, with what to do next where there is something. */
export function batchStateSummary(r: BatchReport): string {
  const jobs = r.jobs.length;
  const done = r.jobs.filter((j) => j.status === 'COMPLETED').length;
  const failedJobs = r.jobs.filter((j) => j.status === 'FAILED').length;
  const files = `${formatCount(r.totals.imported)} of ${formatCount(r.totals.scanned)} scanned files imported`;
  switch (r.state) {
    case 'running':
      return `The batch is still running: ${formatCount(done)} of ${formatCount(jobs)} import jobs completed so far, ${files}. These numbers are as of the report's generation.`;
    case 'interrupted':
      return `Nothing is driving this batch now (the process that ran it stopped): ${formatCount(done)} of ${formatCount(jobs)} import jobs completed. Resume it with ahi-onboard batch resume ${r.batchId}, or Resume in the app.`;
    case 'completed':
      return `All ${formatCount(jobs)} import jobs completed and every file was imported: ${files}.`;
    case 'completed_with_errors':
      return `All ${formatCount(jobs)} import jobs completed, but ${formatCount(r.totals.failed)} files could not be imported (${files}). The failures below say why and what to fix.`;
    case 'failed':
      return `${formatCount(failedJobs)} of ${formatCount(jobs)} import jobs FAILED; ${files}.`;
    case 'cancelled':
      return `The batch was cancelled: ${formatCount(done)} of ${formatCount(jobs)} import jobs completed before it stopped; jobs already submitted to HealthImaging ran to their end.`;
  }
}

const JOB_STATUS_LABEL: Record<BatchJobState, string> = {
  queued: 'Queued',
  submitting: 'Submitting',
  SUBMITTED: 'Submitted',
  IN_PROGRESS: 'In progress',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
};

function jobTone(j: BatchReport['jobs'][number]): Tone {
  if (j.status === 'COMPLETED') return j.failed ? 'warning' : 'success';
  if (j.status === 'FAILED') return 'error';
  if (j.status === 'queued') return 'stopped';
  return 'info';
}


/** A share in words that never rounds a missing file away: 11,996 of 12,000 is ">99.9%", not "100.0%". */
function shareText(n: number, of: number): string {
  if (of <= 0) return '0%';
  const p = (n / of) * 100;
  if (n > 0 && p < 0.1) return '<0.1%';
  if (n < of && p > 99.9) return '>99.9%';
  return `${p.toFixed(1)}%`;
}

/** The banner under the headline: what to do about a batch that did not simply complete. */
function stateAdvice(r: BatchReport): { title: string; body: string } | undefined {
  switch (r.state) {
    case 'completed_with_errors':
      return { title: 'Not every file was imported', body: 'Each failure type below gives the likely cause and the fix. Fix or remove those files, then import their prefixes again.' };
    case 'failed':
      return { title: 'An import job failed', body: "A failed job's prefix is retried only when asked: fix the cause in the job's message (below, under Import jobs), then resume the batch with its failed prefixes retried." };
    case 'interrupted':
      return { title: 'Nothing is driving this batch', body: `Resume it with ahi-onboard batch resume ${r.batchId} or Resume in the app. Each job's client token comes from the batch and its prefix, so no prefix is started twice.` };
    case 'cancelled':
      return { title: 'The batch was cancelled', body: 'Jobs already submitted ran to their end and are counted here; the rest were never started.' };
    default:
      return undefined;
  }
}

const durationOf = (r: BatchReport): string => {
  if (!r.endedAt) return '-';
  const ms = Date.parse(r.endedAt) - Date.parse(r.startedAt);
  return Number.isFinite(ms) && ms >= 0 ? formatDuration(ms) : '-';
};

const whereOf = (r: BatchReport) => (r.sandbox ? `Local sandbox (${r.region}, not AWS)` : `AWS, ${r.region}`);

/** A failure group's plain-language cause and fix; a generic pointer when it is not a common cause. */
export function batchFailureCause(g: BatchReport['failuresByType'][number]): { cause: string; fix: string } {
  const known = failureCause(g.type, [g.type, ...g.examples].join(' '));
  if (known) return { cause: known.cause, fix: known.fix };
  return {
    cause: `HealthImaging reported ${g.type} for these files.`,
    fix: "Each job's FAILURE/failure.ndjson under the output location gives every file's reason: fix those files at the source, then import them again.",
  };
}

/** BatchReport with every key in its declared order, unknown keys dropped, undefined left out. */
export function canonicalBatchReport(r: BatchReport): BatchReport {
  const pick = <T extends object>(o: T, keys: Array<keyof T>): T => {
    const out = {} as T;
    for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
    return out;
  };
  return pick(
    {
      ...r,
      limits: pick(r.limits, ['maxFiles', 'maxBytes', 'maxFolders', 'maxFileBytes']),
      jobs: r.jobs.map((j) => pick(j, ['inputS3Uri', 'jobId', 'status', 'state', 'files', 'bytes', 'scanned', 'imported', 'failed', 'imageSets', 'message', 'submittedAt', 'endedAt', 'attempts'])),
      totals: pick(r.totals, ['scanned', 'imported', 'failed', 'imageSets']),
      failuresByType: r.failuresByType.map((g) => pick(g, ['type', 'count', 'examples'])),
      apiCalls: Object.fromEntries(Object.entries(r.apiCalls).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    },
    ['batchId', 'datastoreId', 'region', 'sandbox', 'inputS3Uri', 'outputS3Uri', 'dataAccessRoleArn', 'stageTo', 'limits', 'concurrency', 'startedAt', 'endedAt', 'state', 'jobs', 'totals', 'failuresByType', 'apiCalls'],
  );
}

export function renderBatchJson(r: BatchReport): string {
  return `${JSON.stringify(canonicalBatchReport(r), null, 2)}\n`;
}

const limitsText = (r: BatchReport) =>
  `${formatCount(r.limits.maxFiles)} files, ${formatBytes(r.limits.maxBytes)}, ${formatCount(r.limits.maxFolders)} nested folders per job; ${formatBytes(r.limits.maxFileBytes)} per file`;

const totalApiCalls = (r: BatchReport) => Object.values(r.apiCalls).reduce((a, b) => a + b, 0);

const mdTable = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.map((c) => c || ' ').join(' | ')} |`)].join('\n');

export function renderBatchMarkdown(report: BatchReport, opts: Pick<BatchReportDeps, 'now' | 'product'> = {}): string {
  const r = canonicalBatchReport(report);
  const out: string[] = [];
  const or = (s: string | undefined) => (s ? mdCode(s) : '-');
  out.push(`# HealthImaging archive import report: ${mdText(r.batchId)}`, '');
  out.push(`**State: ${mdText(BATCH_STATE_LABEL[r.state])}**. ${mdText(batchStateSummary(r))}`);
  const advice = stateAdvice(r);
  if (advice) out.push('', `> **${mdText(advice.title)}.** ${mdText(advice.body)}`);
  if (r.sandbox) out.push('', `> **Local sandbox.** This batch ran against the local HealthImaging sandbox (${mdText(r.region)}), not AWS: nothing was imported into an AWS account.`);
  out.push('', '## Batch', '');
  out.push(
    mdTable(
      ['Field', 'Value'],
      [
        ['Batch ID', mdCode(r.batchId)],
        ['Data store', mdCode(r.datastoreId)],
        ['Where', mdText(whereOf(r))],
        ['Input', mdCode(r.inputS3Uri)],
        ['Output', mdCode(r.outputS3Uri)],
        ['Data access role', mdCode(r.dataAccessRoleArn)],
        ...(r.stageTo ? [['Staged to', mdCode(r.stageTo)]] : []),
        ['Limits', mdText(limitsText(r))],
        ['Concurrency', `${formatCount(r.concurrency)} import jobs at once`],
        ['Started', formatTime(r.startedAt)],
        ['Ended', r.endedAt ? formatTime(r.endedAt) : 'no end recorded'],
        ['Duration', durationOf(r)],
      ],
    ),
  );
  out.push('', '## Totals', '');
  out.push(
    mdTable(
      ['Import jobs', 'Files scanned', 'Files imported', 'Files failed', 'Image sets'],
      [[formatCount(r.jobs.length), formatCount(r.totals.scanned), formatCount(r.totals.imported), formatCount(r.totals.failed), formatCount(r.totals.imageSets)]],
    ),
  );
  out.push('', `## Import jobs (${formatCount(r.jobs.length)})`, '');
  out.push(
    mdTable(
      ['Prefix', 'Job ID', 'Status', 'Files', 'Size', 'Scanned', 'Imported', 'Failed'],
      r.jobs.map((j) => [
        mdCode(j.inputS3Uri),
        or(j.jobId),
        JOB_STATUS_LABEL[j.status] + (j.attempts > 1 ? ` (attempt ${j.attempts})` : ''),
        formatCount(j.files),
        formatBytes(j.bytes),
        formatCount(j.scanned),
        formatCount(j.imported),
        formatCount(j.failed),
      ]),
    ),
  );
  const failedJobs = r.jobs.filter((j) => j.status === 'FAILED' && j.message);
  if (failedJobs.length) {
    out.push('', '### Failed jobs', '');
    for (const j of failedJobs) out.push(`- ${mdCode(j.inputS3Uri)}: ${mdText(j.message ?? '')}`);
  }
  out.push('', '## Failures by type', '');
  if (!r.failuresByType.length) out.push('No file failed.');
  for (const g of r.failuresByType) {
    const { cause, fix } = batchFailureCause(g);
    out.push(`### ${mdText(g.type)}: ${formatCount(g.count)} file${g.count === 1 ? '' : 's'}`, '');
    out.push(mdText(cause), '', `**Fix:** ${mdText(fix)}`, '');
    for (const x of g.examples) out.push(`- ${mdCode(x)}`);
    if (g.count > g.examples.length) out.push(`- ... and ${formatCount(g.count - g.examples.length)} more`);
    out.push('');
  }
  if (out[out.length - 1] === '') out.pop();
  out.push('', `## API calls (${formatCount(totalApiCalls(r))})`, '');
  out.push(mdTable(['Operation', 'Requests'], Object.entries(r.apiCalls).map(([op, n]) => [mdCode(op), formatCount(n)])));
  const product = opts.product;
  out.push('', '---', '', `${product ? `${mdText(product.name)} ${mdText(product.version)} · ` : ''}Generated ${formatTime((opts.now ?? new Date()).toISOString())} · Built from the batch ledger; contains no credentials.`, '');
  return out.join('\n');
}

const BATCH_CSS = `
.jobs td:first-child{max-width:420px}
.jobs td.num{white-space:nowrap}
.kind{color:var(--muted);font-size:12px}
.sandbox-note{margin-top:12px}
`;

export function renderBatchHtml(report: BatchReport, opts: Pick<BatchReportDeps, 'now' | 'product'> = {}): string {
  const r = canonicalBatchReport(report);
  const tone = STATE_TONE[r.state];
  const label = BATCH_STATE_LABEL[r.state];
  const product = opts.product ?? { name: 'HealthImaging Onboarding', version: '' };
  const productText = `${product.name}${product.version ? ` ${product.version}` : ''}`;
  const generated = formatTime((opts.now ?? new Date()).toISOString());
  const none = '<span class="none">-</span>';

  const summary = kv(
    [
      ['State', indicator(tone, label)],
      ['Data store', code(r.datastoreId)],
      ['Where', r.sandbox ? indicator('info', whereOf(r)) : e(whereOf(r))],
      ['Batch ID', code(r.batchId)],
      ['Started', e(formatTime(r.startedAt))],
      ['Ended', r.endedAt ? e(formatTime(r.endedAt)) : `<span class="muted">${e('No end recorded')}</span>`],
      ['Duration', e(durationOf(r))],
      ['Concurrency', e(`${formatCount(r.concurrency)} import jobs at once`)],
      ['Input', code(r.inputS3Uri)],
      ['Output', code(r.outputS3Uri)],
      ['Data access role', code(r.dataAccessRoleArn)],
      ['Staged to', r.stageTo ? code(r.stageTo) : none],
    ],
    4,
  );

  const stat = (name: string, value: number, t?: Tone) => `<div class="stat${t ? ` stat-${t}` : ''}"><div class="stat-label">${e(name)}</div><div class="stat-value">${e(formatCount(value))}</div></div>`;
  const scanned = r.totals.scanned;
  const pct = (n: number) => (scanned > 0 ? Math.max(0, Math.min(100, (n / scanned) * 100)) : 0);
  const done = r.jobs.filter((j) => j.status === 'COMPLETED').length;
  const totals =
    `<div class="stats">${stat('Files scanned', scanned)}${stat('Files imported', r.totals.imported, 'success')}${stat('Files failed', r.totals.failed, r.totals.failed ? 'error' : undefined)}${stat('Image sets created', r.totals.imageSets)}</div>` +
    (scanned > 0
      ? `<div class="meter" role="img" aria-label="${e(`${formatCount(r.totals.imported)} of ${formatCount(scanned)} files imported, ${formatCount(r.totals.failed)} failed`)}"><span class="meter-ok" style="width:${pct(r.totals.imported).toFixed(2)}%"></span><span class="meter-bad" style="width:${pct(r.totals.failed).toFixed(2)}%"></span></div>` +
        `<div class="meter-legend"><span><i class="sw sw-ok"></i>Imported ${e(shareText(r.totals.imported, scanned))}</span>${r.totals.failed ? `<span><i class="sw sw-bad"></i>Failed ${e(shareText(r.totals.failed, scanned))}</span>` : ''}<span>${e(`${formatCount(done)} of ${formatCount(r.jobs.length)} import jobs completed`)}</span></div>`
      : '') +
    `<p class="muted small">${e(`Limits: ${limitsText(r)}.`)}</p>`;

  const jobs = table(
    ['Prefix', 'Import job', 'Status', 'Files', 'Size', 'Scanned', 'Imported', 'Failed'],
    r.jobs.map((j) => [
      `${code(j.inputS3Uri)}${j.message ? `<div class="step-err">${e(j.message)}</div>` : ''}`,
      j.jobId ? code(j.jobId) : none,
      `${indicator(jobTone(j), JOB_STATUS_LABEL[j.status])}${j.attempts > 1 ? `<div class="muted small">${e(`attempt ${j.attempts}`)}</div>` : ''}`,
      e(formatCount(j.files)),
      e(formatBytes(j.bytes)),
      e(formatCount(j.scanned)),
      e(formatCount(j.imported)),
      j.failed ? `<span class="exc">${e(formatCount(j.failed))}</span>` : e(formatCount(j.failed)),
    ]),
    'jobs',
    [3, 4, 5, 6, 7],
  );

  const failures = r.failuresByType.length
    ? r.failuresByType
        .map((g) => {
          const { cause, fix } = batchFailureCause(g);
          const more = g.count > g.examples.length ? `<li class="muted">${e(`… and ${formatCount(g.count - g.examples.length)} more`)}</li>` : '';
          return (
            `<div class="failure-group"><p><span class="exc">${e(g.type)}</span> <b>${e(`${formatCount(g.count)} file${g.count === 1 ? '' : 's'}`)}</b></p>` +
            `<p>${e(cause)}</p><p><b>Fix:</b> ${e(fix)}</p><ul class="examples">${g.examples.map((x) => `<li>${code(x)}</li>`).join('')}${more}</ul></div>`
          );
        })
        .join('')
    : `<p>${indicator('success', 'No file failed.')}</p>`;

  const api = table(
    ['Operation', 'Requests'],
    Object.entries(r.apiCalls).map(([op, n]) => [code(op), e(formatCount(n))]),
    'ops',
    [1],
  );

  const advice = stateAdvice(r);
  const stateAlert = advice ? alert(tone, advice.title, e(advice.body)) : '';

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<meta name="generator" content="${e(productText)}">`,
    `<title>${e(`Archive import report: ${r.batchId} (${label})`)}</title>`,
    `<style>${CSS}${BATCH_CSS}</style>`,
    '</head>',
    '<body>',
    `<div class="topbar" role="banner"><span class="brand"><svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path d="M12 2.5l8.5 4.9v9.2L12 21.5l-8.5-4.9V7.4z" fill="none" stroke="#ff9900" stroke-width="1.8"/><path d="M12 7.2l4.3 2.5v4.6L12 16.8l-4.3-2.5V9.7z" fill="#ff9900"/></svg>${e(product.name)}</span><span class="sep"></span><span class="sub">Archive import report</span><span class="right">${e(`Generated ${generated}`)}</span></div>`,
    '<main class="page">',
    `<nav class="crumbs" aria-label="Breadcrumbs"><span>HealthImaging</span><span>Data stores</span><span>${e(r.datastoreId)}</span><span>Archive import</span></nav>`,
    `<div class="head"><h1>${e(r.batchId)}</h1><span class="badge badge-${tone}">${icon(tone)}${e(label)}</span></div>`,
    `<p class="lede">${e(batchStateSummary(r))}</p>`,
    `<div class="meta">${e(`${r.inputS3Uri} → data store ${r.datastoreId} · ${whereOf(r)} · ${formatTime(r.startedAt)}`)}</div>`,
    r.sandbox
      ? `<div class="sandbox-note">${alert('info', 'Local sandbox', e(`This batch ran against the local HealthImaging sandbox (${r.region}), not AWS: nothing was imported into an AWS account.`))}</div>`
      : '',
    stateAlert,
    container('summary', 'Batch', summary, undefined, undefined, true),
    container('totals', 'Totals', totals, "Summed over every import job's output manifest.", undefined, true),
    container('jobs', 'Import jobs', jobs, 'One import job per planned prefix; each prefix fits HealthImaging’s limits for one job.', formatCount(r.jobs.length)),
    container('failures', 'Failures by type', failures, "From each job's FAILURE/failure.ndjson, grouped by exception type, with the likely cause and the fix.", r.failuresByType.length ? formatCount(r.failuresByType.reduce((a, g) => a + g.count, 0)) : undefined),
    container('api-calls', 'API calls', api, 'Every request the batch made, by operation: ListDICOMImportJobs watches many jobs in one call.', formatCount(totalApiCalls(r))),
    `<footer class="foot"><span>${e(productText)}</span><span>${e(`Batch ${r.batchId}`)}</span><span>${e('Built from the batch ledger; contains no credentials.')}</span></footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A text format through the leak guard: each string checked, then the whole text. */
export function renderBatchReportText(report: BatchReport, format: Exclude<BatchReportFormat, 'pdf'>, deps: BatchReportDeps = {}): string {
  const known = deps.knownSecrets ?? [];
  const r = guardValue(report, known);
  let text: string;
  switch (format) {
    case 'json':
      text = renderBatchJson(r);
      break;
    case 'md':
      text = renderBatchMarkdown(r, deps);
      break;
    case 'html':
      text = renderBatchHtml(r, deps);
      break;
    default:
      throw new Error(`Unknown report format "${String(format)}": use json, html, md or pdf.`);
  }
  assertNoSecrets(text, known);
  return text;
}

/** The report in any format: text for json/html/md, PDF bytes for pdf. */
export async function renderBatchReport(report: BatchReport, format: BatchReportFormat, deps: BatchReportDeps = {}): Promise<string | Buffer> {
  if (!BATCH_REPORT_FORMATS.includes(format)) throw new Error(`Unknown report format "${String(format)}": use json, html, md or pdf.`);
  if (format !== 'pdf') return renderBatchReportText(report, format, deps);
  const html = renderBatchReportText(report, 'html', deps);
  if (deps.printToPdf) return deps.printToPdf(html);
  const dir = await mkdtemp(join(tmpdir(), 'ahi-batch-report-'));
  try {
    const file = join(dir, 'report.pdf');
    await renderPdfWithChromium(html, file, deps.chromiumPath ? { chromiumPath: deps.chromiumPath } : {});
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes the report atomically (a reader never sees half a file); returns its size. */
export async function exportBatchReport(report: BatchReport, format: BatchReportFormat, outFile: string, deps: BatchReportDeps = {}): Promise<{ path: string; bytes: number }> {
  const body = await renderBatchReport(report, format, deps);
  await writeFileAtomically(outFile, body);
  return { path: outFile, bytes: typeof body === 'string' ? Buffer.byteLength(body) : body.length };
}

/** ahi-batch-<batch id>-<YYYY-MM-DD of its start>.<ext>, safe on every platform. */
export function batchReportFileName(report: Pick<BatchReport, 'batchId' | 'startedAt'>, ext: string): string {
  const id = report.batchId.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-{2,}/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'batch';
  const date = /^\d{4}-\d{2}-\d{2}/.exec(report.startedAt)?.[0] ?? new Date().toISOString().slice(0, 10);
  const safeExt = ext.replace(/^\./, '').replace(/[^A-Za-z0-9]/g, '').toLowerCase() || 'txt';
  return `ahi-batch-${id}-${date}.${safeExt}`;
}
