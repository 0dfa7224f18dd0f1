/**
 * The report as ONE self-contained HTML document in the style of the AWS console: inline CSS, an
 * inline SVG timeline, inline SVG icons, no script, nothing loaded from anywhere (a CSP meta tag
 * says so to the browser too), links only to https AWS console and documentation pages. Prints
 * cleanly (A4, no shadows, rows never split). Every value is escaped.
 */
import {
  IMPORT_STATE_TEXT,
  INPUT_LABEL,
  STEP_STATUS_LABEL,
  formatClock,
  formatCount,
  formatDuration,
  formatTime,
  orderedInputs,
  outcomeTone,
  reportTitle,
  stepTone,
  valueText,
  whereText,
  type Tone,
} from './format';
import { NON_PRIMARY_MEANING } from './failure-causes';
import { isAllowedReportLink } from './links';
import { escapeXml, renderTimelineSvg } from './timeline-svg';
import type { ReportStep, RunReport } from './types';

export const escapeHtml = escapeXml;
const e = escapeHtml;

const ICON_PATHS: Record<Tone, string> = {
  success: '<circle cx="8" cy="8" r="6.6"/><path d="M5.1 8.2l2 2 3.9-4"/>',
  error: '<circle cx="8" cy="8" r="6.6"/><path d="M5.6 5.6l4.8 4.8M10.4 5.6l-4.8 4.8"/>',
  warning: '<path d="M8 1.8L14.6 13.6H1.4Z"/><path d="M8 6.2v3.4M8 11.4v.3"/>',
  stopped: '<circle cx="8" cy="8" r="6.6"/><path d="M5 8h6"/>',
  info: '<circle cx="8" cy="8" r="6.6"/><path d="M8 7.2v4M8 4.8v.3"/>',
};

export function icon(tone: Tone, size = 16): string {
  return `<svg class="icon" viewBox="0 0 16 16" width="${size}" height="${size}" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.9" stroke-linecap="round" stroke-linejoin="round">${ICON_PATHS[tone]}</svg>`;
}

export function indicator(tone: Tone, label: string): string {
  return `<span class="ind ind-${tone}">${icon(tone)}<span>${e(label)}</span></span>`;
}

export function code(s: string | undefined): string {
  return s ? `<code>${e(s)}</code>` : '<span class="none">-</span>';
}

function link(text: string, url: string | undefined, asCode = false): string {
  const inner = asCode ? `<code>${e(text)}</code>` : e(text);
  if (!url || !isAllowedReportLink(url)) return inner;
  return `<a href="${e(url)}" rel="noopener noreferrer" target="_blank">${inner}<span class="ext" aria-hidden="true">${externalIcon}</span></a>`;
}

const externalIcon =
  '<svg viewBox="0 0 16 16" width="11" height="11" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"><path d="M9.5 2.5h4v4M13.5 2.5L7.5 8.5M11.5 9.5v4h-9v-9h4"/></svg>';

export function kv(items: Array<[string, string]>, columns = 4): string {
  return `<dl class="kv kv-${columns}">${items.map(([k, v]) => `<div><dt>${e(k)}</dt><dd>${v}</dd></div>`).join('')}</dl>`;
}

/** A console-style panel. `keep`: small enough to keep on one printed page. */
export function container(id: string, title: string, body: string, description?: string, counter?: string, keep = false): string {
  return (
    `<section class="container${keep ? ' keep' : ''}" id="${e(id)}" aria-labelledby="${e(id)}-h">` +
    `<header><h2 id="${e(id)}-h">${e(title)}${counter ? ` <span class="counter">(${e(counter)})</span>` : ''}</h2>` +
    (description ? `<p class="desc">${e(description)}</p>` : '') +
    `</header><div class="body">${body}</div></section>`
  );
}

