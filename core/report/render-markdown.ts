/**
 * The report as Markdown (GitHub-flavoured tables), for tickets and wikis. Free text is escaped so
 * a message can never turn into a link, an image or markup; identifiers go in code spans.
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
  reportTitle,
  requestsText,
  valueText,
  whereText,
} from './format';
import { NON_PRIMARY_MEANING } from './failure-causes';
import { isAllowedReportLink } from './links';
import type { RunReport } from './types';

/** Escapes Markdown syntax in free text and keeps it on one line (tables). */
export function mdText(s: string): string {
  return s
    .replace(/\r?\n/g, ' ')
    .replace(/([\\`*_[\]<>|~])/g, '\\$1')
    .replace(/:\/\//g, ':\u200b//');
}

/** An identifier, URI or token as a code span (`|` escaped: GFM splits table cells even inside code). */
export function mdCode(s: string): string {
  const v = s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(v.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = v.startsWith('`') || v.endsWith('`') ? ' ' : '';
  return v ? `${fence}${pad}${v}${pad}${fence}` : '';
}

function mdLink(title: string, url: string | undefined): string {
  return url && isAllowedReportLink(url) ? `[${mdText(title)}](${url.replace(/[()\s]/g, encodeURIComponent)})` : mdText(title);
}

function table(head: string[], rows: string[][]): string {
  const out = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) out.push(`| ${r.map((c) => c || ' ').join(' | ')} |`);
  return out.join('\n');
}

const orDash = (s: string | undefined, f: (v: string) => string = mdCode) => (s ? f(s) : '-');

export function renderMarkdown(report: RunReport): string {
  const r = report;
  const out: string[] = [];
  const ds = r.outputs;

  out.push(`# HealthImaging onboarding report: ${mdText(reportTitle(r))}`);
  out.push('');
  out.push(`**Result: ${mdText(r.outcome.label)}**. ${mdText(r.outcome.summary)}`);
  if (r.logDamage) out.push('', `> **The run log is damaged.** ${mdText(r.logDamage.message)}`);
  if (r.error) {
    out.push('');
    out.push(`> **${mdText(r.error.code)}**: ${mdText(r.error.message)}`);
    if (r.error.action) out.push(`>`, `> **What to do:** ${mdText(r.error.action)}`);
  }
  out.push('');
  out.push(
    table(
      ['Run', 'Value'],
      [
        ['Run ID', mdCode(r.runId)],
        ['Status', mdText(r.status)],
        ['Workflow', `${mdCode(r.workflowId)}${r.workflowTitle ? ` (${mdText(r.workflowTitle)})` : ''}`],
        ['Workflow SHA-256', mdCode(r.workflowHash)],
        ['Started', formatTime(r.startedAt)],
        ['Ended', r.endedAt ? formatTime(r.endedAt) : `no end recorded (last event ${formatTime(r.lastEventAt)})`],
        ['Duration', formatDuration(r.durationMs)],
        ['Resumable', r.resumable ? 'yes' : 'no'],
        ['Product', `${mdText(r.product.name)} ${mdText(r.product.version)}`],
      ],
    ),
  );

  out.push('', '## Who and where', '');
  out.push(
    table(
      ['Field', 'Value'],
      [
        ['Caller', orDash(r.who.callerArn)],
        ['Account', orDash(r.who.accountId)],
        ['Profile', orDash(r.who.profile)],
        ['Region', mdCode(r.who.region)],
        ['Target', mdText(whereText(r))],
        ...(r.who.endpoint ? [['Endpoint', mdCode(r.who.endpoint)]] : []),
      ],
    ),
  );

  out.push('', '## Inputs', '');
  out.push(table(['Input', 'Value'], orderedInputs(r.inputs).map(([k, v]) => [mdText(INPUT_LABEL[k] ?? k) + ` (${mdCode(k)})`, mdCode(valueText(v))])));

  out.push('', '## Outputs', '');
  out.push(
    table(
      ['Output', 'Value'],
      [
        ['Data store ID', ds.datastoreId ? mdLink(ds.datastoreId, r.links.datastoreConsole) : '-'],
        ['Data store status', orDash(ds.datastoreStatus)],
        ['Import job ID', ds.jobId ? mdLink(ds.jobId, r.links.jobConsole) : '-'],
        ['Import job status', orDash(ds.jobStatus)],
      ],
    ),
  );

  out.push('', '## Steps', '');
  out.push(
    table(
      ['Step', 'Operation', 'Status', 'Started', 'Ended', 'Duration', 'Requests', 'Observed statuses'],
      r.steps.map((s) => [
        mdCode(s.stepId),
        mdCode(s.operationId),
        STEP_STATUS_LABEL[s.status],
        formatClock(s.startedAt),
        formatClock(s.endedAt),
        formatDuration(s.durationMs),
        requestsText(s),
        s.observedStatusesText ? mdCode(s.observedStatusesText) : '-',
      ]),
    ),
  );
  for (const s of r.steps) {
    if (s.status === 'not_run') continue;
    const lines: string[] = [];
    if (s.clientToken) lines.push(`- Client token: ${mdCode(s.clientToken)}`);
    if (s.action) lines.push(`- Left by: ${mdCode(s.action.type)}${s.action.name ? ` ${mdCode(s.action.name)}` : ''}${s.action.stepId ? ` to ${mdCode(s.action.stepId)}` : ''}`);
    if (s.requestIds.total) {
      const ids = [...s.requestIds.first.map(mdCode)];
      const hidden = s.requestIds.total - s.requestIds.first.length - s.requestIds.last.length;
      if (hidden > 0) ids.push(`... ${formatCount(hidden)} more ...`);
      ids.push(...s.requestIds.last.map(mdCode));
      lines.push(`- Request IDs (${formatCount(s.requestIds.total)}): ${ids.join(', ')}`);
    }
    for (const e of s.errors) {
      lines.push(`- ${mdCode(e.code)} x${e.count}${e.httpStatus ? ` (HTTP ${e.httpStatus})` : ''}: ${mdText(e.message)} (first ${formatClock(e.firstAt)}, last ${formatClock(e.lastAt)})`);
    }
    if (s.error) lines.push(`- **Error ${mdText(s.error.code)}**: ${mdText(s.error.message)}${s.error.action ? ` **What to do:** ${mdText(s.error.action)}` : ''}`);
    if (lines.length) out.push('', `**${mdText(s.stepId)}**`, '', ...lines);
  }

  if (r.preflight) {
    out.push('', '## Preflight', '');
    if (r.preflight.skipped) out.push('Skipped: the run was started without the preflight.');
    else {
      out.push(r.preflight.ready ? 'Ready: nothing blocked the run.' : 'Not ready: a check failed.', '');
      out.push(table(['Check', 'Status', 'Detail', 'Fix'], r.preflight.checks.map((c) => [`${mdText(c.title)} (${mdCode(c.id)})`, c.status, mdText(c.detail), c.fix ? mdText(c.fix) : '-'])));
    }
  }

  out.push('', '## Import results', '');
  const ir = r.importResults;
  if (!ir) {
    out.push(ds.jobId ? 'The import results were not read for this run.' : 'No import job was started.');
  } else if (ir.state !== 'read') {
    out.push(`**${mdText(IMPORT_STATE_TEXT[ir.state] ?? ir.state)}.** ${mdText(ir.message ?? '')}`);
    if (ir.manifestUri) out.push('', `Manifest: ${mdCode(ir.manifestUri)}`);
  } else {
    out.push(
      table(
        ['Files scanned', 'Files imported', 'Files failed', 'Customer errors', 'Server errors', 'Image sets created'],
        [
          [
            formatCount(ir.numberOfScannedFiles),
            formatCount(ir.numberOfImportedFiles),
            formatCount(ir.failedFiles),
            formatCount(ir.numberOfFilesWithCustomerError),
            formatCount(ir.numberOfFilesWithServerError),
            formatCount(ir.numberOfGeneratedImageSets),
          ],
        ],
      ),
    );
    if (ir.manifestUri) out.push('', `Manifest: ${mdCode(ir.manifestUri)}${r.links.outputConsole ? ` (${mdLink('open in the S3 console', r.links.outputConsole)})` : ''}`);
    if (ir.message) out.push('', mdText(ir.message));
    if (ir.failuresByType?.length) {
      out.push('', `### Failures by type${ir.failuresComplete === false ? ' (from the first part of failure.ndjson: at least these)' : ''}`, '');
      for (const g of ir.failuresByType) {
        out.push(`- ${mdCode(g.type)}: **${formatCount(g.count)} file${g.count === 1 ? '' : 's'}**. ${mdText(g.cause ?? g.message)}${g.fix ? ` Fix: ${mdText(g.fix)}` : ''}`);
        for (const f of g.examples) out.push(`  - ${mdCode(f)}`);
        if (g.count > g.examples.length) out.push(`  - ... and ${formatCount(g.count - g.examples.length)} more`);
      }
    }
    if (ir.failures?.length) {
      out.push('', `### First failures (${ir.failures.length} of ${formatCount(ir.failedFiles)})`, '');
      out.push(table(['File', 'Exception', 'Reason'], ir.failures.map((f) => [mdCode(f.inputFile), f.exceptionType ? mdCode(f.exceptionType) : '-', mdText(f.message)])));
    }
    if (ir.warnings?.length) {
      out.push('', `### Warnings (${formatCount(ir.warnings.length)})`, '');
      out.push(table(['File', 'Code', 'Warning'], ir.warnings.map((w) => [w.inputFile ? mdCode(w.inputFile) : '-', mdText([w.code, w.type].filter(Boolean).join(' ') || '-'), mdText(w.message)])));
    }
    if (ir.nonPrimaryImageSets?.length) {
      out.push('', `### Non-primary image sets (${formatCount(ir.nonPrimaryImageSets.length)})`, '', mdText(NON_PRIMARY_MEANING), '');
      out.push(table(['Image set ID', 'Conflicting instances', 'First files'], ir.nonPrimaryImageSets.map((n) => [mdCode(n.imageSetId), formatCount(n.count), n.instances.map(mdCode).join(', ')])));
    }
    if (ir.imageSets?.length) {
      out.push('', '### Image sets', '');
      out.push(table(['Image set ID', 'Matched SOP instances'], ir.imageSets.map((s) => [mdCode(s.imageSetId), formatCount(s.numberOfMatchedSOPInstances)])));
      if (ir.imageSetsOmitted) out.push('', `... and ${formatCount(ir.imageSetsOmitted)} more image sets.`);
    }
  }

  out.push('', '## API calls', '');
  out.push(`${formatCount(r.apiCalls.total)} requests in total.`);
  out.push('');
  out.push(table(['Operation', 'Requests', 'Errors', 'Throttled'], r.apiCalls.byOperation.map((o) => [mdCode(o.operationId), formatCount(o.count), formatCount(o.errors), formatCount(o.throttled)])));
  if (r.apiCalls.notable.length) {
    out.push('', `### Notable calls`, '');
    out.push(
      table(
        ['Time (UTC)', 'Step', 'Attempt', 'HTTP', 'Status seen', 'Request ID', 'Why listed'],
        r.apiCalls.notable.map((c) => [
          formatClock(c.at),
          mdCode(c.stepId),
          String(c.attempt),
          c.httpStatus === undefined ? 'no answer' : String(c.httpStatus),
          orDash(c.observedStatus ?? c.errorCode),
          orDash(c.requestId),
          mdText(c.note),
        ]),
      ),
    );
    if (r.apiCalls.notableOmitted) out.push('', `${formatCount(r.apiCalls.notableOmitted)} more notable calls left out; the counts above include every call.`);
  }

  if (r.resumes.length || r.pauses.length) {
    out.push('', '## Resumes and pauses', '');
    for (const x of r.resumes) out.push(`- ${formatTime(x.at)}: resumed at ${mdCode(x.stepId)}. ${mdText(x.reason)}`);
    for (const p of r.pauses) out.push(`- ${formatTime(p.at)}: paused at ${mdCode(p.stepId)} (${mdText(p.reason)}). ${mdText(p.message)}${p.continuedAt ? ` Continued ${formatTime(p.continuedAt)}.` : ''}`);
  }

  out.push('', '## References', '');
  for (const d of r.links.docs) out.push(`- ${mdLink(d.title, d.url)}`);
  out.push('', '---', '', `Generated ${formatTime(r.generatedAt)} by ${mdText(r.product.name)} ${mdText(r.product.version)} from the run's event log (report schema version ${r.schemaVersion}).`, '');
  return out.join('\n');
}
