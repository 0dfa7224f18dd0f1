/**
 * The Data stores pages (issue 13) on the browser host, against data the product did not make: a
 * data store and import jobs created directly through @aws-sdk/client-medical-imaging against the
 * host's own sandbox. The store is listed, its page shows its tags and jobs, its job page shows
 * that job's results; "Import data" imports into it through the wizard; a job started through the
 * SDK while the page is open is watched live to COMPLETED on the run timeline (Watch live again
 * opens that same watch) and lands in History; an empty store is deleted behind the typed-name
 * confirmation and the list confirms it. Every new page is screenshotted (light and dark) and scanned with axe-core.
 */
import { CreateDatastoreCommand, GetDatastoreCommand, GetDICOMImportJobCommand, ListDICOMImportJobsCommand, MedicalImagingClient, StartDICOMImportJobCommand } from '@aws-sdk/client-medical-imaging';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { expect, test } from '@playwright/test';
import type { Sandbox } from '../sandbox/index';
import { describeViolations, seriousViolations } from './support/a11y';
import { ensureBuilt, skipReason } from './support/environment';
import { keepOnFailure } from './support/failure';
import { launchBrowserHost, type HostSession } from './support/hosts';
import { captureStage } from './support/screenshots';
import { atWizardStep, button, identitySignedIn, next, outcome, sideNavLink, STAGE_TIMEOUT } from './support/wizard';

const STORE = 'made-with-the-sdk';
/** A second store, never imported into: the one the journey deletes. */
const EMPTY_STORE = 'empty-store';
/** How much faster the sandbox clock runs: a store is ACTIVE in about 20 s, a demo import takes about 14 s. */
const TIME_SCALE = 6;
/**
 * The watched job imports the demo study this many times over (the sandbox's import time grows
 * with the file count): about 40 s, so it is still running while the test opens its page, watches
 * it, goes back and watches it again, however loaded the machine.
 */
const WATCHED_COPIES = 10;
const RUN_ID = /^\d{8}T\d{6}Z-[0-9a-f]+$/;

const reason = skipReason('chromium');
if (reason) console.log(`[e2e] data stores pages skipped: ${reason}`);