/** A table; `numeric` lists the columns to right-align (counts). */
export function table(head: string[], rows: string[][], cls = '', numeric: number[] = []): string {
  const num = (i: number) => (numeric.includes(i) ? ' class="num"' : '');
  return (
    `<div class="table-wrap"><table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h, i) => `<th scope="col"${num(i)}>${e(h)}</th>`).join('')}</tr></thead>` +
    `<tbody>${rows.map((r) => `<tr>${r.map((c, i) => `<td${num(i)}>${c}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`
  );
}

export function alert(tone: Tone, title: string, body: string): string {
  return `<div class="alert alert-${tone}" role="${tone === 'error' ? 'alert' : 'status'}">${icon(tone, 20)}<div><div class="alert-title">${e(title)}</div><div>${body}</div></div></div>`;
}

function requestIdsHtml(s: ReportStep): string {
  const hidden = s.requestIds.total - s.requestIds.first.length - s.requestIds.last.length;
  const ids = [...s.requestIds.first.map(code), ...(hidden > 0 ? [`<span class="gap">${e(`… ${formatCount(hidden)} more …`)}</span>`] : []), ...s.requestIds.last.map(code)];
  return ids.join(' ');
}

function stepDetails(s: ReportStep): string {
  const rows: string[] = [];
  if (s.description) rows.push(`<div class="step-desc">${e(s.description)}</div>`);
  const facts: string[] = [];
  if (s.clientToken) facts.push(`<span><b>Client token</b> ${code(s.clientToken)}</span>`);
  if (s.action) {
    facts.push(`<span><b>Left by</b> ${code(s.action.type)}${s.action.name ? ` ${code(s.action.name)}` : ''}${s.action.stepId ? ` &rarr; ${code(s.action.stepId)}` : ''}</span>`);
  }
  if (s.waits.count) facts.push(`<span><b>Waited</b> ${e(formatDuration(s.waits.totalMs))} over ${e(formatCount(s.waits.count))} pauses</span>`);
  if (s.requestIds.total) facts.push(`<span><b>Request IDs (${e(formatCount(s.requestIds.total))})</b> ${requestIdsHtml(s)}</span>`);
  if (facts.length) rows.push(`<div class="facts">${facts.join('')}</div>`);
  for (const x of s.errors) {
    rows.push(
      `<div class="step-err">${indicator(x.code.match(/throttl/i) ? 'warning' : 'error', `${x.code} ×${x.count}`)}` +
        `${x.httpStatus ? ` <span class="muted">HTTP ${e(String(x.httpStatus))}</span>` : ''} <span>${e(x.message)}</span>` +
        ` <span class="muted">(first ${e(formatClock(x.firstAt))}, last ${e(formatClock(x.lastAt))})</span></div>`,
    );
  }
  if (s.error) {
    rows.push(
      `<div class="step-err">${indicator('error', s.error.code)} <span>${e(s.error.message)}</span>${s.error.action ? `<div class="action"><b>What to do:</b> ${e(s.error.action)}</div>` : ''}</div>`,
    );
  }
  return rows.join('');
}

function statusSequence(s: ReportStep): string {
  if (!s.observedStatuses.length) return '<span class="none">-</span>';
  const chips = s.observedStatuses.map((r) => `<span class="chip">${e(r.status)}${r.count > 1 ? `<span class="times">×${e(formatCount(r.count))}</span>` : ''}</span>`);
  if (s.observedStatusesOmitted) chips.splice(12, 0, `<span class="gap">… ${e(formatCount(s.observedStatusesOmitted))} more changes …</span>`);
  return `<span class="seq">${chips.join('<span class="arrow" aria-hidden="true">→</span>')}</span>`;
}

function preflightHtml(p: NonNullable<RunReport['preflight']>): string {
  if (p.skipped) return '<p>Skipped: the run was started without the preflight.</p>';
  const head = `<p>${e(p.ready ? 'Ready: nothing blocked the run.' : 'Not ready: a check failed.')}</p>`;
  return head + table(['Check', 'Status', 'Detail', 'Fix'], p.checks.map((c) => [`${e(c.title)} <code>${e(c.id)}</code>`, e(c.status), e(c.detail), e(c.fix ?? '-')]));
}

function importResultsHtml(r: RunReport): string {
  const ir = r.importResults;
  if (!ir) {
    return `<p class="muted">${e(r.outputs.jobId ? 'The import results were not read for this run.' : 'No import job was started, so there are no import results.')}</p>`;
  }
  const where = ir.manifestUri
    ? `<p class="manifest"><b>Manifest</b> ${code(ir.manifestUri)}${r.links.outputConsole ? ` ${link('Open output folder in the S3 console', r.links.outputConsole)}` : ''}</p>`
    : '';
  if (ir.state !== 'read') {
    const tone: Tone = ir.state === 'not-found' ? 'info' : 'warning';
    return alert(tone, `Import results: ${IMPORT_STATE_TEXT[ir.state] ?? ir.state}`, e(ir.message ?? '')) + where + `<p class="muted small">The run's own result does not depend on reading these files.</p>`;
  }
  const scanned = ir.numberOfScannedFiles ?? 0;
  const imported = ir.numberOfImportedFiles ?? 0;
  const failed = ir.failedFiles ?? 0;
  const stat = (label: string, value: number | undefined, tone?: Tone) =>
    `<div class="stat${tone ? ` stat-${tone}` : ''}"><div class="stat-label">${e(label)}</div><div class="stat-value">${e(formatCount(value))}</div></div>`;
  const pct = (n: number) => (scanned > 0 ? Math.max(0, Math.min(100, (n / scanned) * 100)) : 0);
  const bar =
    scanned > 0
      ? `<div class="meter" role="img" aria-label="${e(`${formatCount(imported)} of ${formatCount(scanned)} files imported, ${formatCount(failed)} failed`)}">` +
        `<span class="meter-ok" style="width:${pct(imported).toFixed(2)}%"></span><span class="meter-bad" style="width:${pct(failed).toFixed(2)}%"></span></div>` +
        `<div class="meter-legend"><span><i class="sw sw-ok"></i>Imported ${e(pct(imported).toFixed(1))}%</span>${failed ? `<span><i class="sw sw-bad"></i>Failed ${e(pct(failed).toFixed(1))}%</span>` : ''}</div>`
      : '';
  const parts = [
    `<div class="stats">${stat('Files scanned', ir.numberOfScannedFiles)}${stat('Files imported', ir.numberOfImportedFiles, 'success')}${stat('Files failed', failed, failed ? 'error' : undefined)}${stat('Image sets created', ir.numberOfGeneratedImageSets)}</div>`,
    bar,
    failed
      ? `<p class="muted small">${e(`${formatCount(ir.numberOfFilesWithCustomerError)} files with customer errors (fix the file or its location) and ${formatCount(ir.numberOfFilesWithServerError)} with server errors (retry the import).`)}</p>`
      : '',
    where,
  ];
  if (ir.message) parts.push(alert('info', 'Note', e(ir.message)));
  if (ir.failuresByType?.length) {
    parts.push(`<h3>Failures by type${ir.failuresComplete === false ? ' <span class="counter">(from the first part of failure.ndjson: at least these)</span>' : ''}</h3>`);
    for (const g of ir.failuresByType) {
      const more = g.count > g.examples.length ? `<li class="muted">${e(`… and ${formatCount(g.count - g.examples.length)} more`)}</li>` : '';
      parts.push(
        `<div class="failure-group"><p><span class="exc">${e(g.type)}</span> <b>${e(`${formatCount(g.count)} file${g.count === 1 ? '' : 's'}`)}</b></p>` +
          `<p>${e(g.cause ?? g.message)}</p>${g.fix ? `<p><b>Fix:</b> ${e(g.fix)}</p>` : ''}` +
          `<ul class="examples">${g.examples.map((f) => `<li>${code(f)}</li>`).join('')}${more}</ul></div>`,
      );
    }
  }
  if (ir.failures?.length) {
    parts.push(`<h3>First failures <span class="counter">(${e(`${ir.failures.length} of ${formatCount(failed)}`)})</span></h3>`);
    parts.push(table(['File', 'Exception', 'Reason'], ir.failures.map((f) => [code(f.inputFile), f.exceptionType ? `<span class="exc">${e(f.exceptionType)}</span>` : '-', e(f.message)]), 'failures'));
  }
  if (ir.warnings?.length) {
    parts.push(`<h3>Warnings <span class="counter">(${e(formatCount(ir.warnings.length))})</span></h3>`);
    parts.push(table(['File', 'Code', 'Warning'], ir.warnings.map((w) => [w.inputFile ? code(w.inputFile) : '-', e([w.code, w.type].filter(Boolean).join(' ') || '-'), e(w.message)]), 'warnings'));
  }
  if (ir.nonPrimaryImageSets?.length) {
    parts.push(`<h3>Non-primary image sets <span class="counter">(${e(formatCount(ir.nonPrimaryImageSets.length))})</span></h3>`);
    parts.push(alert('warning', 'Instances conflicted with data already in the data store', e(NON_PRIMARY_MEANING)));
    parts.push(
      table(
        ['Image set ID', 'Conflicting instances', 'First files'],
        ir.nonPrimaryImageSets.map((n) => [code(n.imageSetId), e(formatCount(n.count)), n.instances.map((f) => code(f)).join('<br>')]),
        'non-primary',
      ),
    );
  }
  if (ir.imageSets?.length) {
    parts.push(`<h3>Image sets <span class="counter">(${e(formatCount(ir.numberOfGeneratedImageSets ?? ir.imageSets.length))})</span></h3>`);
    parts.push(
      `<ul class="imagesets">${ir.imageSets.map((s) => `<li>${code(s.imageSetId)}<span class="muted">${e(s.numberOfMatchedSOPInstances !== undefined ? `${formatCount(s.numberOfMatchedSOPInstances)} instances` : '')}</span></li>`).join('')}</ul>`,
    );
    if (ir.imageSetsOmitted) parts.push(`<p class="muted small">${e(`… and ${formatCount(ir.imageSetsOmitted)} more image sets.`)}</p>`);
  }
  return parts.join('');
}

export const CSS = `
:root{--ink:#000716;--text:#414d5c;--muted:#5f6b7a;--line:#e9ebed;--line2:#d1d5db;--bg:#f2f3f3;--blue:#0972d3;--green:#037f0c;--red:#d91515;--amber:#8d6605;--grey:#5f6b7a}
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/20px "Amazon Ember","Open Sans","Helvetica Neue",Roboto,Arial,sans-serif;-webkit-font-smoothing:antialiased}
a{color:var(--blue);text-decoration:none;font-weight:600}a:hover{text-decoration:underline}
.ext{margin-left:3px;vertical-align:-1px}
code{font-family:Monaco,Menlo,Consolas,"Liberation Mono","Courier New",monospace;font-size:12px;color:var(--ink);overflow-wrap:anywhere}
.topbar{background:#0f141a;color:#fff;display:flex;align-items:center;gap:12px;padding:0 28px;height:50px}
.topbar .brand{display:flex;align-items:center;gap:10px;font-weight:700;font-size:15px;letter-spacing:.01em}
.topbar .sep{width:1px;height:20px;background:#414d5c}
.topbar .sub{color:#d1d5db;font-size:14px}
.topbar .right{margin-left:auto;color:#b6bec9;font-size:12px}
.page{max-width:1200px;margin:0 auto;padding:18px 28px 40px}
.crumbs{font-size:12px;color:var(--muted);margin-bottom:10px}.crumbs span+span:before{content:"\\203A";margin:0 8px;color:#8d99a8}
.head{display:flex;align-items:center;gap:14px;flex-wrap:wrap}
h1{font-size:28px;line-height:36px;font-weight:700;margin:0;letter-spacing:-.01em;overflow-wrap:anywhere}
h2{font-size:18px;line-height:22px;font-weight:700;margin:0}
h3{font-size:15px;margin:20px 0 8px}
.counter{color:var(--muted);font-weight:400}
.badge{display:inline-flex;align-items:center;gap:6px;border-radius:999px;padding:3px 12px 3px 9px;font-weight:700;font-size:13px;line-height:18px;border:1.5px solid}
.badge-success{color:var(--green);background:#f2fcf3;border-color:#00802f}
.badge-error{color:var(--red);background:#fff7f7;border-color:var(--red)}
.badge-warning{color:var(--amber);background:#fffce9;border-color:#dfa100}
.badge-stopped{color:var(--grey);background:#f4f4f4;border-color:#8d99a8}
.badge-info{color:var(--blue);background:#f2f8fd;border-color:var(--blue)}
.lede{color:var(--text);font-size:16px;line-height:24px;margin:10px 0 0;max-width:960px}
.meta{color:var(--muted);font-size:12px;margin-top:6px}
.alert{display:flex;gap:12px;align-items:flex-start;border:2px solid;border-radius:12px;padding:12px 16px;margin:16px 0 0;line-height:20px}
.alert .icon{flex:none;margin-top:0}
.alert-title{font-weight:700;margin-bottom:2px}
.alert-error{border-color:var(--red);background:#fff7f7}.alert-error>.icon{color:var(--red)}
.alert-warning{border-color:#dfa100;background:#fffce9}.alert-warning>.icon{color:var(--amber)}
.alert-info{border-color:var(--blue);background:#f2f8fd}.alert-info>.icon{color:var(--blue)}
.alert-success{border-color:#00802f;background:#f2fcf3}.alert-success>.icon{color:var(--green)}
.alert-stopped{border-color:#8d99a8;background:#f8f8f9}.alert-stopped>.icon{color:var(--grey)}
.action{margin-top:4px}
.container{background:#fff;border-radius:16px;margin-top:20px;box-shadow:0 1px 1px 0 rgba(0,28,36,.3),1px 1px 1px 0 rgba(0,28,36,.15),-1px 1px 1px 0 rgba(0,28,36,.15)}
.container>header{padding:16px 20px 4px}
.container .desc{color:var(--muted);font-size:13px;margin:4px 0 0}
.container>.body{padding:12px 20px 20px}
.grid2{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:0 20px}
.grid2>.container{margin-top:20px}
.kv{display:grid;gap:16px 0;margin:0}
.kv-4{grid-template-columns:repeat(4,minmax(0,1fr))}.kv-3{grid-template-columns:repeat(3,minmax(0,1fr))}.kv-2{grid-template-columns:repeat(2,minmax(0,1fr))}
.kv>div{padding:0 16px;border-left:1px solid var(--line);min-width:0}
.kv-4>div:nth-child(4n+1),.kv-3>div:nth-child(3n+1),.kv-2>div:nth-child(2n+1){border-left:0;padding-left:0}
.kv dt{color:var(--muted);font-size:12px;font-weight:700;letter-spacing:.02em;margin-bottom:2px}
.kv dd{margin:0;overflow-wrap:anywhere}
.ind{display:inline-flex;align-items:center;gap:5px;font-weight:600}
.ind .icon{flex:none}
.ind-success{color:var(--green)}.ind-error{color:var(--red)}.ind-warning{color:var(--amber)}.ind-stopped{color:var(--grey)}.ind-info{color:var(--blue)}
.none{color:#8d99a8}.muted{color:var(--muted)}.small{font-size:12px}
.table-wrap{overflow-x:auto}
table{width:100%;border-collapse:collapse;font-size:13px}
th{text-align:left;color:var(--text);font-weight:700;font-size:12px;letter-spacing:.02em;padding:8px 12px;border-bottom:1px solid var(--line2);white-space:nowrap;background:#fafafa}
td{padding:9px 12px;border-bottom:1px solid var(--line);vertical-align:top}
tbody tr:last-child>td{border-bottom:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.steps td{border-bottom:0}
table.ops{max-width:720px}
.inputs td:first-child{width:260px}
.steps tr.detail>td{padding-top:0;border-bottom:1px solid var(--line)}
.steps tr.detail:last-child>td{border-bottom:0}
.steps .stepname{font-weight:700}
.steps .opname{color:var(--muted);font-size:12px}
.step-desc{color:var(--muted);font-size:12px;margin-bottom:4px}
.facts{display:flex;flex-wrap:wrap;gap:4px 20px;font-size:12px;color:var(--text)}
.facts b{color:var(--muted);font-weight:700;margin-right:4px}
.step-err{font-size:12px;margin-top:6px;padding:6px 10px;background:#fafafa;border-left:3px solid #d1d5db;border-radius:0 6px 6px 0}
.seq{display:inline-flex;flex-wrap:wrap;align-items:center;gap:4px}
.chip{display:inline-flex;align-items:center;gap:4px;padding:1px 8px;border-radius:10px;background:#f4f4f4;border:1px solid var(--line2);font-family:Monaco,Menlo,Consolas,monospace;font-size:11px;line-height:18px;white-space:nowrap}
.chip .times{color:var(--blue);font-weight:700}
.arrow{color:#8d99a8}
.gap{color:var(--muted);font-size:12px;font-style:italic}
.timeline{display:block;max-width:100%;height:auto;font-family:"Amazon Ember","Open Sans","Helvetica Neue",Roboto,Arial,sans-serif}
.stats{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));margin:4px 0 14px}
.stat{padding:0 16px;border-left:1px solid var(--line)}.stat:first-child{border-left:0;padding-left:0}
.stat-label{color:var(--muted);font-size:12px;font-weight:700;letter-spacing:.02em}
.stat-value{font-size:32px;line-height:40px;font-weight:700;font-variant-numeric:tabular-nums}
.stat-success .stat-value{color:var(--green)}.stat-error .stat-value{color:var(--red)}
.meter{display:flex;height:10px;border-radius:5px;background:#e9ebed;overflow:hidden}
.meter-ok{background:#037f0c}.meter-bad{background:#d91515}
.meter-legend{display:flex;gap:16px;font-size:12px;color:var(--text);margin:6px 0 8px}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}.sw-ok{background:#037f0c}.sw-bad{background:#d91515}
.manifest{font-size:12px;margin:10px 0 0;overflow-wrap:anywhere}.manifest b{color:var(--muted);margin-right:6px}
.exc{font-weight:700;color:var(--red);font-size:12px}
.failure-group{border-left:3px solid var(--red);padding:2px 12px;margin:10px 0}.failure-group p{margin:4px 0}.examples{margin:4px 0 0;padding-left:18px}
.imagesets{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:4px 24px}
.imagesets li{display:flex;justify-content:space-between;gap:8px;padding:4px 0;border-bottom:1px solid var(--line);font-size:12px}
.links{margin:0;padding-left:18px}.links li{margin:4px 0}
footer.foot{color:var(--muted);font-size:12px;margin-top:28px;padding-top:12px;border-top:1px solid var(--line2);display:flex;flex-wrap:wrap;gap:4px 24px}
@media (max-width:860px){.kv-4{grid-template-columns:repeat(2,minmax(0,1fr))}.kv-4>div:nth-child(odd){border-left:0;padding-left:0}.grid2{grid-template-columns:1fr}.stats{grid-template-columns:repeat(2,1fr)}}
@page{size:A4;margin:12mm 11mm}
@media print{
 body{background:#fff;font-size:11px;line-height:15px}
 .page{max-width:none;padding:10px 0 0}
 .topbar{height:38px;padding:0 14px;border-radius:6px}
 h1{font-size:22px;line-height:28px}
 .lede{font-size:13px;line-height:18px}
 .container{box-shadow:none;border:1px solid #c6c6cd;border-radius:10px;margin-top:12px}
 .container>header{padding:10px 14px 2px}.container>.body{padding:8px 14px 12px}
 .grid2{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}
 .container{break-inside:auto}
 .container.keep,.alert,tr,.stat,.stats,.kv>div,.imagesets li,svg.timeline,.step-err{break-inside:avoid}
 h2,h3,.container>header{break-after:avoid}
 code,.chip{font-size:9.5px}
 .kv dd{font-size:10.5px}
 table{font-size:10px}td,th{padding:5px 8px}
 .stats{grid-template-columns:repeat(4,minmax(0,1fr))}
 .kv-4{grid-template-columns:repeat(4,minmax(0,1fr))}.kv-4>div{border-left:1px solid var(--line);padding-left:16px}.kv-4>div:nth-child(4n+1){border-left:0;padding-left:0}
 .stat-value{font-size:24px;line-height:30px}
 a{color:var(--ink);font-weight:600}.ext{display:none}
 .table-wrap{overflow:visible}
}
`;

export function renderHtml(report: RunReport): string {
  const r = report;
  const tone = outcomeTone(r.outcome.code);
  const title = reportTitle(r);
  const o = r.outputs;

  const alertHtml = (() => {
    if (r.error && r.outcome.code !== 'succeeded') {
      const t: Tone = r.outcome.code === 'cancelled' ? 'stopped' : r.outcome.code === 'failed' || r.outcome.code === 'error' ? 'error' : 'warning';
      return alert(t, r.error.code, `${e(r.error.message)}${r.error.action ? `<div class="action"><b>What to do:</b> ${e(r.error.action)}</div>` : ''}`);
    }
    if (r.outcome.code === 'completed_with_errors') {
      return alert('warning', 'The import job completed, but not every file was imported', e('Review the failures listed under Import results, fix or remove those files, and import them again with a new import job.'));
    }
    return '';
  })();

  const none = '<span class="none">-</span>';
  const summary = kv(
    [
      ['Result', indicator(tone, r.outcome.label)],
      ['Data store', o.datastoreId ? link(o.datastoreId, r.links.datastoreConsole, true) : none],
      ['Import job', o.jobId ? link(o.jobId, r.links.jobConsole, true) : none],
      ['Run status', code(r.status)],
      ['Data store status', o.datastoreStatus ? code(o.datastoreStatus) : none],
      ['Import job status', o.jobStatus ? code(o.jobStatus) : none],
      ['Started', e(formatTime(r.startedAt))],
      ['Ended', r.endedAt ? e(formatTime(r.endedAt)) : `<span class="muted">${e(`No end recorded (last event ${formatTime(r.lastEventAt)})`)}</span>`],
      ['Duration', e(r.durationMs !== undefined ? formatDuration(r.durationMs) : '-')],
      ['API calls', e(formatCount(r.apiCalls.total))],
      ['Resumable', e(r.resumable ? 'Yes' : 'No')],
      ['Run ID', code(r.runId)],
    ],
    3,
  );

  const who = kv(
    [
      ['Caller', code(r.who.callerArn)],
      ['Account', code(r.who.accountId)],
      ['Profile', code(r.who.profile)],
      ['Region', code(r.who.region)],
      ['Target', r.who.sandbox ? indicator('info', whereText(r)) : e(whereText(r))],
      ...(r.who.endpoint ? ([['Endpoint', code(r.who.endpoint)]] as Array<[string, string]>) : []),
    ],
    2,
  );

  const workflow = kv(
    [
      ['Workflow', `${code(r.workflowId)}${r.workflowTitle ? `<div class="muted small">${e(r.workflowTitle)}</div>` : ''}`],
      ['Workflow document SHA-256', code(r.workflowHash)],
      ['Product', e(`${r.product.name} ${r.product.version}`)],
      ['Report generated', e(formatTime(r.generatedAt))],
    ],
    2,
  );

  const steps = `<div class="table-wrap"><table class="steps"><thead><tr>${['Step', 'Status', 'Started (UTC)', 'Ended (UTC)', 'Duration', 'Requests', 'Observed statuses']
    .map((h, i) => `<th scope="col"${i === 4 || i === 5 ? ' class="num"' : ''}>${e(h)}</th>`)
    .join('')}</tr></thead><tbody>${r.steps
    .map((s) => {
      const req = s.attempts
        ? `${e(formatCount(s.attempts))}${s.polling || s.throttled || s.transientErrors ? `<div class="muted small">${e([s.polling ? `${formatCount(s.polls)} polls` : '', s.throttled ? `${formatCount(s.throttled)} throttled` : '', s.transientErrors ? `${formatCount(s.transientErrors)} transient` : ''].filter(Boolean).join(', '))}</div>` : ''}`
        : '<span class="none">0</span>';
      const main =
        `<tr><td><div class="stepname">${e(s.stepId)}</div><div class="opname">${e(s.operationId)}</div></td>` +
        `<td>${indicator(stepTone(s.status), STEP_STATUS_LABEL[s.status])}</td>` +
        `<td>${e(formatClock(s.startedAt))}</td><td>${e(formatClock(s.endedAt))}</td>` +
        `<td class="num">${e(formatDuration(s.durationMs))}</td><td class="num">${req}</td><td>${statusSequence(s)}</td></tr>`;
      const details = s.status === 'not_run' ? '' : stepDetails(s);
      return main + `<tr class="detail"><td colspan="7">${details || '<span class="none small">Not run.</span>'}</td></tr>`;
    })
    .join('')}</tbody></table></div>`;

  const inputs = table(
    ['Input', 'Value'],
    orderedInputs(r.inputs).map(([k, v]) => [`<div class="stepname">${e(INPUT_LABEL[k] ?? k)}</div><div class="opname">${e(k)}</div>`, code(valueText(v))]),
    'inputs',
  );

  const extraOutputs = Object.entries(o.workflow).filter(([k]) => !['datastoreId', 'jobId', 'jobStatus'].includes(k));
  const outputs = kv(
    [
      ['datastoreId', o.datastoreId ? link(o.datastoreId, r.links.datastoreConsole, true) : '<span class="none">-</span>'],
      ['jobId', o.jobId ? link(o.jobId, r.links.jobConsole, true) : '<span class="none">-</span>'],
      ['jobStatus', code(o.jobStatus)],
      ['datastoreStatus', code(o.datastoreStatus)],
      ...extraOutputs.map(([k, v]) => [k, code(valueText(v))] as [string, string]),
    ],
    4,
  );

  const apiByOp = table(
    ['Operation', 'Requests', 'Errors', 'Throttled'],
    r.apiCalls.byOperation.map((x) => [code(x.operationId), e(formatCount(x.count)), e(formatCount(x.errors)), e(formatCount(x.throttled))]),
    'ops',
    [1, 2, 3],
  );
  const httpStatuses = Object.entries(r.apiCalls.byHttpStatus)
    .map(([k, v]) => `${k === 'pending' ? 'no answer recorded' : k === '0' ? 'no answer' : `HTTP ${k}`}: ${formatCount(v)}`)
    .join(' · ');
  const notable = r.apiCalls.notable.length
    ? `<h3>Notable calls <span class="counter">(${e(`${r.apiCalls.notable.length} listed${r.apiCalls.notableOmitted ? `, ${formatCount(r.apiCalls.notableOmitted)} more left out` : ''}`)})</span></h3>` +
      table(
        ['Time (UTC)', 'Step', 'Attempt', 'HTTP', 'Status / error', 'Request ID', 'Why listed'],
        r.apiCalls.notable.map((c) => [
          e(formatClock(c.at)),
          e(c.stepId),
          e(String(c.attempt)),
          c.httpStatus === undefined ? '<span class="muted">no answer</span>' : e(String(c.httpStatus)),
          c.errorCode ? `<span class="exc">${e(c.errorCode)}</span>` : code(c.observedStatus),
          code(c.requestId),
          `<span class="muted">${e(c.note)}</span>`,
        ]),
      )
    : '';

  const history =
    r.resumes.length || r.pauses.length
      ? container(
          'history',
          'Resumes and pauses',
          table(
            ['Time (UTC)', 'Event', 'Step', 'Detail'],
            [
              ...r.resumes.map((x) => ({ at: x.at, row: [e(formatTime(x.at)), indicator('info', 'Resumed'), code(x.stepId), e(x.reason)] })),
              ...r.pauses.map((p) => ({
                at: p.at,
                row: [e(formatTime(p.at)), indicator('warning', 'Paused'), code(p.stepId), `${e(p.message)}${p.continuedAt ? ` <span class="muted">${e(`Continued ${formatTime(p.continuedAt)}.`)}</span>` : ''}`],
              })),
            ]
              .sort((a, b) => a.at.localeCompare(b.at))
              .map((x) => x.row),
          ),
        )
      : '';

  const consoleLinks: Array<[string, string | undefined]> = [
    ['Data store in the HealthImaging console', r.links.datastoreConsole],
    ['Import job in the HealthImaging console', r.links.jobConsole],
    ['Import output folder in the S3 console', r.links.outputConsole],
  ];
  const refs =
    `<ul class="links">${consoleLinks
      .filter(([, u]) => u)
      .map(([t, u]) => `<li>${link(t, u)}</li>`)
      .join('')}${r.links.docs.map((d) => `<li>${link(d.title, d.url)}</li>`).join('')}</ul>` +
    (r.who.sandbox ? `<p class="muted small">This run used the local sandbox: its resources exist only on this machine, so there are no AWS console links.</p>` : '');

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<meta name="generator" content="${e(`${r.product.name} ${r.product.version}`)}">`,
    `<title>${e(`Onboarding report: ${title} (${r.outcome.label})`)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<div class="topbar" role="banner"><span class="brand"><svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path d="M12 2.5l8.5 4.9v9.2L12 21.5l-8.5-4.9V7.4z" fill="none" stroke="#ff9900" stroke-width="1.8"/><path d="M12 7.2l4.3 2.5v4.6L12 16.8l-4.3-2.5V9.7z" fill="#ff9900"/></svg>${e(r.product.name)}</span><span class="sep"></span><span class="sub">Run report</span><span class="right">${e(`Generated ${formatTime(r.generatedAt)}`)}</span></div>`,
    '<main class="page">',
    `<nav class="crumbs" aria-label="Breadcrumbs"><span>HealthImaging</span><span>Data stores</span><span>${e(title)}</span><span>Onboarding run</span></nav>`,
    `<div class="head"><h1>${e(title)}</h1><span class="badge badge-${tone}">${icon(tone)}${e(r.outcome.label)}</span></div>`,
    `<p class="lede">${e(r.outcome.summary)}</p>`,
    `<div class="meta">${e(`Run ${r.runId} · ${whereText(r)} · ${formatTime(r.startedAt)}`)}</div>`,
    (r.logDamage ? alert('warning', 'The run log is damaged', e(r.logDamage.message)) : '') + alertHtml,
    container('summary', 'Run summary', summary, undefined, undefined, true),
    `<div class="grid2">${container('who', 'Who and where', who, 'The identity and target recorded when the run started. No credentials are ever recorded.', undefined, true)}${container('workflow', 'Workflow', workflow, undefined, undefined, true)}</div>`,
    container('timeline', 'Step timeline', renderTimelineSvg(r), 'One bar per step on a shared time axis from the start of the run; marks show the status changes a polling step saw.', undefined, true),
    ...(r.preflight ? [container('preflight', 'Preflight', preflightHtml(r.preflight), 'Checked before anything was created: the role, the buckets, the input against the import limits, the quota.')] : []),
    container('import-results', 'Import results', importResultsHtml(r), 'What the import job wrote to its output location: the job output manifest and the first lines of FAILURE/failure.ndjson.'),
    container('steps', 'Steps', steps, 'Requests include every poll and retry. Repeated statuses are compressed; request IDs show the first and last few.', formatCount(r.steps.length)),
    container('inputs', 'Inputs', inputs, 'As the run started, client tokens included.'),
    container('outputs', 'Outputs', outputs, 'Workflow outputs as far as known.'),
    container('api-calls', 'API calls', `${apiByOp}<p class="muted small">${e(httpStatuses)}</p>${notable}`, 'Counts include every request. Only notable calls are listed: the first and last of each step, status changes and errors.', formatCount(r.apiCalls.total)),
    history,
    container('references', 'References', refs),
    `<footer class="foot"><span>${e(`${r.product.name} ${r.product.version}`)}</span><span>${e(`Report schema version ${r.schemaVersion}`)}</span><span>${e(`Run ${r.runId}`)}</span><span>${e('Built from the run\u2019s event log; contains no credentials.')}</span></footer>`,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
