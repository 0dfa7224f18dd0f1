/**
 * A conflicting re-import in the app (issue 13), on the browser host: the same SOPInstanceUIDs
 * under two prefixes with a different PatientID. The first copy is imported by a script (directly
 * through @aws-sdk/client-medical-imaging, into a store made the same way, against the host's own
 * sandbox); the second through the app's "Import data" on that store. Its Done screen, and then
 * the job's page, show the non-primary image set: how many instances conflicted, which files,
 * and what that means in plain words. Screenshotted (light and dark) and scanned with axe-core.
 */
import { CreateDatastoreCommand, GetDatastoreCommand, GetDICOMImportJobCommand, ListDICOMImportJobsCommand, MedicalImagingClient, StartDICOMImportJobCommand } from '@aws-sdk/client-medical-imaging';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect, test, type Locator } from '@playwright/test';
import { NON_PRIMARY_MEANING } from '../core/report/failure-causes';
import { uidFor } from '../sandbox/demo-data';
import { syntheticInstance } from '../sandbox/dicom-writer';
import type { Sandbox } from '../sandbox/index';
import { describeViolations, seriousViolations } from './support/a11y';
import { ensureBuilt, skipReason } from './support/environment';
import { keepOnFailure } from './support/failure';
import { launchBrowserHost, type HostSession } from './support/hosts';
import { captureStage } from './support/screenshots';
import { atWizardStep, button, fill, identitySignedIn, next, outcome, sideNavLink, STAGE_TIMEOUT } from './support/wizard';

const STORE = 'conflicts-store';
/** The sandbox's clock runs this much faster: the store is ACTIVE in a few seconds, an import too. */
const TIME_SCALE = 20;
/** Instances per copy: the same three SOPInstanceUIDs under both prefixes. */
const INSTANCES = 3;

const reason = skipReason('chromium');
if (reason) console.log(`[e2e] conflicting re-import skipped: ${reason}`);