test.describe('Data stores pages (browser host)', () => {
  test.skip(Boolean(reason), reason);
  // One journey on one window: after a failure the rest cannot mean anything.
  test.describe.configure({ mode: 'serial' });
  let host: HostSession;
  let sandbox: Sandbox;
  let mi: MedicalImagingClient;
  let s3: S3Client;
  let datastoreId = '';
  let emptyId = '';
  let firstJobId = '';
  keepOnFailure(() => host?.page);
  const a11y: Record<string, string> = {};
  const scanned: string[] = [];

  async function stage(name: string): Promise<void> {
    await captureStage(host.page, 'browser', name);
    const violations = await seriousViolations(host.page);
    scanned.push(name);
    if (violations.length) a11y[name] = describeViolations(violations);
  }

  async function startJob(jobName: string, inputS3Uri: string): Promise<string> {
    const out = await mi.send(
      new StartDICOMImportJobCommand({ datastoreId, jobName, dataAccessRoleArn: sandbox.demo.dataAccessRoleArn, inputS3Uri, outputS3Uri: sandbox.demo.outputS3Uri, clientToken: `${jobName}-${Date.now()}` }),
    );
    return out.jobId!;
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

  /** The demo study copied `copies` times under a prefix of its own, through the S3 SDK; its s3:// URI. */
  async function manyCopiesOfTheDemo(copies: number): Promise<string> {
    const { bucket } = sandbox.demo;
    const from = sandbox.demo.inputS3Uri.slice(`s3://${bucket}/`.length);
    const listed = (await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: from }))).Contents ?? [];
    for (const o of listed) {
      const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key! }))).Body!.transformToByteArray();
      for (let i = 0; i < copies; i++) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `dicom-many/copy-${i}/${o.Key!.slice(from.length)}`, Body: body }));
    }
    return `s3://${bucket}/dicom-many/`;
  }

  const jobStatus = async (jobId: string) => (await mi.send(new GetDICOMImportJobCommand({ datastoreId, jobId }))).jobProperties?.jobStatus;

  /** Data stores → the store → (its job). */
  async function openStore(): Promise<void> {
    const page = host.page;
    await (await sideNavLink(page, 'Data stores')).click();
    await page.getByRole('heading', { name: /^Data stores/ }).first().waitFor({ timeout: STAGE_TIMEOUT });
    await page.getByRole('link', { name: STORE, exact: true }).click();
    await page.getByRole('heading', { name: 'Data store details' }).waitFor({ timeout: STAGE_TIMEOUT });
  }

  test.beforeAll(async () => {
    // Two stores made ACTIVE and one import run to its end on the sandbox's clock.
    test.setTimeout(180_000);
    ensureBuilt();
    host = await launchBrowserHost('datastores', { sandboxTimeScale: TIME_SCALE });
    // The wizard's first identity check (the sandbox is preselected) starts the host's sandbox.
    await identitySignedIn(host.page);
    sandbox = await host.sandbox();
    // The SDK's own client against the host's sandbox, as a script or the console would act.
    mi = new MedicalImagingClient({ endpoint: sandbox.url, region: sandbox.region, credentials: sandbox.credentials });
    s3 = new S3Client({ endpoint: sandbox.endpoints.s3, region: sandbox.region, credentials: sandbox.credentials, forcePathStyle: true });
    const created = await mi.send(new CreateDatastoreCommand({ datastoreName: STORE, clientToken: `${STORE}-token`, tags: { team: 'radiology', source: 'sdk' } }));
    datastoreId = created.datastoreId!;
    emptyId = (await mi.send(new CreateDatastoreCommand({ datastoreName: EMPTY_STORE, clientToken: `${EMPTY_STORE}-token` }))).datastoreId!;
    const storeStatus = async (id: string) => (await mi.send(new GetDatastoreCommand({ datastoreId: id }))).datastoreProperties?.datastoreStatus;
    await until(async () => [await storeStatus(datastoreId), await storeStatus(emptyId)], (s) => s.every((x) => x === 'ACTIVE'), 120_000);
    firstJobId = await startJob('sdk-with-errors', sandbox.demo.withErrorsInputS3Uri);
    await until(() => jobStatus(firstJobId), (s) => s === 'COMPLETED' || s === 'FAILED', 90_000);
  });

  test.afterAll(async () => {
    mi?.destroy();
    s3?.destroy();
    await host?.close();
  });

  test('the Data stores page lists the store made through the SDK; search and status filter narrow it', async () => {
    const page = host.page;
    await (await sideNavLink(page, 'Data stores')).click();
    const table = page.getByRole('table', { name: 'Data stores' });
    await table.getByRole('link', { name: STORE, exact: true }).waitFor({ timeout: STAGE_TIMEOUT });
    await expect(table.getByText(datastoreId)).toBeVisible();
    await expect(table.getByText('Active').first()).toBeVisible();
    // The sandbox marker stays on this page too.
    await page.getByText('Sandbox — demo data, nothing is created in AWS').first().waitFor();
    await stage('datastores-01-list');

    const search = page.getByRole('searchbox', { name: 'Find data stores by name or ID' });
    await search.fill('no-such-store');
    await table.getByText('No matches').waitFor();
    await search.fill('sdk');
    await table.getByRole('link', { name: STORE, exact: true }).waitFor();
    await search.fill('');
    await page.getByRole('button', { name: /Filter by status/ }).click();
    await page.getByRole('option', { name: 'Deleted' }).click();
    await table.getByText('No matches').waitFor();
    await page.getByRole('button', { name: /Filter by status/ }).click();
    await page.getByRole('option', { name: 'Active' }).click();
    await table.getByRole('link', { name: STORE, exact: true }).waitFor();
  });

  test("the store's page shows its properties, tags and the job started elsewhere", async () => {
    const page = host.page;
    await openStore();
    await page.getByRole('heading', { name: STORE, level: 1 }).waitFor();
    const tags = page.getByRole('table', { name: 'Tags' });
    await tags.getByText('radiology').waitFor({ timeout: STAGE_TIMEOUT });
    await expect(tags.getByText('team')).toBeVisible();
    const jobs = page.getByRole('table', { name: 'Import jobs' });
    await jobs.getByRole('link', { name: 'sdk-with-errors' }).waitFor({ timeout: STAGE_TIMEOUT });
    // The sandbox has no console page: no link to it.
    await expect(button(page, 'Open in AWS console')).toHaveCount(0);
    // A sandbox store is deletable (its job ended); Import data is offered on an ACTIVE store.
    await expect(button(page, 'Delete')).toBeEnabled();
    await expect(button(page, 'Import data')).toBeEnabled();
    await stage('datastores-02-store');

    await button(page, 'Delete').click();
    const dialog = page.getByRole('dialog', { name: `Delete data store ${STORE}` });
    await dialog.waitFor();
    await expect(button(dialog, 'Delete')).toBeDisabled();
    await dialog.getByRole('textbox').fill('wrong name');
    await expect(button(dialog, 'Delete')).toBeDisabled();
    await dialog.getByRole('textbox').fill(STORE);
    await expect(button(dialog, 'Delete')).toBeEnabled();
    await stage('datastores-03-delete-confirmation');
    // Not this one: the journey goes on with it.
    await button(dialog, 'Cancel').click();
    await dialog.waitFor({ state: 'hidden' });
  });

  test("the job page shows that job's results: counts and failures grouped by type", async () => {
    const page = host.page;
    await page.getByRole('table', { name: 'Import jobs' }).getByRole('link', { name: 'sdk-with-errors' }).click();
    await page.getByRole('heading', { name: 'Import job details' }).waitFor({ timeout: STAGE_TIMEOUT });
    await expect(page.getByText(firstJobId).first()).toBeVisible();
    await page.getByTestId('job-page-status').getByText('Completed').waitFor({ timeout: STAGE_TIMEOUT });
    await page.getByRole('heading', { name: 'Import results' }).waitFor({ timeout: STAGE_TIMEOUT });
    await expect(page.getByText('Files scanned')).toBeVisible();
    expect(await page.getByTestId('failure-group').count()).toBeGreaterThan(0);
    // A job that ended offers no Watch live.
    await expect(button(page, 'Watch live')).toHaveCount(0);
    await stage('datastores-04-job');
  });

  test('"Import data" opens the import-only wizard for the store and the import completes into it', async () => {
    const page = host.page;
    const before = (await mi.send(new ListDICOMImportJobsCommand({ datastoreId }))).jobSummaries?.length ?? 0;
    // Back by the breadcrumb, which names the store as the list does.
    await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: STORE, exact: true }).click();
    await page.getByRole('heading', { name: 'Data store details' }).waitFor({ timeout: STAGE_TIMEOUT });
    await button(page, 'Import data').click();
    await atWizardStep(page, 'Import');
    await page.getByText(`Importing more data into data store ${datastoreId}`).waitFor();
    await next(page);
    await atWizardStep(page, 'Review and start');
    await button(page, 'Start import').click();
    await outcome(page).waitFor({ timeout: 120_000 });
    expect(await outcome(page).textContent()).toBe('Completed');
    const after = (await mi.send(new ListDICOMImportJobsCommand({ datastoreId }))).jobSummaries ?? [];
    expect(after.length).toBe(before + 1);
  });

  test('a job started through the SDK is watched live to COMPLETED on the timeline; Watch live again opens that watch; it lands in History', async () => {
    test.setTimeout(180_000);
    const page = host.page;
    const jobId = await startJob('sdk-running', await manyCopiesOfTheDemo(WATCHED_COPIES));
    const jobsBefore = (await mi.send(new ListDICOMImportJobsCommand({ datastoreId }))).jobSummaries?.length ?? 0;
    const openJob = async () => {
      await openStore();
      await page.getByRole('table', { name: 'Import jobs' }).getByRole('link', { name: 'sdk-running' }).click();
      await page.getByRole('heading', { name: 'Import job details' }).waitFor({ timeout: STAGE_TIMEOUT });
    };
    await openJob();
    await button(page, 'Watch live').click();

    // Live: the timeline shows the job running, and stopping means stopping the watch, not the job.
    await page.getByRole('heading', { name: 'Import in progress', level: 1 }).waitFor({ timeout: STAGE_TIMEOUT });
    await expect(button(page, 'Stop watching')).toBeVisible();
    const runId = (await page.locator('.mono').filter({ hasText: RUN_ID }).first().textContent())!.trim();
    expect(runId).toMatch(RUN_ID);
    await stage('datastores-06-watching');

    // Back on the job's page while it still runs: Watch live opens the same watch, not a second.
    await openJob();
    await page.getByText('The job is still running', { exact: true }).waitFor({ timeout: STAGE_TIMEOUT });
    await stage('datastores-05-running-job');
    await button(page, 'Watch live').click();
    await page.getByRole('heading', { name: 'Import in progress', level: 1 }).or(outcome(page)).first().waitFor({ timeout: STAGE_TIMEOUT });
    await expect(page.locator('.mono').filter({ hasText: runId }).first()).toBeVisible();

    await outcome(page).waitFor({ timeout: 120_000 });
    expect(await outcome(page).textContent()).toBe('Completed');
    expect(await page.getByTestId('step-pollImportJob').getAttribute('data-state')).toBe('succeeded');
    expect(await jobStatus(jobId)).toBe('COMPLETED');
    await stage('datastores-07-watched');
    // Watching created nothing: the store has exactly the jobs it had.
    expect((await mi.send(new ListDICOMImportJobsCommand({ datastoreId }))).jobSummaries?.length ?? 0).toBe(jobsBefore);

    await (await sideNavLink(page, 'History')).click();
    const watched = page.getByText('Watched an import job (not started by this run)');
    await watched.first().waitFor({ timeout: STAGE_TIMEOUT });
    // One watch for two clicks of Watch live.
    await expect(watched).toHaveCount(1);
  });

  test('an empty store is deleted behind the typed-name confirmation; the list confirms it', async () => {
    const page = host.page;
    await (await sideNavLink(page, 'Data stores')).click();
    await page.getByRole('table', { name: 'Data stores' }).getByRole('link', { name: EMPTY_STORE, exact: true }).click();
    await page.getByRole('heading', { name: 'Data store details' }).waitFor({ timeout: STAGE_TIMEOUT });
    await page.getByRole('table', { name: 'Import jobs' }).getByText('No import jobs yet.').waitFor({ timeout: STAGE_TIMEOUT });
    await button(page, 'Delete').click();
    const dialog = page.getByRole('dialog', { name: `Delete data store ${EMPTY_STORE}` });
    await dialog.getByRole('textbox').fill(EMPTY_STORE);
    await button(dialog, 'Delete').click();

    // Back on the list, with a confirmation that stays there and the store no longer ACTIVE.
    const table = page.getByRole('table', { name: 'Data stores' });
    // Exact: the flash, not the live region that announces it with more words around.
    await page.getByText(`Data store ${EMPTY_STORE} is being deleted`, { exact: true }).waitFor({ timeout: STAGE_TIMEOUT });
    const row = table.getByRole('row').filter({ hasText: emptyId });
    await row.getByText(/^(Deleting|Deleted)$/).waitFor({ timeout: STAGE_TIMEOUT });
    expect(['DELETING', 'DELETED']).toContain((await mi.send(new GetDatastoreCommand({ datastoreId: emptyId }))).datastoreProperties?.datastoreStatus);
    // The other store is untouched.
    await expect(table.getByRole('row').filter({ hasText: datastoreId }).getByText('Active')).toBeVisible();
    await stage('datastores-08-deleted');
  });

  test('no serious accessibility violations on any new page', () => {
    expect(scanned).toEqual(
      expect.arrayContaining(['datastores-01-list', 'datastores-02-store', 'datastores-03-delete-confirmation', 'datastores-04-job', 'datastores-05-running-job', 'datastores-06-watching', 'datastores-08-deleted']),
    );
    expect(a11y).toEqual({});
  });
});
