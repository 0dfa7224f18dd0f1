/**
 * The batch report in every format: goldens from fixed batch reports (refresh after an intended
 * change with UPDATE_GOLDENS=1 npx vitest run core/report/batch-report.test.ts and review the
 * diff), what each says, escaping, the leak guard, and PDF through the local Chromium (skipped
 * with the reason printed where none is installed). The PDF's text is read back with pdftotext,
 * as a user would read it, and the HTML is screenshotted under test-results/report/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { BATCH_SCENARIOS, completedWithErrorsBatch, failedBatchWithMarkup, INJECTION, runningBatch } from './__fixtures__/batch-scenarios';
import { batchReportFileName, canonicalBatchReport, exportBatchReport, renderBatchReport, renderBatchReportText } from './batch-report';
import { isAllowedReportLink } from './links';

const here = import.meta.dirname;
const goldens = join(here, '__fixtures__', 'golden');
const NOW = new Date('2026-04-03T12:00:00.000Z');
const PRODUCT = { name: 'HealthImaging Onboarding', version: '1.0.0' };
const update = process.env.UPDATE_GOLDENS === '1';
const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const havePdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!haveChromium) console.log(`[batch report] skipping PDF and screenshot tests: ${CHROMIUM} is not installed (apt-get install chromium)`);
if (haveChromium && !havePdftotext) console.log('[batch report] not reading the PDF back: pdftotext is not installed (apt-get install poppler-utils)');

const tmp = mkdtempSync(join(tmpdir(), 'ahi-batch-report-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

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

const text = (r: ReturnType<typeof completedWithErrorsBatch>, format: 'json' | 'md' | 'html') => renderBatchReportText(r, format, { now: NOW, product: PRODUCT });

describe('batch report goldens', () => {
  for (const [name, make] of Object.entries(BATCH_SCENARIOS)) {
    describe(name, () => {
      it('JSON, Markdown and HTML match their goldens', () => {
        golden(`${name}.json`, text(make(), 'json'));
        golden(`${name}.md`, text(make(), 'md'));
        golden(`${name}.html`, text(make(), 'html'));
      });

      it('HTML is one self-contained file: no script, nothing fetched, no link', () => {
        const html = text(make(), 'html');
        // The tags only: escaped text may well read "onerror=" (the markup fixture's does).
        const tags = (html.match(/<[^>]*>/g) ?? []).join('\n');
        expect(tags).not.toMatch(/<script/i);
        expect(tags).not.toMatch(/\son[a-z]+\s*=/i);
        expect(tags).not.toMatch(/\ssrc\s*=/i);
        expect(tags).not.toMatch(/<(link|iframe|object|embed|form|base|img)\b/i);
        expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none'`);
        for (const m of html.matchAll(/href="([^"]*)"/g)) expect(isAllowedReportLink(m[1]!.replace(/&amp;/g, '&'))).toBe(true);
      });
    });
  }
});

describe('batch report JSON', () => {
  it('is exactly the BatchReport, keys in one order whatever order they came in', () => {
    const r = completedWithErrorsBatch();
    const json = JSON.parse(text(r, 'json'));
    expect(json).toEqual(JSON.parse(JSON.stringify(r)));
    expect(canonicalBatchReport(r)).toEqual(r);
    expect(Object.keys(json)).toEqual(['batchId', 'datastoreId', 'region', 'sandbox', 'inputS3Uri', 'outputS3Uri', 'dataAccessRoleArn', 'limits', 'concurrency', 'startedAt', 'endedAt', 'state', 'jobs', 'totals', 'failuresByType', 'apiCalls']);
    expect(Object.keys(json.jobs[0])).toEqual(['inputS3Uri', 'jobId', 'status', 'state', 'files', 'bytes', 'scanned', 'imported', 'failed', 'imageSets', 'submittedAt', 'endedAt', 'attempts']);
    expect(Object.keys(json.apiCalls)).toEqual(['GetObject', 'ListDICOMImportJobs', 'ListObjectsV2', 'StartDICOMImportJob']);
    // The documented shape.
    expect(json).toMatchObject({ batchId: r.batchId, totals: { scanned: 12_000, imported: 11_996, failed: 4, imageSets: 32 } });
    // Same report, keys reversed at every level: byte-identical output.
    const reversed = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reversed) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
    expect(text(reversed(r) as typeof r, 'json')).toBe(text(r, 'json'));
    // Nothing but the declared keys: an extra field on the record is not carried into the report.
    expect(text({ ...r, extra: 'x' } as typeof r, 'json')).toBe(text(r, 'json'));
  });
});

describe('what the batch report says', () => {
  it('names the batch, store, where, sandbox, input/output, role, limits, concurrency, times, state, totals, jobs, failures and API calls', () => {
    const md = text(completedWithErrorsBatch(), 'md');
    for (const s of [
      'batch-20260312-091500-archive',
      '5e4a0b1c2d3e4f5a6b7c8d9e0f1a2b3c',
      'Local sandbox (us-east-1, not AWS)',
      '**Local sandbox.**',
      's3://healthimaging-sandbox-demo/archive/',
      's3://healthimaging-sandbox-demo/output/',
      'HealthImagingSandboxImportRole',
      '5,000 files, 10 GB, 10,000 nested folders per job; 10 GB per file',
      '3 import jobs at once',
      '2026-03-12 09:15:00 UTC',
      '2026-03-12 09:31:12 UTC',
      '16 min 12 s',
      '**State: Completed with errors**',
      '| 3 | 12,000 | 11,996 | 4 | 32 |',
      '### InvalidInputException: 3 files',
      'not a DICOM Part 10 file',
      '**Fix:** Give the data access role s3:GetObject',
      '## API calls (62)',
      '| `ListDICOMImportJobs` | 41 |',
    ]) {
      expect(md).toContain(s);
    }
    const html = text(completedWithErrorsBatch(), 'html');
    expect(html).toContain('<span class="badge badge-warning">');
    expect(html).toContain('Completed with errors');
    expect(html).toContain('Import jobs <span class="counter">(3)</span>');
    expect(html).toContain('Failures by type <span class="counter">(4)</span>');
  });

  it('says in words what a running, interrupted, failed or cancelled batch means', () => {
    expect(text(runningBatch(), 'md')).toMatch(/still running: 1 of 3 import jobs completed so far/);
    expect(text(runningBatch(), 'md')).toContain('| `s3://healthimaging-sandbox-demo/archive/site-a/study-3/` | - | Queued |');
    expect(text({ ...runningBatch(), state: 'interrupted' }, 'md')).toMatch(/ahi-onboard batch resume batch-20260312-091500-running/);
    expect(text(failedBatchWithMarkup(), 'md')).toMatch(/1 of 2 import jobs FAILED/);
    expect(text({ ...completedWithErrorsBatch(), state: 'cancelled' }, 'html')).toContain('badge-stopped');
    expect(text({ ...completedWithErrorsBatch(), state: 'completed', failuresByType: [] }, 'md')).toContain('No file failed.');
    const aws = text(failedBatchWithMarkup(), 'md');
    expect(aws).toContain('AWS, eu-west-1');
    expect(aws).not.toContain('Local sandbox');
    expect(aws).toContain('| Staged to | `s3://hospital-archive/staged/` |');
    expect(aws).toContain('Failed (attempt 2)');
  });

  it('escapes every value: markup from S3 keys and messages stays text', () => {
    const html = text(failedBatchWithMarkup(), 'html');
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    const md = text(failedBatchWithMarkup(), 'md');
    // Outside code spans (where Markdown shows everything literally) no markup and no link survives.
    const prose = md.replace(/`[^`]*`/g, '');
    // Every "<" outside a code span is escaped ("\\<"), so none can open a tag.
    expect(prose).not.toMatch(/(^|[^\\])</m);
    expect(prose).toContain('Odd\\<script\\>alert(1)\\</script\\>');
    // Free text cannot become a link; a prefix with | stays in its table cell.
    expect(prose).not.toMatch(/\]\(http:\/\/evil/);
    expect(md).toContain('ok\\|pipe*md_[x](http://evil.example)/');
    for (const line of md.split('\n').filter((l) => l.startsWith('| `s3://hospital-archive/pacs-export/ok'))) expect(line.split(/(?<!\\)\|/).length).toBe(10);
  });

  it('never renders a known secret: the guard redacts it where it appears', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const r = completedWithErrorsBatch();
    r.jobs[0]!.message = `denied with ${secret}`;
    r.failuresByType[0]!.examples.push(`x?X-Amz-Credential=AKIA&X-Amz-Signature=${'ab'.repeat(32)}`);
    for (const format of ['json', 'md', 'html'] as const) {
      const out = renderBatchReportText(r, format, { knownSecrets: [secret], now: NOW });
      expect(out, format).not.toContain(secret);
      expect(out, format).not.toContain('ab'.repeat(32));
      expect(out, format).toMatch(/\[redacted\]|\[withheld/);
    }
  });

  it('names files ahi-batch-<id>-<date>.<ext>, safe for any file system', () => {
    expect(batchReportFileName(completedWithErrorsBatch(), 'PDF')).toBe('ahi-batch-batch-20260312-091500-archive-2026-03-12.pdf');
    expect(batchReportFileName({ batchId: '../../etc/passwd', startedAt: '2026-01-02T00:00:00Z' }, '.md')).toBe('ahi-batch-etc-passwd-2026-01-02.md');
  });

  it('PDF goes through printToPdf when the app gives one, and unknown formats are refused', async () => {
    let printed = '';
    const pdf = await renderBatchReport(completedWithErrorsBatch(), 'pdf', { now: NOW, product: PRODUCT, printToPdf: async (html) => ((printed = html), Buffer.from('%PDF-1.7 test')) });
    expect(Buffer.isBuffer(pdf) && pdf.toString('latin1')).toBe('%PDF-1.7 test');
    expect(printed).toBe(text(completedWithErrorsBatch(), 'html'));
    await expect(renderBatchReport(completedWithErrorsBatch(), 'docx' as 'pdf')).rejects.toThrow(/use json, html, md or pdf/);
  });
});

describe.skipIf(!haveChromium)('batch report PDF and screenshot with the local Chromium', () => {
  const OUT = resolve('test-results/report');
  mkdirSync(OUT, { recursive: true });

  it('prints the report to PDF whose text reads as the report', async () => {
    const file = join(OUT, 'batch-completed-with-errors.pdf');
    const out = await exportBatchReport(completedWithErrorsBatch(), 'pdf', file, { now: NOW, product: PRODUCT, chromiumPath: CHROMIUM });
    const bytes = readFileSync(file);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(out.bytes).toBe(bytes.length);
    if (havePdftotext) {
      const read = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      writeFileSync(join(OUT, 'batch-completed-with-errors.txt'), read);
      for (const s of ['Archive import report', 'batch-20260312-091500-archive', 'Completed with errors', 'Local sandbox', 'Import jobs', 'InvalidInputException', 'Fix:', 'ListDICOMImportJobs', '11,996']) {
        expect(read, s).toContain(s);
      }
    }
  }, 90_000);

  it('screenshots the HTML: it loads nothing from outside and shows every section', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    try {
      for (const [name, make] of Object.entries(BATCH_SCENARIOS)) {
        const file = join(tmp, `${name}.html`);
        writeFileSync(file, text(make(), 'html'));
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const requests: string[] = [];
        const dialogs: string[] = [];
        page.on('request', (r) => requests.push(r.url()));
        page.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
        await page.goto(`file://${file}`);
        await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
        expect(requests).toEqual([`file://${file}`]);
        expect(dialogs).toEqual([]);
        expect(await page.locator('script, img').count()).toBe(0);
        for (const id of ['summary', 'totals', 'jobs', 'failures', 'api-calls']) expect(await page.locator(`section#${id}`).count(), id).toBe(1);
        expect(await page.locator('#jobs tbody tr').count()).toBe(make().jobs.length);
        if (name === 'batch-failed-markup') expect(await page.locator('#jobs').innerText()).toContain(INJECTION);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  }, 90_000);
});
