/**
 * The preflight and the role helper through the wizard, on the browser host (its sandbox runs in
 * this process, so the test can give it a bad role first): a data-access role that trusts
 * ec2.amazonaws.com fails role-trust on the Review step, with its fix, and Start stays disabled
 * saying why; "Create a role for me" on the Import step shows both policies, creates the role in
 * the sandbox's IAM and fills the field; the Review step turns green and the run completes, its
 * log carrying the preflight. Screenshots of each view; axe-core on each.
 */
import { expect, test } from '@playwright/test';
import { rolePoliciesFor } from '../core/preflight/role-policy';
import type { Sandbox } from '../sandbox/index';
import { describeViolations, seriousViolations } from './support/a11y';
import { ensureBuilt, skipReason } from './support/environment';
import { launchBrowserHost, type HostSession } from './support/hosts';
import { keepOnFailure } from './support/failure';
import { captureStage } from './support/screenshots';
import { atWizardStep, button, fill, finalOutcome, identitySignedIn, inputValue, next, STAGE_TIMEOUT } from './support/wizard';

const reason = skipReason('chromium');
if (reason) console.log(`[e2e] preflight spec skipped: ${reason}`);

const EC2_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

test.describe('preflight and "Create a role for me" (browser host)', () => {
  test.skip(Boolean(reason), reason);
  test.describe.configure({ mode: 'serial' });
  let host: HostSession;
  let sandbox: Sandbox;
  keepOnFailure(() => host?.page);
  const a11y: Record<string, string> = {};

  test.beforeAll(async () => {
    ensureBuilt();
    host = await launchBrowserHost('preflight');
  });
  test.afterAll(async () => {
    await host?.close();
  });

  async function stage(name: string): Promise<void> {
    await captureStage(host.page, 'browser', name);
    const violations = await seriousViolations(host.page);
    if (violations.length) a11y[name] = describeViolations(violations);
  }

  /** A check's status as the Review step shows it, once the checks have run. */
  const checkCell = (id: string) => host.page.locator(`[data-check="${id}"]`);
  const checkStatus = (id: string) => checkCell(id).first();

  test('a role trusting ec2.amazonaws.com: role-trust fails with its fix, Start disabled with the reason', async () => {
    const page = host.page;
    await atWizardStep(page, 'Account');
    await identitySignedIn(page);
    sandbox = await host.sandbox();
    // The right permissions but the wrong trust: role-trust is the one failing check.
    const permissions = rolePoliciesFor({ account: sandbox.accountId, region: sandbox.region, inputS3Uri: sandbox.demo.inputS3Uri, outputS3Uri: sandbox.demo.outputS3Uri }).permissionsPolicy;
    const badRole = sandbox.addRole('TrustsEc2Role', EC2_TRUST, { access: JSON.stringify(permissions) });

    await next(page);
    await atWizardStep(page, 'Data store');
    await next(page);
    await atWizardStep(page, 'Import');
    await fill(page, 'Data-access role ARN', badRole);
    await next(page);
    await atWizardStep(page, 'Review and start');

    await expect(checkStatus('role-trust')).toHaveAttribute('data-status', 'fail', { timeout: STAGE_TIMEOUT });
    const row = page.getByRole('row').filter({ has: checkCell('role-trust') });
    await expect(row).toContainText('Role trusts HealthImaging');
    await expect(row).toContainText('ec2.amazonaws.com');
    await expect(row).toContainText('Fix:');
    await expect(row).toContainText('medical-imaging.amazonaws.com');
    // The other checks are listed too, with their own status.
    await expect(checkStatus('role-exists')).toHaveAttribute('data-status', 'pass');
    await expect(checkStatus('role-permissions')).toHaveAttribute('data-status', 'pass');
    await expect(checkStatus('input-objects')).toHaveAttribute('data-status', 'pass');

    const start = button(page, 'Start onboarding');
    await expect(start).toBeDisabled();
    await expect(page.getByTestId('start-blocked-reason')).toHaveText(/^A check failed: Role trusts HealthImaging\. Fix it, or choose “I understand, start anyway”\.$/);
    await stage('preflight-01-review-failing');

    // "I understand, start anyway" enables Start; unticked again, it is disabled again.
    const anyway = page.getByRole('checkbox', { name: /I understand, start anyway/ });
    await anyway.check({ force: true });
    await expect(start).toBeEnabled();
    await anyway.uncheck({ force: true });
    await expect(start).toBeDisabled();
    // Nothing was started.
    expect(await host.browserHost!.handlers['runs:list']()).toEqual([]);
  });

  test('"Create a role for me" shows both policies, refuses a bad name, creates the role and fills the field', async () => {
    const page = host.page;
    await button(page, 'Previous').first().click();
    await atWizardStep(page, 'Import');
    await button(page, 'Create a role for me').click();
    const dialog = page.getByRole('dialog', { name: 'Create a data access role' });
    await dialog.waitFor({ timeout: STAGE_TIMEOUT });
    await expect(dialog.getByTestId('trust-policy')).toContainText('"Service": "medical-imaging.amazonaws.com"', { timeout: STAGE_TIMEOUT });
    await expect(dialog.getByTestId('trust-policy')).toContainText(`"aws:SourceAccount": "${sandbox.accountId}"`);
    await expect(dialog.getByTestId('permissions-policy')).toContainText('s3:GetObject');
    await expect(dialog.getByTestId('permissions-policy')).toContainText('s3:PutObject');

    const name = dialog.getByLabel('Role name', { exact: true });
    await name.fill('bad name!');
    await name.press('Tab');
    await expect(dialog).toContainText('Role name may contain only letters, digits and + = , . @ _ -');
    await expect(button(dialog, 'Create role')).toBeDisabled();
    await name.fill('WizardImportRole');
    await name.press('Tab');
    await expect(button(dialog, 'Create role')).toBeEnabled();
    await stage('preflight-02-role-modal');

    await button(dialog, 'Create role').click();
    await dialog.waitFor({ state: 'hidden', timeout: STAGE_TIMEOUT });
    const arn = `arn:aws:iam::${sandbox.accountId}:role/WizardImportRole`;
    expect(await inputValue(page, 'Data-access role ARN')).toBe(arn);
    await page.getByText('Role WizardImportRole created', { exact: true }).first().waitFor();
    await stage('preflight-03-role-created');

    // The same name again: IAM's EntityAlreadyExists, in words, and the modal stays open.
    await button(page, 'Create a role for me').click();
    await dialog.waitFor();
    await dialog.getByLabel('Role name', { exact: true }).fill('WizardImportRole');
    await expect(dialog.getByTestId('trust-policy')).toBeVisible({ timeout: STAGE_TIMEOUT });
    await button(dialog, 'Create role').click();
    await expect(dialog).toContainText('A role named WizardImportRole already exists in this account.', { timeout: STAGE_TIMEOUT });
    await button(dialog, 'Cancel').click();
    await dialog.waitFor({ state: 'hidden' });
  });

  test('with the new role the Review step is green, and the run completes with the preflight in its log', async () => {
    const page = host.page;
    await next(page);
    await atWizardStep(page, 'Review and start');
    await expect(checkStatus('role-trust')).toHaveAttribute('data-status', 'pass', { timeout: STAGE_TIMEOUT });
    await expect(checkStatus('role-permissions')).toHaveAttribute('data-status', 'pass');
    await page.getByText('Ready: nothing blocks the start', { exact: true }).waitFor();
    await expect(page.getByTestId('start-blocked-reason')).toHaveCount(0);
    await expect(button(page, 'Start onboarding')).toBeEnabled();
    await stage('preflight-04-review-ready');

    // "Run checks again" runs them again, with the same answer.
    await button(page, 'Run checks again').click();
    await expect(checkStatus('role-trust')).toHaveAttribute('data-status', 'pass', { timeout: STAGE_TIMEOUT });

    await button(page, 'Start onboarding').click();
    const end = await finalOutcome(page, 90_000);
    expect(end.title).toBe('Completed');
    const [run] = await host.browserHost!.handlers['runs:list']();
    const events = await host.browserHost!.handlers['runs:events']({ runId: run!.runId });
    expect(events[0]).toMatchObject({ type: 'run-started', preflight: { ready: true }, inputs: { dataAccessRoleArn: `arn:aws:iam::${sandbox.accountId}:role/WizardImportRole` } });
  });

  test('the new views have no serious accessibility violations', () => {
    expect(a11y, Object.values(a11y).join('\n\n')).toEqual({});
  });
});
