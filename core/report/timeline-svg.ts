/**
 * The step timeline as an inline SVG (no script, no external reference): one lane and one bar per
 * step on a shared time axis from the run's start, with the status changes a polling step saw
 * marked on its bar. Long runs keep the same size: the axis ticks adapt, polls are not drawn.
 */
import { STEP_STATUS_LABEL, formatDuration } from './format';
import type { ReportStep, RunReport, StepStatus } from './types';

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const FILL: Record<StepStatus, string> = {
  succeeded: '#0972d3',
  failed: '#d91515',
  cancelled: '#8d99a8',
  interrupted: 'url(#ahi-stripes)',
  not_run: 'none',
};

const TICK_STEPS_MS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800,
].map((s) => s * 1000);

function tickLabel(msec: number, step: number): string {
  if (msec === 0) return '0';
  if (step < 60_000) return `${Math.round(msec / 1000)} s`;
  if (step < 3_600_000) return `${Math.round(msec / 60_000)} min`;
  const h = msec / 3_600_000;
  return Number.isInteger(h) ? `${h} h` : `${Math.floor(h)} h ${Math.round((h % 1) * 60)} min`;
}

const W = 960;
const LABEL_W = 196;
const DUR_W = 92;
const AXIS_H = 30;
const ROW_H = 46;
const CHART_W = W - LABEL_W - DUR_W - 16;

interface Marker {
  x: number;
  label: string;
}

function markersFor(step: ReportStep, report: RunReport, x: (iso: string) => number): Marker[] {
  if (!step.startedAt || step.observedStatuses.length === 0) return [];
  const first = step.observedStatuses[0]!.status;
  const out: Marker[] = [{ x: x(step.startedAt), label: first }];
  for (const call of report.apiCalls.notable) {
    if (call.stepId !== step.stepId || !call.observedStatus || !call.note.includes('status changed')) continue;
    out.push({ x: x(call.at), label: call.observedStatus });
  }
  return out;
}

