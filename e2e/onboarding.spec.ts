/**
 * The full sandbox onboarding through the wizard, on each host that exists here: the built
 * renderer in Chromium behind the browser host (real handlers, SDK and sandbox), and the real
 * Electron app where an Electron binary exists. Every stage is screenshotted (light and dark) and
 * scanned with axe-core; the finished run's report is exported in every format and checked. Then
 * "Import more data into this data store" imports into the same data store (import-into-datastore):
 * one data store, a second job.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ListDatastoresCommand, ListDICOMImportJobsCommand, MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { chromium } from '@playwright/test';
import { expect, test } from '@playwright/test';
import type { Sandbox } from '../sandbox/index';
import { describeViolations, seriousViolations } from './support/a11y';
import { ARTIFACTS_DIR, CHROMIUM_ARGS, chromiumPath, ensureBuilt, hasCommand, skipReason } from './support/environment';
import { launchHost, type HostKind, type HostSession } from './support/hosts';
import { keepOnFailure } from './support/failure';
import { captureStage } from './support/screenshots';
import { atWizardStep, button, exportReport, identitySignedIn, inputValue, next, outcome, STAGE_TIMEOUT } from './support/wizard';

const REPORTS_DIR = path.join(ARTIFACTS_DIR, 'reports');

/** What the sandbox itself lists: data stores, and import jobs across them. */
async function sandboxCounts(sandbox: Sandbox): Promise<{ datastores: number; jobs: number }> {
  const client = new MedicalImagingClient({ endpoint: sandbox.url, region: sandbox.region, credentials: sandbox.credentials });
  try {
    const stores = (await client.send(new ListDatastoresCommand({}))).datastoreSummaries ?? [];
    let jobs = 0;
    for (const d of stores) jobs += (await client.send(new ListDICOMImportJobsCommand({ datastoreId: d.datastoreId! }))).jobSummaries?.length ?? 0;
    return { datastores: stores.length, jobs };
  } finally {
    client.destroy();
  }
}

for (const kind of ['browser', 'electron'] as HostKind[]) {
  const reason = skipReason(kind === 'browser' ? 'chromium' : 'electron');
  if (reason) console.log(`[e2e] onboarding on the ${kind} host skipped: ${reason}`);

  test.describe(`sandbox onboarding (${kind} host)`, () => {
    test.skip(Boolean(reason), reason);
    // The tests continue one journey on one window: after a failure the rest cannot mean anything.
    test.describe.configure({ mode: 'serial' });
    let host: HostSession;
    keepOnFailure(() => host?.page);
    const a11y: Record<string, string> = {};
    const scanned: string[] = [];

    test.beforeAll(async () => {
      ensureBuilt();
      host = await launchHost(kind, 'onboarding');
    });

    test.afterAll(async () => {
      await host?.close();
    });

    async function stage(name: string): Promise<void> {
      await captureStage(host.page, kind, name);
      const violations = await seriousViolations(host.page);
      scanned.push(name);
      if (violations.length) a11y[name] = describeViolations(violations);
    }

    test('walks the wizard from profile to Done, the timeline reaching Completed', async () => {
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

    test('exports the report in every format, to the path the save dialog chose', async () => {
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

    test('renders the exported HTML report and the PDF’s first page for the record', async () => {
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

    test('imports more data into the same data store: an import-only wizard, one data store, a second job, Completed', async () => {
      const page = host.page;
      await button(page, 'Import more data into this data store').click();
      await atWizardStep(page, 'Import');
      // Import-only: it names the data store and asks for no create settings and no client token.
      await page.getByText(/^Importing more data into data store [0-9a-z]{32}$/).first().waitFor({ timeout: STAGE_TIMEOUT });
      expect(await page.getByLabel('Import client token', { exact: true }).count()).toBe(0);
      expect(await inputValue(page, 'Input S3 URI')).toMatch(/^s3:\/\//);
      await stage('08-import-more');

      await next(page);
      await atWizardStep(page, 'Review and start');
      const calls = (await page.getByRole('list', { name: 'API calls, in order' }).getByRole('listitem').allInnerTexts()).map((t) => t.trim().split(/\s/)[0]);
      expect(calls).toEqual(['GetDatastore', 'StartDICOMImportJob', 'GetDICOMImportJob']);
      expect(await page.getByRole('list', { name: 'API calls, in order' }).textContent()).toContain('GetDICOMImportJob (polling)');
      const statement = (await page.getByTestId('creation-statement').textContent()) ?? '';
      expect(statement).toMatch(/check that its data store [0-9a-z]{32} \("demo-\d{8}-\d{4}"\) is ACTIVE and start one import job/);
      expect(statement).not.toMatch(/second data store|client token/);
      // Account and data store are fixed: only the Import step can be edited from here.
      expect(await button(page, 'Edit account').count()).toBe(0);
      expect(await button(page, 'Edit data store').count()).toBe(0);
      await stage('09-import-more-review');

      await button(page, 'Start import').click();
      await page.getByTestId('step-checkDatastore').first().waitFor({ timeout: STAGE_TIMEOUT });
      await outcome(page).waitFor({ timeout: 60_000 });
      expect(await outcome(page).textContent()).toBe('Completed');
      // The timeline shows the import workflow's own steps, read from run-started.
      for (const stepId of ['checkDatastore', 'startImportJob', 'pollImportJob']) {
        expect(await page.getByTestId(`step-${stepId}`).getAttribute('data-state')).toBe('succeeded');
      }
      expect(await page.getByTestId('step-createDatastore').count()).toBe(0);
      await page.getByTestId('job-status').getByText('COMPLETED').waitFor();
      await stage('10-import-more-done');

      // Exactly one data store, now with two jobs: one CreateDatastore across both runs' logs...
      const runsDir = path.join(host.userDataDir, 'runs');
      const logs = readdirSync(runsDir).map((id) => readFileSync(path.join(runsDir, id, 'events.ndjson'), 'utf8'));
      expect(logs).toHaveLength(2);
      const sent = (op: string) => logs.join('').split('\n').filter((l) => l.includes('"request-sent"') && l.includes(`"operationId":"${op}"`)).length;
      expect(sent('CreateDatastore')).toBe(1);
      expect(sent('StartDICOMImportJob')).toBe(2);
      // ...and, where the sandbox runs in this process, as the service lists them.
      if (kind === 'browser') expect(await sandboxCounts(await host.sandbox())).toEqual({ datastores: 1, jobs: 2 });
    });

    test('runs under the strict CSP without a single violation or page error', () => {
      expect(host.cspViolations).toEqual([]);
      expect(host.pageErrors).toEqual([]);
    });

    test('has no serious or critical accessibility violation at any stage', () => {
      expect(scanned).toEqual(expect.arrayContaining(['01-account', '02-data-store', '03-import', '04-review', '06-done', '07-exported', '08-import-more', '09-import-more-review', '10-import-more-done']));
      expect(a11y, Object.entries(a11y).map(([k, v]) => `${k}:\n${v}`).join('\n\n')).toEqual({});
    });
  });
}