test.describe('A conflicting re-import shows its non-primary image sets (browser host)', () => {
  test.skip(Boolean(reason), reason);
  test.describe.configure({ mode: 'serial' });
  let host: HostSession;
  let sandbox: Sandbox;
  let mi: MedicalImagingClient;
  let s3: S3Client;
  let datastoreId = '';
  let firstPrefix = '';
  let secondPrefix = '';
  keepOnFailure(() => host?.page);
  const a11y: Record<string, string> = {};
  const scanned: string[] = [];

  async function stage(name: string): Promise<void> {
    await captureStage(host.page, 'browser', name);
    const violations = await seriousViolations(host.page);
    scanned.push(name);
    if (violations.length) a11y[name] = describeViolations(violations);
  }

  async function until<T>(what: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await what();
      if (done(v)) return v;
      if (Date.now() > end) throw new Error(`timed out waiting (last: ${JSON.stringify(v)})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The same instances (same study, series and SOPInstanceUIDs) with this PatientID, under `prefix`. */
  async function putCopy(prefix: string, patientId: string): Promise<string> {
    await Promise.all(
      Array.from({ length: INSTANCES }, (_, n) =>
        s3.send(
          new PutObjectCommand({
            Bucket: sandbox.demo.bucket,
            Key: `${prefix}${n}.dcm`,
            Body: syntheticInstance({
              patientName: 'SAME^UIDS',
              patientId,
              studyUid: uidFor('e2e-conflict:study'),
              seriesUid: uidFor('e2e-conflict:series'),
              sopInstanceUid: uidFor(`e2e-conflict:${n}`),
              modality: 'MR',
              studyDate: '20240202',
              studyDescription: 'Knee MR',
              seriesDescription: 'Sagittal',
              seriesNumber: 1,
              instanceNumber: n + 1,
            }),
          }),
        ),
      ),
    );
    return `s3://${sandbox.demo.bucket}/${prefix}`;
  }

  /** The table's rows, header row left out. */
  const bodyRows = (table: Locator) => table.locator('tbody tr');

  /** What both views must show of the second job's results: the one non-primary image set. */
  async function expectNonPrimary(): Promise<void> {
    const page = host.page;
    await page.getByRole('heading', { name: /^Non-primary image sets/ }).waitFor({ timeout: STAGE_TIMEOUT });
    // The counter says how many image sets: one, holding the three instances.
    await expect(page.getByRole('heading', { name: /^Non-primary image sets/ })).toContainText('(1)');
    await expect(page.getByText('Instances conflicted with data already in the data store')).toBeVisible();
    await expect(page.getByText(NON_PRIMARY_MEANING)).toBeVisible();
    const table = page.getByRole('table', { name: 'Non-primary image sets' });
    await expect(bodyRows(table)).toHaveCount(1);
    const row = bodyRows(table).first();
    await expect(row.locator('td').nth(1)).toHaveText(String(INSTANCES));
    // The conflicting instances are named by their files, from the second prefix only.
    for (let n = 0; n < INSTANCES; n++) await expect(row).toContainText(`${secondPrefix}${n}.dcm`);
    await expect(row).not.toContainText(firstPrefix);
  }

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    ensureBuilt();
    host = await launchBrowserHost('conflicts', { sandboxTimeScale: TIME_SCALE });
    // The wizard's first identity check (the sandbox is preselected) starts the host's sandbox.
    await identitySignedIn(host.page);
    sandbox = await host.sandbox();
    // The SDK's own clients against the host's sandbox, as a script would act.
    mi = new MedicalImagingClient({ endpoint: sandbox.url, region: sandbox.region, credentials: sandbox.credentials });
    s3 = new S3Client({ endpoint: sandbox.endpoints.s3, region: sandbox.region, credentials: sandbox.credentials, forcePathStyle: true });
    datastoreId = (await mi.send(new CreateDatastoreCommand({ datastoreName: STORE, clientToken: `${STORE}-token` }))).datastoreId!;
    await until(async () => (await mi.send(new GetDatastoreCommand({ datastoreId }))).datastoreProperties?.datastoreStatus, (s) => s === 'ACTIVE', 120_000);
    firstPrefix = await putCopy('conflict-first/', 'PID-FIRST');
    secondPrefix = await putCopy('conflict-second/', 'PID-SECOND');
    // The first copy goes in through the SDK: those instances are now the store's primary ones.
    const first = await mi.send(
      new StartDICOMImportJobCommand({ datastoreId, jobName: 'first-copy', dataAccessRoleArn: sandbox.demo.dataAccessRoleArn, inputS3Uri: firstPrefix, outputS3Uri: sandbox.demo.outputS3Uri, clientToken: `first-copy-${Date.now()}` }),
    );
    const status = await until(async () => (await mi.send(new GetDICOMImportJobCommand({ datastoreId, jobId: first.jobId! }))).jobProperties?.jobStatus, (s) => s === 'COMPLETED' || s === 'FAILED', 90_000);
    expect(status).toBe('COMPLETED');
  });

  test.afterAll(async () => {
    mi?.destroy();
    s3?.destroy();
    await host?.close();
  });

  test('"Import data" of the same instances with another PatientID: the Done screen shows the non-primary image set and what it means', async () => {
    const page = host.page;
    await (await sideNavLink(page, 'Data stores')).click();
    await page.getByRole('table', { name: 'Data stores' }).getByRole('link', { name: STORE, exact: true }).click();
    await page.getByRole('heading', { name: 'Data store details' }).waitFor({ timeout: STAGE_TIMEOUT });
    await button(page, 'Import data').click();
    await atWizardStep(page, 'Import');
    await page.getByText(`Importing more data into data store ${datastoreId}`).waitFor();
    await fill(page, 'Input S3 URI', secondPrefix);
    await next(page);
    await atWizardStep(page, 'Review and start');
    await button(page, 'Start import').click();
    await outcome(page).waitFor({ timeout: 120_000 });
    // Nothing failed: the conflict is not an error, HealthImaging kept both copies.
    expect(await outcome(page).textContent()).toBe('Completed');
    await expectNonPrimary();
    await page.getByRole('heading', { name: /^Non-primary image sets/ }).scrollIntoViewIfNeeded();
    await stage('conflicts-01-done');
  });

  test("the second job's page shows the same non-primary image set, under the store's name", async () => {
    const page = host.page;
    const jobs = (await mi.send(new ListDICOMImportJobsCommand({ datastoreId }))).jobSummaries ?? [];
    const second = jobs.find((j) => j.jobName !== 'first-copy');
    expect(jobs).toHaveLength(2);
    await (await sideNavLink(page, 'Data stores')).click();
    await page.getByRole('table', { name: 'Data stores' }).getByRole('link', { name: STORE, exact: true }).click();
    await page.getByRole('heading', { name: 'Data store details' }).waitFor({ timeout: STAGE_TIMEOUT });
    await page
      .getByRole('table', { name: 'Import jobs' })
      .getByRole('link', { name: second!.jobName || second!.jobId!, exact: true })
      .click();
    await page.getByRole('heading', { name: 'Import job details' }).waitFor({ timeout: STAGE_TIMEOUT });
    await page.getByTestId('job-page-status').getByText('Completed').waitFor({ timeout: STAGE_TIMEOUT });
    // The breadcrumb names the store as the list does, not by its id.
    const crumbs = page.getByRole('navigation', { name: 'Breadcrumbs' });
    await expect(crumbs.getByRole('link', { name: STORE, exact: true })).toBeVisible();
    await expect(crumbs).not.toContainText(datastoreId);
    await expectNonPrimary();
    await stage('conflicts-02-job');
  });

  test('no serious accessibility violations on either view', () => {
    expect(scanned).toEqual(['conflicts-01-done', 'conflicts-02-job']);
    expect(a11y).toEqual({});
  });
});
