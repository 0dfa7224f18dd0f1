/**
 * What goes wrong, seen through the wizard on the browser host (its sandbox runs in this process,
 * so faults can be injected): bad input stopped inline with nothing sent, a data store that fails
 * to create, a job that fails, throttling that still ends well, cancel then resume from History,
 * an import with failed files shown as completed with errors, and a reload in the middle of a run
 * that shows the live state. Each test gets a fresh host.
 */
import { expect, test } from '@playwright/test';
import { ensureBuilt, skipReason } from './support/environment';
import { launchBrowserHost, type HostSession } from './support/hosts';
import { keepOnFailure } from './support/failure';
import { captureStage } from './support/screenshots';
import { atWizardStep, button, fill, finalOutcome, identitySignedIn, next, outcome, sideNavLink, startOnboarding, walkToReview, STAGE_TIMEOUT } from './support/wizard';

const reason = skipReason('chromium');
if (reason) console.log(`[e2e] resilience specs skipped: ${reason}`);
console.log('[e2e] resilience specs run on the browser host only: fault injection needs the sandbox in this process (the Electron app runs its own)');

test.describe('resilience (browser host)', () => {
  test.skip(Boolean(reason), reason);
  let host: HostSession | undefined;

  async function open(name: string, sandboxTimeScale?: number): Promise<HostSession> {
    ensureBuilt();
    const session = await launchBrowserHost(name, sandboxTimeScale ? { sandboxTimeScale } : {});
    host = session;
    return session;
  }

  // Declared before the afterEach that closes the host: Playwright runs them in this order, and
  // the trace and screenshot of a failed test need the page still open.
  keepOnFailure(() => host?.page);

  test.afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  test('stops a bad name, role ARN and S3 URI inline, naming the rule, and sends nothing', async () => {
    const { page, browserHost } = await open('bad-input');
    await atWizardStep(page, 'Account');
    await identitySignedIn(page);
    await next(page);
    await atWizardStep(page, 'Data store');
    await fill(page, 'Data store name', 'bad name!');
    await page.getByText(/datastoreName|letters|characters/i).first().waitFor({ timeout: STAGE_TIMEOUT });
    await next(page);
    // Refused: still on the Data store step.
    await page.getByText('Fix the highlighted fields before continuing.', { exact: true }).waitFor();
    await fill(page, 'Data store name', 'good-name');
    await next(page);
    await atWizardStep(page, 'Import');
    await fill(page, 'Data-access role ARN', 'arn:aws:iam::12:role/x');
    await fill(page, 'Input S3 URI', 'https://bucket/path');
    await next(page);
    await page.getByText('Fix the highlighted fields before continuing.', { exact: true }).waitFor();
    await captureStage(page, 'browser', 'resilience-bad-input');
    // Nothing was started, so nothing reached HealthImaging.
    expect(await browserHost!.handlers['runs:list']()).toEqual([]);
  });

  test('says plainly when the data store fails to create, and imports nothing', async () => {
    const { page, sandbox } = await open('create-failed');
    (await sandbox()).faults.failDatastoreCreation(true);
    await walkToReview(page);
    await startOnboarding(page);
    const result = await finalOutcome(page);
    expect(result.kind).toBe('failed');
    expect(result.title).toMatch(/data store could not be created/i);
    expect(await page.getByTestId('step-startImportJob').getAttribute('data-state')).toBe('pending');
    await page.getByText(/CREATE_FAILED/).filter({ visible: true }).first().waitFor();
    await captureStage(page, 'browser', 'resilience-create-failed');
  });

  test('says plainly when the import job fails', async () => {
    const { page, sandbox } = await open('job-failed');
    (await sandbox()).faults.failImportJobs(true);
    await walkToReview(page);
    await startOnboarding(page);
    const result = await finalOutcome(page);
    expect(result.kind).toBe('failed');
    await page.getByTestId('job-status').getByText('FAILED').waitFor();
    await captureStage(page, 'browser', 'resilience-job-failed');
  });

  test('ends well through a burst of throttling and server errors', async () => {
    const { page, sandbox } = await open('throttled');
    const sb = await sandbox();
    sb.faults.failNext('GetDatastore', 3, 'ThrottlingException');
    sb.faults.failNext('GetDICOMImportJob', 2, 'InternalServerException');
    await walkToReview(page);
    await startOnboarding(page);
    expect((await finalOutcome(page, 90_000)).kind).toBe('completed');
  });

  test('cancels a run, then resumes it from History to Completed without creating twice', async () => {
    const { page, browserHost } = await open('cancel-resume', 12);
    await walkToReview(page);
    await startOnboarding(page);
    await page.getByTestId('step-pollDatastore').and(page.locator('[data-state="waiting"]')).waitFor({ timeout: STAGE_TIMEOUT });
    await button(page, 'Cancel run').first().click();
    const dialog = page.getByRole('dialog', { name: 'Cancel this run?' });
    await button(dialog, 'Cancel run').click();
    expect((await finalOutcome(page)).kind).toBe('cancelled');
    await captureStage(page, 'browser', 'resilience-cancelled');

    await (await sideNavLink(page, 'History')).click();
    const [run] = await browserHost!.handlers['runs:list']();
    await button(page, `Resume run ${run!.runId}`).click();
    expect((await finalOutcome(page, 90_000)).kind).toBe('completed');
    const events = await browserHost!.handlers['runs:events']({ runId: run!.runId });
    const creates = events.filter((e) => e.type === 'response-received' && e.operationId === 'CreateDatastore' && e.httpStatus === 200);
    expect(new Set(creates.map((e) => e.type === 'response-received' && e.outputs?.['datastoreId'])).size).toBe(1);
    expect(events.some((e) => e.type === 'run-resumed')).toBe(true);
  });

  test('an import with failed files says "Completed with errors" on the Done screen and in History, as the CLI and report do', async () => {
    const { page } = await open('completed-with-errors');
    const demo = (await host!.sandbox()).demo;
    await atWizardStep(page, 'Account');
    await identitySignedIn(page);
    await next(page);
    await atWizardStep(page, 'Data store');
    await next(page);
    await atWizardStep(page, 'Import');
    await fill(page, 'Input S3 URI', demo.withErrorsInputS3Uri);
    await next(page);
    await atWizardStep(page, 'Review and start');
    await startOnboarding(page);
    const done = await finalOutcome(page);
    expect(done).toEqual({ kind: 'completed_with_errors', title: 'Completed with errors' });
    await page.getByText(/^\d+ files? failed to import$/).first().waitFor({ timeout: STAGE_TIMEOUT });
    // Grouped by type, each with what went wrong and what to do.
    await page.getByText('Failures by type').first().waitFor({ timeout: STAGE_TIMEOUT });
    expect(await page.getByTestId('failure-group').count()).toBeGreaterThan(0);
    await expect(page.getByTestId('failure-group').first()).toContainText('Fix:');
    await captureStage(page, 'browser', 'done-completed-with-errors');

    await (await sideNavLink(page, 'History')).click();
    const row = page.getByRole('row').filter({ hasText: 'Completed with errors' });
    await row.first().waitFor({ timeout: STAGE_TIMEOUT });
    expect(await page.getByRole('row').filter({ hasText: 'Succeeded' }).count()).toBe(0);
    await captureStage(page, 'browser', 'history-completed-with-errors');
  });

  test('shows the live state of a run after the page reloads', async () => {
    const { page } = await open('reload', 12);
    await walkToReview(page);
    await startOnboarding(page);
    await page.getByTestId('step-createDatastore').and(page.locator('[data-state="succeeded"]')).waitFor({ timeout: STAGE_TIMEOUT });
    await page.reload();
    // The reloaded page asks for the active run and shows it, already past its first step.
    await page.getByText('Onboarding in progress', { exact: true }).or(outcome(page)).first().waitFor({ timeout: STAGE_TIMEOUT });
    expect(await page.getByTestId('step-createDatastore').getAttribute('data-state')).toBe('succeeded');
    await captureStage(page, 'browser', 'resilience-after-reload');
    expect((await finalOutcome(page, 90_000)).kind).toBe('completed');
  });
});