export function renderTimelineSvg(report: RunReport): string {
  const t0 = Date.parse(report.startedAt);
  const t1 = Date.parse(report.endedAt ?? report.lastEventAt);
  const span = Math.max(t1 - t0, 1000);
  const x = (iso: string) => LABEL_W + Math.min(1, Math.max(0, (Date.parse(iso) - t0) / span)) * CHART_W;
  const steps = report.steps;
  const height = AXIS_H + steps.length * ROW_H + 36;

  const tickStep = TICK_STEPS_MS.find((s) => span / s <= 8) ?? TICK_STEPS_MS[TICK_STEPS_MS.length - 1]!;
  const ticks: string[] = [];
  for (let t = 0; t <= span + 1; t += tickStep) {
    const tx = LABEL_W + (t / span) * CHART_W;
    ticks.push(
      `<line x1="${tx.toFixed(1)}" y1="${AXIS_H - 6}" x2="${tx.toFixed(1)}" y2="${AXIS_H + steps.length * ROW_H}" class="tl-grid"/>` +
        `<text x="${tx.toFixed(1)}" y="${AXIS_H - 12}" class="tl-tick" text-anchor="middle">${escapeXml(tickLabel(t, tickStep))}</text>`,
    );
  }

  const lanes = steps.map((s, i) => {
    const y = AXIS_H + i * ROW_H;
    const mid = y + ROW_H / 2;
    const parts: string[] = [];
    if (i % 2 === 0) parts.push(`<rect x="0" y="${y}" width="${W}" height="${ROW_H}" class="tl-lane"/>`);
    parts.push(`<text x="12" y="${mid - 3}" class="tl-step">${escapeXml(s.stepId)}</text>`);
    parts.push(`<text x="12" y="${mid + 12}" class="tl-op">${escapeXml(s.operationId)}</text>`);
    const tipEnd = s.endedAt ?? report.endedAt ?? report.lastEventAt;
    if (s.status === 'not_run' || !s.startedAt) {
      parts.push(`<text x="${LABEL_W + 4}" y="${mid + 4}" class="tl-muted">Not run</text>`);
    } else {
      const bx = x(s.startedAt);
      const bw = Math.max(4, x(tipEnd) - bx);
      const tip = `${s.stepId}: ${STEP_STATUS_LABEL[s.status]}, ${formatDuration(Date.parse(tipEnd) - Date.parse(s.startedAt))}` +
        (s.observedStatusesText ? `, ${s.observedStatusesText}` : '');
      parts.push(
        `<rect x="${bx.toFixed(1)}" y="${mid - 9}" width="${bw.toFixed(1)}" height="14" rx="3" fill="${FILL[s.status]}" class="tl-bar tl-bar-${s.status}"><title>${escapeXml(tip)}</title></rect>`,
      );
      // Status changes along a polling bar: a mark at each change, and each status named inside
      // its own stretch of the bar where that stretch is wide enough for the word.
      const marks = s.polling ? markersFor(s, report, x) : [];
      const barEnd = bx + bw;
      marks.forEach((m, k) => {
        if (k > 0) parts.push(`<line x1="${m.x.toFixed(1)}" y1="${mid - 9}" x2="${m.x.toFixed(1)}" y2="${mid + 5}" class="tl-mark"/>`);
        const segEnd = marks[k + 1]?.x ?? barEnd;
        if (segEnd - m.x >= m.label.length * 6.2 + 10) {
          const cls = s.status === 'interrupted' ? 'tl-status tl-status-dark' : 'tl-status';
          parts.push(`<text x="${(m.x + 5).toFixed(1)}" y="${(mid + 1.5).toFixed(1)}" class="${cls}">${escapeXml(m.label)}</text>`);
        }
      });
    }
    const dur = s.durationMs !== undefined ? formatDuration(s.durationMs) : s.status === 'not_run' ? '' : STEP_STATUS_LABEL[s.status];
    parts.push(`<text x="${W - 12}" y="${mid + 4}" class="tl-dur" text-anchor="end">${escapeXml(dur)}</text>`);
    return parts.join('');
  });

  const legendY = AXIS_H + steps.length * ROW_H + 24;
  const legendItems: Array<[StepStatus, string]> = [
    ['succeeded', 'Succeeded'],
    ['failed', 'Failed'],
    ['cancelled', 'Cancelled'],
    ['interrupted', 'Interrupted / no end recorded'],
  ];
  let lx = LABEL_W;
  const legend = legendItems
    .map(([st, label]) => {
      const item = `<rect x="${lx}" y="${legendY - 9}" width="14" height="10" rx="2" fill="${FILL[st]}"/><text x="${lx + 20}" y="${legendY}" class="tl-legend">${escapeXml(label)}</text>`;
      lx += 34 + label.length * 6.4;
      return item;
    })
    .join('');

  const desc = steps
    .map((s) => `${s.stepId} ${STEP_STATUS_LABEL[s.status].toLowerCase()}${s.durationMs !== undefined ? ` in ${formatDuration(s.durationMs)}` : ''}`)
    .join('; ');

  return [
    `<svg viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-labelledby="ahi-tl-title ahi-tl-desc" class="timeline">`,
    `<title id="ahi-tl-title">Step timeline, elapsed time from the start of the run</title>`,
    `<desc id="ahi-tl-desc">${escapeXml(desc)}</desc>`,
    `<defs><pattern id="ahi-stripes" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#fde3a7"/><rect width="3" height="8" fill="#f2b13c"/></pattern></defs>`,
    `<style>.tl-lane{fill:#f8f8f9}.tl-grid{stroke:#e9ebed;stroke-width:1}.tl-tick{font-size:11px;font-weight:500;fill:#5f6b7a}.tl-step{font-size:13px;font-weight:700;fill:#000716}.tl-op{font-size:11px;fill:#5f6b7a}.tl-muted{font-size:12px;font-style:italic;fill:#8d99a8}.tl-dur{font-size:12px;font-weight:600;fill:#000716}.tl-mark{stroke:#fff;stroke-width:2}.tl-status{font-size:9.5px;font-weight:700;fill:#fff;letter-spacing:.03em}.tl-status-dark{fill:#000716}.tl-legend{font-size:11px;fill:#414d5c}</style>`,
    ...ticks,
    ...lanes,
    legend,
    `</svg>`,
  ].join('');
}
