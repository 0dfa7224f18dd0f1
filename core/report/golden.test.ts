/**
 * Golden tests: every format (json, md, html) rendered from recorded event logs and compared with
 * files under __fixtures__/golden/. Refresh after an intended change with
 *   UPDATE_GOLDENS=1 npx vitest run --project unit core/report/golden.test.ts
 * and review the diff. Every JSON report is also validated against report.schema.json.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../engine/events';
import { dayLongRun, RECORDED } from './__fixtures__/scenarios';
import { buildReport } from './build';
import { reportFileName } from './file-name';
import { isAllowedReportLink } from './links';
import { renderReport } from './render';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';
import schema from './report.schema.json';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '__fixtures__');
const goldens = join(fixtures, 'golden');
const NOW = new Date('2026-04-01T12:00:00.000Z');
const update = process.env.UPDATE_GOLDENS === '1';

const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

function readLog(name: string): RunEvent[] {
  return readFileSync(join(fixtures, `${name}.ndjson`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RunEvent);
}

function golden(file: string, actual: string): void {
  const path = join(goldens, file);
  if (update || !existsSync(path)) {
    mkdirSync(goldens, { recursive: true });
    writeFileSync(path, actual);
    if (!update) throw new Error(`golden ${file} was missing and has been written: review it and run again`);
    return;
  }
  expect(actual, `${file} differs from its golden (UPDATE_GOLDENS=1 to accept)`).toBe(readFileSync(path, 'utf8'));
}

/** The HTML must be one file: no script, nothing fetched, links only to AWS console/docs over https. */
function expectSelfContained(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/\son[a-z]+\s*=/i); // no inline event handlers
  expect(html).not.toMatch(/\ssrc\s*=/i);
  expect(html).not.toMatch(/<link\b/i);
  expect(html).not.toMatch(/@import/i);
  expect(html).not.toMatch(/<(iframe|object|embed|form|base|img)\b/i);
  const urls = [...html.matchAll(/url\(([^)]*)\)/g)].map((m) => m[1]);
  expect(urls.every((u) => u?.startsWith('#'))).toBe(true);
  const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  for (const h of hrefs) expect(isAllowedReportLink(h), `link not allowed: ${h}`).toBe(true);
  expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none'`);
  // No attribute anywhere refers to a URL except the vetted links (a URL shown as text is not a link).
  const refs = [...html.matchAll(/\s[a-z:-]+="([^"]*:\/\/[^"]*)"/gi)].map((m) => m[1]!.replace(/&amp;/g, '&'));
  for (const r of refs) expect(isAllowedReportLink(r), `reference not allowed: ${r}`).toBe(true);
}

const scenarios: Array<[string, () => RunEvent[]]> = [
  ...Object.keys(RECORDED).map((name): [string, () => RunEvent[]] => [name, () => readLog(name)]),
  ['day-long', dayLongRun],
];

describe('golden reports from recorded event logs', () => {
  for (const [name, load] of scenarios) {
    describe(name, () => {
      const events = load();
      const report = buildReport(events, { now: NOW });

      it('is valid against report.schema.json', () => {
        const ok = validate(JSON.parse(renderJson(report)));
        expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
        expect(ok).toBe(true);
      });

      it('renders JSON as its golden', () => golden(`${name}.json`, renderJson(report)));
      it('renders Markdown as its golden', () => golden(`${name}.md`, renderMarkdown(report)));
      it('renders HTML as its golden, self-contained', () => {
        const html = renderHtml(report);
        expectSelfContained(html);
        golden(`${name}.html`, html);
      });

      it('renderReport gives the same text from the events', () => {
        expect(renderReport(events, 'json', { now: NOW })).toBe(renderJson(report));
        expect(renderReport(events, 'md', { now: NOW })).toBe(renderMarkdown(report));
        expect(renderReport(events, 'html', { now: NOW })).toBe(renderHtml(report));
      });

      it('is regenerated identically from a shuffled log (order comes from seq)', () => {
        const shuffled = [...events].reverse();
        expect(renderJson(buildReport(shuffled, { now: NOW }))).toBe(renderJson(report));
      });
    });
  }
});

