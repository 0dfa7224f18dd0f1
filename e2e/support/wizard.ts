/**
 * Drives the wizard the way a keyboard or screen-reader user finds things: by roles, labels and
 * visible text (the labels come from renderer/src; data-testid only where the renderer marks a
 * machine-readable state such as the run outcome).
 */
import type { Locator, Page } from 'playwright-core';

export const STAGE_TIMEOUT = 30_000;

export function button(page: Page | Locator, name: string | RegExp): Locator {
  return page.getByRole('button', { name, exact: typeof name === 'string' });
}

/** Waits until the wizard shows the step with this title as its heading. */
export async function atWizardStep(page: Page, title: string): Promise<void> {
  await page.getByRole('heading', { name: title, exact: true }).first().waitFor({ timeout: STAGE_TIMEOUT });
}

export async function identitySignedIn(page: Page): Promise<void> {
  await page.getByTestId('identity-result').getByText('Signed in', { exact: true }).waitFor({ timeout: STAGE_TIMEOUT });
}

export async function next(page: Page): Promise<void> {
  await button(page, 'Next').click();
}

export async function inputValue(page: Page, label: string): Promise<string> {
  return page.getByLabel(label, { exact: true }).first().inputValue();
}

/** The run's outcome title on the Done screen ("Completed", "Completed with errors", a failure...). */
export function outcome(page: Page): Locator {
  return page.getByTestId('run-outcome');
}

export const FORMAT_LABEL = { html: 'HTML', pdf: 'PDF', md: 'Markdown', json: 'JSON' } as const;

/** "Export report" → choose the format → "Export"; resolves when the modal has closed. */
export async function exportReport(page: Page, format: keyof typeof FORMAT_LABEL): Promise<void> {
  await button(page, 'Export report').first().click();
  const dialog = page.getByRole('dialog', { name: 'Export report' });
  await dialog.waitFor({ timeout: STAGE_TIMEOUT });
  const radio = dialog.getByRole('radio', { name: FORMAT_LABEL[format], exact: true });
  await radio.focus();
  await radio.check({ force: true });
  await button(dialog, 'Export').click();
  await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
}

/** From the Account step to Review with the sandbox's prefilled values. */
export async function walkToReview(page: Page): Promise<void> {
  await atWizardStep(page, 'Account');
  await identitySignedIn(page);
  await next(page);
  await atWizardStep(page, 'Data store');
  await next(page);
  await atWizardStep(page, 'Import');
  await next(page);
  await atWizardStep(page, 'Review and start');
}

/** The wizard's fields a real profile (nothing prefilled) needs. */
export interface OnboardingFields {
  datastoreName: string;
  dataAccessRoleArn: string;
  inputS3Uri: string;
  outputS3Uri: string;
}

/** From a signed-in Account step to the Done screen of a Completed onboarding, typing every field. */
export async function completeOnboarding(page: Page, fields: OnboardingFields): Promise<void> {
  await next(page);
  await atWizardStep(page, 'Data store');
  await fill(page, 'Data store name', fields.datastoreName);
  await next(page);
  await atWizardStep(page, 'Import');
  await fill(page, 'Data-access role ARN', fields.dataAccessRoleArn);
  await fill(page, 'Input S3 URI', fields.inputS3Uri);
  await fill(page, 'Output S3 URI', fields.outputS3Uri);
  await next(page);
  await atWizardStep(page, 'Review and start');
  await button(page, 'Start onboarding').click();
  await outcome(page).waitFor({ timeout: 90_000 });
  if ((await outcome(page).textContent()) !== 'Completed') throw new Error(`the onboarding ended "${await outcome(page).textContent()}", not Completed`);
  await page.getByTestId('job-status').getByText('COMPLETED').waitFor();
}

export async function startOnboarding(page: Page): Promise<void> {
  await button(page, 'Start onboarding').click();
  await page.getByText('Onboarding in progress', { exact: true }).or(outcome(page)).first().waitFor({ timeout: STAGE_TIMEOUT });
}

/** Waits for the Done screen and returns its outcome kind (completed, failed, cancelled...). */
export async function finalOutcome(page: Page, timeout = 60_000): Promise<{ kind: string | null; title: string | null }> {
  await outcome(page).waitFor({ timeout });
  return { kind: await outcome(page).getAttribute('data-outcome'), title: await outcome(page).textContent() };
}

/** Replaces a field's value the way a user does: select all, type. */
export async function fill(page: Page, label: string, value: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true }).first();
  await input.click();
  await input.press('ControlOrMeta+a');
  await input.pressSequentially(value);
  await input.press('Tab');
}

/**
 * A link of the side navigation, opened first when Cloudscape has collapsed it: its app layout
 * closes the navigation whenever it measures the page as narrow for a moment (seen now and then
 * around full-page screenshots), and a collapsed navigation hides its links.
 */
export async function sideNavLink(page: Page, name: string): Promise<Locator> {
  const link = page.getByRole('link', { name, exact: true }).first();
  if (!(await link.isVisible())) await button(page, 'Open side navigation').first().click();
  return link;
}
