/**
 * "Browse S3" on the Import step (issue 13), on the browser host against the embedded sandbox:
 * the browser opens from the input field at the bucket list, walks to the demo prefix by its
 * breadcrumbs and folder links, shows the folder's object count and size, and Choose fills the
 * field. The output field's browser opens where its value points and warns when the input folder
 * is selected there. Screenshots and axe scans of the modal at each level.
 */
import { expect, test, type Page } from '@playwright/test';
import { DEMO_COUNTS } from '../sandbox/demo-data';
import { describeViolations, seriousViolations } from './support/a11y';
import { ensureBuilt, skipReason } from './support/environment';
import { launchBrowserHost, type HostSession } from './support/hosts';
import { keepOnFailure } from './support/failure';
import { captureStage } from './support/screenshots';
import { atWizardStep, button, fill, identitySignedIn, inputValue, next, STAGE_TIMEOUT } from './support/wizard';

const reason = skipReason('chromium');
if (reason) console.log(`[e2e] s3-browser spec skipped: ${reason}`);

test.describe('S3 browser for the prefix fields (browser host)', () => {
  test.skip(Boolean(reason), reason);
  let host: HostSession | undefined;
  keepOnFailure(() => host?.page);
  test.afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  const a11y: Record<string, string> = {};
  async function stage(page: Page, name: string): Promise<void> {
    await captureStage(page, 'browser', name);
    const violations = await seriousViolations(page);
    if (violations.length) a11y[name] = describeViolations(violations);
  }

  test('Browse S3 walks from the bucket list to the demo prefix, shows its counts, and fills the input field', async () => {
    // Five stages, each screenshotted twice and scanned with axe: more than the default two minutes on a busy machine.
    test.setTimeout(300_000);
    ensureBuilt();
    host = await launchBrowserHost('s3-browser');
    const { page } = host;
    await atWizardStep(page, 'Account');
    await identitySignedIn(page);
    const sandbox = await host.sandbox();
    await next(page);
    await atWizardStep(page, 'Data store');
    await next(page);
    await atWizardStep(page, 'Import');
    const bucket = sandbox.demo.bucket;
    const demoInput = `s3://${bucket}/dicom/`;
    expect(await inputValue(page, 'Input S3 URI')).toBe(demoInput);
    // Start from an empty field: the browser then opens at the bucket list.
    await fill(page, 'Input S3 URI', 's3://');

    await button(page, 'Browse S3 for the input S3 URI').click();
    const dialog = page.getByRole('dialog', { name: 'Choose the input folder' });
    await dialog.waitFor({ timeout: STAGE_TIMEOUT });
    const bucketLink = dialog.getByRole('link', { name: `Open bucket ${bucket}`, exact: true });
    await bucketLink.waitFor({ timeout: STAGE_TIMEOUT });
    await expect(dialog.getByRole('row').filter({ hasText: bucket })).toContainText(sandbox.region);
    await expect(button(dialog, 'Choose')).toBeDisabled();
    await stage(page, 's3-browser-01-buckets');

    await bucketLink.click();
    const folderLink = dialog.getByRole('link', { name: 'Open folder dicom/', exact: true });
    await folderLink.waitFor({ timeout: STAGE_TIMEOUT });
    await expect(dialog.getByRole('link', { name: 'Open folder dicom-with-errors/', exact: true })).toBeVisible();
    // Selecting a folder's radio button counts that folder without opening it.
    await dialog.getByRole('radio', { name: 'Select folder dicom-with-errors/' }).check({ force: true });
    const selected = dialog.getByTestId('s3-selected-folder');
    await expect(selected).toContainText(`s3://${bucket}/dicom-with-errors/`);
    await expect(selected).toContainText(`${DEMO_COUNTS.errorsPrefixValid + DEMO_COUNTS.errorsPrefixBroken} objects`, { timeout: STAGE_TIMEOUT });
    await stage(page, 's3-browser-02-bucket');

    await folderLink.click();
    await expect(dialog.getByRole('navigation', { name: 'S3 location' })).toContainText('dicom');
    // In the folder and nothing selected: Choose takes the folder you are in, counted first.
    await expect(selected).toContainText(demoInput);
    await expect(selected).toContainText(`${DEMO_COUNTS.files} objects`, { timeout: STAGE_TIMEOUT });
    await expect(selected).toContainText(/\d+(\.\d)? KB/);
    await stage(page, 's3-browser-03-demo-prefix');

    // Back up by the breadcrumbs and down again: the bucket is one click away.
    await dialog.getByRole('link', { name: bucket, exact: true }).first().click();
    await folderLink.waitFor({ timeout: STAGE_TIMEOUT });
    await folderLink.click();
    await expect(selected).toContainText(`${DEMO_COUNTS.files} objects`, { timeout: STAGE_TIMEOUT });
    await button(dialog, 'Choose').click();
    await dialog.waitFor({ state: 'hidden', timeout: STAGE_TIMEOUT });
    expect(await inputValue(page, 'Input S3 URI')).toBe(demoInput);
    await stage(page, 's3-browser-04-field-filled');

    // The output field's browser opens where its value points, and Cancel changes nothing.
    const output = await inputValue(page, 'Output S3 URI');
    await button(page, 'Browse S3 for the output S3 URI').click();
    const outDialog = page.getByRole('dialog', { name: 'Choose the output folder' });
    await outDialog.waitFor({ timeout: STAGE_TIMEOUT });
    await expect(outDialog.getByTestId('s3-selected-folder')).toContainText(output);
    // Selecting the input folder there is called out: the results must go elsewhere.
    await outDialog.getByRole('link', { name: bucket, exact: true }).first().click();
    await outDialog.getByRole('radio', { name: 'Select folder dicom/' }).check({ force: true });
    await expect(outDialog.getByText('This is the input folder: HealthImaging needs the results written somewhere else.')).toBeVisible({ timeout: STAGE_TIMEOUT });
    await stage(page, 's3-browser-05-output-warning');
    await button(outDialog, 'Cancel').click();
    await outDialog.waitFor({ state: 'hidden', timeout: STAGE_TIMEOUT });
    expect(await inputValue(page, 'Output S3 URI')).toBe(output);

    expect(host.pageErrors).toEqual([]);
    expect(host.cspViolations).toEqual([]);
    expect(a11y, Object.values(a11y).join('\n')).toEqual({});
  });
});