describe('what each recorded run says', () => {
  const build = (name: string) => buildReport(readLog(name), { now: NOW });

  it('success: succeeded, statuses compressed, ids and counts right', () => {
    const r = build('success');
    expect(r.status).toBe('succeeded');
    expect(r.outcome.code).toBe('succeeded');
    expect(r.outputs).toMatchObject({ datastoreStatus: 'ACTIVE', jobStatus: 'COMPLETED' });
    const poll = r.steps.find((s) => s.stepId === 'pollDatastore')!;
    expect(poll.observedStatusesText).toBe('CREATING x14 -> ACTIVE');
    expect(poll).toMatchObject({ attempts: 16, polls: 15, throttled: 1 });
    expect(r.steps.find((s) => s.stepId === 'pollImportJob')!.observedStatusesText).toBe('SUBMITTED x2 -> IN_PROGRESS x22 -> COMPLETED');
    expect(r.steps.find((s) => s.stepId === 'createDatastore')!.clientToken).toBe('ds-6f1c2a4e-1b7d-4c55-9a11-0c5e2f6d9b30');
    expect(r.inputs.importClientToken).toBe('imp-0d9a7c3b-58e2-4f0e-b3a4-71c9e2d5f816');
    expect(r.apiCalls.total).toBe(43);
    expect(r.links.datastoreConsole).toBe(
      'https://us-east-1.console.aws.amazon.com/medical-imaging/home?region=us-east-1#/data-stores/1b2c3d4e5f60718293a4b5c6d7e8f901',
    );
    expect(reportFileName(r, 'html')).toBe('ahi-onboarding-radiology-onboarding-2026-03-12.html');
  });

  it('CREATE_FAILED: failed, no import step run, no job output', () => {
    const r = build('create-failed');
    expect(r.status).toBe('failed');
    expect(r.outcome.code).toBe('failed');
    expect(r.error?.code).toBe('DatastoreCreateFailed');
    expect(r.steps.map((s) => s.status)).toEqual(['succeeded', 'failed', 'not_run', 'not_run']);
    expect(r.steps[1]!.observedStatusesText).toBe('CREATING x6 -> CREATE_FAILED');
    expect(r.outputs.jobId).toBeUndefined();
    expect(renderMarkdown(r)).toContain('No import job was started.');
  });

  it('FAILED job: failed, and the unreadable results are said plainly', () => {
    const r = build('job-failed');
    expect(r.status).toBe('failed');
    expect(r.outputs.jobStatus).toBe('FAILED');
    expect(r.importResults?.state).toBe('access-denied');
    const html = renderHtml(r);
    expect(html).toContain('s3:GetObject');
    expect(html).toContain('Access denied');
  });

  it('cancelled on the sandbox: resumable, nothing deleted, no console links', () => {
    const r = build('cancelled');
    expect(r.status).toBe('cancelled');
    expect(r.resumable).toBe(true);
    expect(r.outcome.summary).toContain('Nothing was deleted');
    expect(r.links.datastoreConsole).toBeUndefined();
    expect(r.links.jobConsole).toBeUndefined();
    expect(renderHtml(r)).not.toContain('console.aws.amazon.com');
  });

  it('completed with errors: the run succeeded, the outcome says otherwise', () => {
    const r = build('completed-with-errors');
    expect(r.status).toBe('succeeded');
    expect(r.outcome.code).toBe('completed_with_errors');
    expect(r.outcome.label).toBe('Completed with errors');
    expect(r.importResults).toMatchObject({ numberOfScannedFiles: 250, numberOfImportedFiles: 237, failedFiles: 13 });
    expect(r.importResults?.failures).toHaveLength(13);
    expect(renderMarkdown(r)).toContain('**Result: Completed with errors**');
    expect(renderHtml(r)).toContain('badge-warning');
  });

  it('interrupted: no run-ended, a request left unanswered, the resume listed', () => {
    const r = build('interrupted');
    expect(r.status).toBe('interrupted');
    expect(r.endedAt).toBeUndefined();
    expect(r.resumable).toBe(true);
    expect(r.steps.find((s) => s.stepId === 'pollImportJob')!.status).toBe('interrupted');
    expect(r.apiCalls.byHttpStatus.pending).toBe(1);
    expect(r.resumes).toHaveLength(1);
  });
});

describe('a simulated 24-hour import', () => {
  const events = dayLongRun();
  const report = buildReport(events, { now: NOW });
  const requests = events.filter((e) => e.type === 'request-sent').length;

  it('has thousands of requests in its log', () => {
    expect(requests).toBeGreaterThan(1500);
    expect(report.durationMs).toBeGreaterThan(24 * 3600_000);
  });

  it('stays under 200 KB in every format', () => {
    for (const text of [renderJson(report), renderMarkdown(report), renderHtml(report)]) {
      expect(Buffer.byteLength(text)).toBeLessThan(200 * 1024);
    }
  });

  it('summarises polls instead of listing them', () => {
    const job = report.steps.find((s) => s.stepId === 'pollImportJob')!;
    expect(job.attempts).toBeGreaterThan(1400);
    expect(job.observedStatusesText).toBe(`SUBMITTED x3 -> IN_PROGRESS x${1440 - 4} -> COMPLETED`);
    expect(job.requestIds.first.length + job.requestIds.last.length).toBeLessThanOrEqual(6);
    expect(job.requestIds.total).toBe(job.attempts);
    expect(report.apiCalls.total).toBe(requests);
    expect(report.apiCalls.notable.length).toBeLessThanOrEqual(60);
    expect(report.apiCalls.notableOmitted).toBeGreaterThan(0);
    expect(report.importResults?.imageSets).toHaveLength(20);
    expect(report.importResults?.imageSetsOmitted).toBe(44);
    // The per-iteration step-ended/step-started pairs still make one step with one span.
    expect(job.status).toBe('succeeded');
    expect(job.durationMs).toBeGreaterThan(23 * 3600_000);
    const html = renderHtml(report);
    const listedRequestIds = new Set(html.match(/5e0c1a2b-7d3f-4e6a-9b8c-[0-9a-f]{12}/g));
    expect(listedRequestIds.size).toBeLessThan(100);
  });
});
