/**
 * The full sandbox onboarding through the wizard, on each host that exists here: the built
 * renderer in Chromium behind the browser host (real handlers, SDK and sandbox), and the real
 * Electron app where an Electron binary exists. Every stage is screenshotted (light and dark) and
 * scanned with axe-core; the finished run's report is exported in every format and checked.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeViolations, seriousViolations } from './support/a11y';
import { ARTIFACTS_DIR, CHROMIUM_ARGS, chromiumPath, ensureBuilt, hasCommand, skipReason } from './support/environment';
import { launchHost, type HostKind, type HostSession } from './support/hosts';
import { captureStage } from './support/screenshots';
import { atWizardStep, button, exportReport, identitySignedIn, inputValue, next, outcome, STAGE_TIMEOUT } from './support/wizard';

const REPORTS_DIR = path.join(ARTIFACTS_DIR, 'reports');

for (const kind of ['browser', 'electron'] as HostKind[]) {
  const reason = skipReason(kind === 'browser' ? 'chromium' : 'electron');
  if (reason) console.log(`[e2e] onboarding on the ${kind} host skipped: ${reason}`);

  describe.skipIf(Boolean(reason))(`sandbox onboarding (${kind} host)`, () => {
    let host: HostSession;
    const a11y: Record<string, string> = {};
    const scanned: string[] = [];

    beforeAll(async () => {
      ensureBuilt();
      host = await launchHost(kind, 'onboarding');
    });

    afterAll(async () => {
      await host?.close();
    });

    async function stage(name: string): Promise<void> {
      await captureStage(host.page, kind, name);
      const violations = await seriousViolations(host.page);
      scanned.push(name);
      if (violations.length) a11y[name] = describeViolations(violations);
    }

    it('walks the wizard from profile to Done, the timeline reaching Completed', async () => {
      const page = host.page;
      await atWizardStep(page, 'Account');
      // Sandbox mode is visibly marked, and the sandbox is preselected where no profile exists.
      await page.getByText('Sandbox — demo data, nothing is created in AWS').first().waitFor();
      await identitySignedIn(page);
      await stage('01-account');

      await next(page);
      await atWizardStep(page, 'Data store');
      expect(await inputValue(page, 'Data store name')).toMatch(/^demo-\d{8}-\d{4}$/);
      await stage('02-data-store');

      await next(page);
      await atWizardStep(page, 'Import');
      expect(await inputValue(page, 'Data-access role ARN')).toMatch(/^arn:aws:iam::\d{12}:role\//);
      expect(await inputValue(page, 'Input S3 URI')).toMatch(/^s3:\/\//);
      await stage('03-import');

      await next(page);
      await atWizardStep(page, 'Review and start');
      await page.getByRole('list', { name: 'API calls, in order' }).waitFor();
      await stage('04-review');

      const started = Date.now();
      await button(page, 'Start onboarding').click();
      await page.getByText('Onboarding in progress', { exact: true }).or(outcome(page)).first().waitFor({ timeout: STAGE_TIMEOUT });
      if (await page.getByText('Onboarding in progress', { exact: true }).isVisible()) await stage('05-run');

      await outcome(page).waitFor({ timeout: 60_000 });
      expect(await outcome(page).textContent()).toBe('Completed');
      // A whole sandbox onboarding takes well under a minute.
      expect(Date.now() - started).toBeLessThan(60_000);
      // Every step of the timeline succeeded.
      for (const stepId of ['createDatastore', 'pollDatastore', 'startImportJob', 'pollImportJob']) {
        expect(await page.getByTestId(`step-${stepId}`).getAttribute('data-state')).toBe('succeeded');
      }
      await page.getByTestId('job-status').getByText('COMPLETED').waitFor();
      await stage('06-done');
    });

    it('exports the report in every format, to the path the save dialog chose', async () => {
      const page = host.page;
      const out = path.join(REPORTS_DIR, kind);
      mkdirSync(out, { recursive: true });
      for (const format of ['html', 'pdf', 'md', 'json'] as const) {
        await exportReport(page, format);
        const file = readdirSync(host.reportDir).find((f) => f.endsWith(`.${format}`));
        expect(file, `a .${format} report in ${host.reportDir}`).toMatch(new RegExp(`^ahi-onboarding-demo-\\d{8}-\\d{4}-\\d{4}-\\d{2}-\\d{2}\\.${format}$`));
        const saved = path.join(host.reportDir, file!);
        const bytes = readFileSync(saved);
        execFileSync('cp', [saved, path.join(out, `report.${format}`)]);
        if (format === 'json') expect(JSON.parse(bytes.toString('utf8'))).toMatchObject({ outcome: expect.anything() });
        if (format === 'md') expect(bytes.toString('utf8')).toMatch(/demo-\d{8}-\d{4}/);
        if (format === 'pdf') expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
        if (format === 'html') expect(bytes.toString('utf8')).not.toMatch(/<script/i);
      }
      await page.getByText('Report exported', { exact: true }).first().waitFor();
      await stage('07-exported');
    });

    it('renders the exported HTML report and the PDF’s first page for the record', async () => {
      const out = path.join(REPORTS_DIR, kind);
      const browser = await chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS });
      try {
        const page = await browser.newPage({ javaScriptEnabled: false, viewport: { width: 1100, height: 900 } });
        const blocked: string[] = [];
        // A self-contained report loads nothing from anywhere.
        await page.route('**/*', (route) => {
          if (route.request().url().startsWith('file:')) return route.continue();
          blocked.push(route.request().url());
          return route.abort();
        });
        await page.goto(`file://${path.join(out, 'report.html')}`);
        await page.screenshot({ path: path.join(out, 'report-html.png'), fullPage: true });
        expect(blocked).toEqual([]);
      } finally {
        await browser.close();
      }
      if (hasCommand('pdftoppm')) {
        execFileSync('pdftoppm', ['-png', '-f', '1', '-l', '1', '-r', '80', path.join(out, 'report.pdf'), path.join(out, 'report-pdf-page')]);
        expect(readdirSync(out).some((f) => /^report-pdf-page.*\.png$/.test(f))).toBe(true);
      } else {
        console.log('[e2e] pdftoppm (poppler-utils) not found: the PDF page image is not rendered');
      }
      expect(existsSync(path.join(out, 'report-html.png'))).toBe(true);
    });

    it('runs under the strict CSP without a single violation or page error', () => {
      expect(host.cspViolations).toEqual([]);
      expect(host.pageErrors).toEqual([]);
    });

    it('has no serious or critical accessibility violation at any stage', () => {
      expect(scanned).toEqual(expect.arrayContaining(['01-account', '02-data-store', '03-import', '04-review', '06-done', '07-exported']));
      expect(a11y, Object.entries(a11y).map(([k, v]) => `${k}:\n${v}`).join('\n\n')).toEqual({});
    });
  });
}
