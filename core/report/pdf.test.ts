/**
 * PDF and pictures of the report: the HTML printed by the local Chromium, its first page rendered
 * to PNG with pdftoppm, and the HTML screenshotted in Chromium through playwright-core. The images
 * are kept under test-results/report/ for people to look at. Skipped (with the reason printed)
 * where no Chromium is installed; findChromium and the "how to get one" error are tested always.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { cancelledRun, completedWithErrorsRun, createFailedRun, dayLongRun, successRun } from './__fixtures__/scenarios';
import { buildReport } from './build';
import { exportReport } from './export';
import { reportFileName } from './file-name';
import { ChromiumNotFoundError, chromiumCandidates, findChromium, renderPdfWithChromium } from './pdf';
import { renderHtml } from './render-html';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const havePdftoppm = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!haveChromium) console.log(`[report pdf] skipping PDF and screenshot tests: ${CHROMIUM} is not installed (apt-get install chromium)`);
if (haveChromium && !havePdftoppm) console.log('[report pdf] skipping PDF-to-PNG: pdftoppm is not installed (apt-get install poppler-utils)');

const OUT = resolve('test-results/report');
const NOW = new Date('2026-04-01T12:00:00.000Z');
const tmp = mkdtempSync(join(tmpdir(), 'ahi-report-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('findChromium', () => {
  const only = (...paths: string[]) => (p: string) => paths.includes(p);

  it('prefers CHROMIUM_PATH, and reports a CHROMIUM_PATH that is not there', () => {
    expect(findChromium({ env: { CHROMIUM_PATH: '/opt/x/chrome' }, platform: 'linux', isExecutable: only('/opt/x/chrome', '/usr/bin/chromium') })).toBe('/opt/x/chrome');
    expect(findChromium({ env: { CHROMIUM_PATH: '/nope' }, platform: 'linux', isExecutable: only('/usr/bin/chromium') })).toBeUndefined();
  });

  it('looks in the usual places per platform, and on PATH', () => {
    expect(findChromium({ env: {}, platform: 'linux', isExecutable: only('/usr/bin/chromium-browser') })).toBe('/usr/bin/chromium-browser');
    expect(findChromium({ env: { PATH: '/home/u/bin' }, platform: 'linux', isExecutable: only('/home/u/bin/google-chrome') })).toBe('/home/u/bin/google-chrome');
    expect(findChromium({ env: {}, platform: 'darwin', isExecutable: only('/Applications/Google Chrome.app/Contents/MacOS/Google Chrome') })).toBe(
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    );
    const win = chromiumCandidates({ PROGRAMFILES: 'C:\\Program Files' }, 'win32');
    expect(win).toContain('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
    expect(findChromium({ env: {}, platform: 'linux', isExecutable: () => false })).toBeUndefined();
  });

  it('says how to get a browser when there is none', async () => {
    const err = await renderPdfWithChromium('<p>x</p>', join(tmp, 'never.pdf'), { chromiumPath: '/definitely/not/here' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChromiumNotFoundError);
    expect(String((err as Error).message)).toMatch(/apt-get install chromium/);
    expect(String((err as Error).message)).toMatch(/CHROMIUM_PATH/);
    expect(existsSync(join(tmp, 'never.pdf'))).toBe(false);
  });
});

describe('exportReport', () => {
  it('writes json, md and html files named for the data store and date', async () => {
    const events = successRun();
    const name = reportFileName(buildReport(events, { now: NOW }), 'json');
    expect(name).toBe('ahi-onboarding-radiology-onboarding-2026-03-12.json');
    for (const format of ['json', 'md', 'html'] as const) {
      const file = join(tmp, name.replace(/json$/, format));
      const out = await exportReport(events, format, file, { now: NOW });
      expect(out.bytes).toBe(readFileSync(file).length);
      expect(out.report.runId).toBe('run-20260312-091500-success');
    }
    expect(JSON.parse(readFileSync(join(tmp, name), 'utf8')).schemaVersion).toBe(1);
    expect(readFileSync(join(tmp, name.replace(/json$/, 'md')), 'utf8')).toMatch(/^# HealthImaging onboarding report: radiology-onboarding/);
  });

  it('sanitises data store names for file names', () => {
    const r = buildReport(successRun(), { now: NOW });
    expect(reportFileName({ ...r, outputs: { ...r.outputs, datastoreName: 'team/#1 ../../etc' } }, '.PDF')).toBe('ahi-onboarding-team-1-etc-2026-03-12.pdf');
    expect(reportFileName({ ...r, outputs: { workflow: {} }, inputs: {} }, 'md')).toBe('ahi-onboarding-run-20260312-091500-success-2026-03-12.md');
  });
});

describe.skipIf(!haveChromium)('PDF and screenshots with the local Chromium', () => {
  mkdirSync(OUT, { recursive: true });

  it('prints a report to PDF and renders its first page to PNG', async () => {
    const html = renderHtml(buildReport(completedWithErrorsRun(), { now: NOW }));
    const pdf = join(OUT, 'completed-with-errors.pdf');
    await renderPdfWithChromium(html, pdf, { chromiumPath: CHROMIUM });
    const bytes = readFileSync(pdf);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(20_000);
    if (havePdftoppm) {
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', pdf, join(OUT, 'completed-with-errors-page')]);
      const png = ['completed-with-errors-page-1.png', 'completed-with-errors-page-01.png'].map((f) => join(OUT, f)).find(existsSync);
      expect(png, 'pdftoppm wrote the first page').toBeTruthy();
      expect(readFileSync(png!).subarray(1, 4).toString('latin1')).toBe('PNG');
    }
  }, 90_000);

  it('exports a PDF through exportReport (the CLI path)', async () => {
    const file = join(OUT, 'create-failed.pdf');
    const out = await exportReport(createFailedRun(), 'pdf', file, { now: NOW, chromiumPath: CHROMIUM });
    expect(out.bytes).toBeGreaterThan(10_000);
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  }, 90_000);

  it('screenshots the HTML in Chromium: the page loads nothing from outside', async () => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      for (const [name, events] of [
        ['success', successRun()],
        ['completed-with-errors', completedWithErrorsRun()],
        ['cancelled', cancelledRun()],
        ['day-long', dayLongRun()],
      ] as const) {
        const file = join(OUT, `${name}.html`);
        writeFileSync(file, renderHtml(buildReport(events, { now: NOW })));
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        const requests: string[] = [];
        page.on('request', (r) => requests.push(r.url()));
        await page.goto(`file://${file}`);
        await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
        // Only the document itself was requested: no font, image, style or script from anywhere.
        expect(requests).toEqual([`file://${file}`]);
        expect(await page.locator('svg.timeline rect.tl-bar').count()).toBe(4 - (name === 'cancelled' ? 0 : 0));
        expect(await page.locator('script').count()).toBe(0);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  }, 90_000);
});
