/**
 * The main user path: a real AWS profile from ~/.aws, not the "Local sandbox" entry. The AWS
 * account is a sandbox started in this process, reached the way a user would reach a custom
 * endpoint: a `services` section of the profile's config. To the app this is an ordinary static-key
 * profile (no sandbox mode): it lists the profiles, tells an SSO profile how to sign in, finds the
 * caller's account, asks for every field (nothing prefilled), states what will be created where,
 * runs to Completed, and says the run used the profile's custom endpoint (so no AWS console links,
 * which would lead nowhere). The sandbox then holds exactly one data store.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ListDatastoresCommand, ListDICOMImportJobsCommand, MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { expect, test } from '@playwright/test';
import { writeTempAwsConfig, type TempAwsConfig } from '../core/aws/test-config';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { describeViolations, seriousViolations } from './support/a11y';
import { ensureBuilt, skipReason } from './support/environment';
import { launchBrowserHost, type HostSession } from './support/hosts';
import { keepOnFailure } from './support/failure';
import { captureStage } from './support/screenshots';
import { atWizardStep, button, fill, identitySignedIn, inputValue, next, outcome, STAGE_TIMEOUT } from './support/wizard';

const SANDBOX_BANNER = 'Sandbox — demo data, nothing is created in AWS';
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

const reason = skipReason('chromium');
if (reason) console.log(`[e2e] AWS profile spec skipped: ${reason}`);

/** The user's ~/.aws: a static-key profile whose services section points at the sandbox, an SSO profile never signed in, one with no credentials. */
function awsFiles(sandbox: Sandbox): { config: string; credentials: string } {
  return {
    config: `[profile imaging-admin]
region = ${REGION}
services = local-ahi

[services local-ahi]
medical_imaging =
  endpoint_url = ${sandbox.url}
s3 =
  endpoint_url = ${sandbox.url}
sts =
  endpoint_url = ${sandbox.url}
iam =
  endpoint_url = ${sandbox.url}
kms =
  endpoint_url = ${sandbox.url}

[profile sso-user]
sso_session = corp
sso_account_id = ${ACCOUNT}
sso_role_name = ImagingAdmin
region = ${REGION}

[sso-session corp]
sso_start_url = https://corp-e2e.awsapps.com/start
sso_region = ${REGION}

[profile broken]
region = ${REGION}
`,
    credentials: `[imaging-admin]
aws_access_key_id = ${sandbox.credentials.accessKeyId}
aws_secret_access_key = ${sandbox.credentials.secretAccessKey}
`,
  };
}

/** process.env without AWS settings, so the developer's own AWS_PROFILE, keys or endpoints cannot steer the run. */
function envWithoutAws(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
}

test.describe('onboarding with a real AWS profile (browser host)', () => {
  test.skip(Boolean(reason), reason);
  // One signed-in window carried from test to test: after a failure the rest cannot mean anything.
  test.describe.configure({ mode: 'serial' });
  let sandbox: Sandbox;
  let cfg: TempAwsConfig;
  let host: HostSession;
  const a11y: Record<string, string> = {};
  const scanned: string[] = [];
  const datastoreName = `imaging-e2e-${Date.now()}`;
  const savedHome = process.env['HOME'];
  keepOnFailure(() => host?.page);

  test.beforeAll(async () => {
    ensureBuilt();
    sandbox = await startSandbox({ timeScale: 60, demoData: true });
    const files = awsFiles(sandbox);
    cfg = writeTempAwsConfig(files.config, files.credentials);
    // The SDK's SSO token provider looks for its cached token under process.env.HOME itself (not
    // the env the handlers are given): point it at the temporary home, restored in afterAll.
    process.env['HOME'] = cfg.env.HOME!;
    host = await launchBrowserHost('aws-profile', { env: { ...envWithoutAws(), ...cfg.env } });
  });

  test.afterAll(async () => {
    await host?.close();
    await sandbox?.close();
    cfg?.cleanup();
    if (savedHome === undefined) delete process.env['HOME'];
    else process.env['HOME'] = savedHome;
  });

  async function stage(name: string): Promise<void> {
    await captureStage(host.page, 'browser', name);
    const violations = await seriousViolations(host.page);
    scanned.push(name);
    if (violations.length) a11y[name] = describeViolations(violations);
  }

  async function chooseProfile(name: string): Promise<void> {
    const page = host.page;
    await page.getByLabel('AWS profile', { exact: true }).click();
    await page.getByRole('option', { name: new RegExp(`^${name}\\b`) }).click();
  }

  const identity = () => host.page.getByTestId('identity-result');

  test('lists the ~/.aws profiles after the sandbox entry; an SSO profile says exactly how to sign in', async () => {
    const page = host.page;
    await atWizardStep(page, 'Account');

    await page.getByLabel('AWS profile', { exact: true }).click();
    const options = (await page.getByRole('option').allInnerTexts()).map((t) => t.trim().split('\n')[0]!.trim());
    expect(options[0]).toMatch(/^Local sandbox/);
    expect(options.slice(1)).toEqual([`broken (${REGION})`, `imaging-admin (${REGION})`, `sso-user (${REGION})`]);
    await page.keyboard.press('Escape');

    // The first real profile is chosen; with no credentials it says so, and the sandbox is not marked.
    await identity().getByText('No credentials found for this profile', { exact: true }).waitFor({ timeout: STAGE_TIMEOUT });
    expect(await page.getByText(SANDBOX_BANNER).count()).toBe(0);

    await chooseProfile('sso-user');
    await identity().getByText('SSO sign-in needed', { exact: true }).waitFor({ timeout: STAGE_TIMEOUT });
    await identity().getByText('aws sso login --profile sso-user', { exact: true }).waitFor();
    await stage('aws-01-sso-sign-in');

    // Not signed in: the wizard does not move on.
    await next(page);
    await page.getByText(/These credentials cannot be used yet/).first().waitFor({ timeout: STAGE_TIMEOUT });
    await atWizardStep(page, 'Account');
  });

  test('signs in with the static-key profile: its account, no sandbox marking, empty fields, Review naming account and region', async () => {
    const page = host.page;
    await chooseProfile('imaging-admin');
    await identitySignedIn(page);
    expect(await identity().textContent()).toContain(ACCOUNT);
    // The profile's custom endpoint is said, and this is not sandbox mode.
    await page.getByText('Custom endpoint', { exact: true }).first().waitFor();
    expect(await page.getByText(SANDBOX_BANNER).count()).toBe(0);
    await stage('aws-02-account');

    await next(page);
    await atWizardStep(page, 'Data store');
    // A real account gets no demo values: the user names the data store.
    expect(await inputValue(page, 'Data store name')).toBe('');
    await fill(page, 'Data store name', datastoreName);
    await stage('aws-03-data-store');

    await next(page);
    await atWizardStep(page, 'Import');
    for (const label of ['Data-access role ARN', 'Input S3 URI', 'Output S3 URI']) expect(await inputValue(page, label), label).toBe('');
    await fill(page, 'Data-access role ARN', sandbox.demo.dataAccessRoleArn);
    await fill(page, 'Input S3 URI', sandbox.demo.inputS3Uri);
    await fill(page, 'Output S3 URI', sandbox.demo.outputS3Uri);
    await stage('aws-04-import');

    await next(page);
    await atWizardStep(page, 'Review and start');
    const statement = (await page.getByTestId('creation-statement').textContent()) ?? '';
    expect(statement).toContain(`A HealthImaging data store named "${datastoreName}" will be created in region ${REGION} of account ${ACCOUNT}.`);
    expect(statement).toContain(`with the role ${sandbox.demo.dataAccessRoleArn}`);
    expect(statement).not.toMatch(/local sandbox|Nothing is created in AWS|nothing is billed/i);
    // The profile's services section sends HealthImaging elsewhere: the statement says so.
    expect(statement).toContain('sends these requests to the custom endpoint set in its AWS config');
    await page.getByText('What starting this onboarding creates in your AWS account', { exact: true }).waitFor();
    expect(await page.getByText(SANDBOX_BANNER).count()).toBe(0);
    await stage('aws-05-review');
  });

  test('runs to Completed against the profile’s endpoint, without console links that would lead nowhere, and one data store created', async () => {
    const page = host.page;
    await button(page, 'Start onboarding').click();
    await page.getByText('Onboarding in progress', { exact: true }).or(outcome(page)).first().waitFor({ timeout: STAGE_TIMEOUT });
    expect(await page.getByText(SANDBOX_BANNER).count()).toBe(0);
    if (await page.getByText('Onboarding in progress', { exact: true }).isVisible()) await stage('aws-06-run');

    // The AWS polling defaults (first check after 4.5 s) against a sandbox at 60x: well under 90 s.
    await outcome(page).waitFor({ timeout: 90_000 });
    expect(await outcome(page).textContent()).toBe('Completed');
    for (const stepId of ['createDatastore', 'pollDatastore', 'startImportJob', 'pollImportJob']) {
      expect(await page.getByTestId(`step-${stepId}`).getAttribute('data-state')).toBe('succeeded');
    }
    await page.getByTestId('job-status').getByText('COMPLETED').waitFor();
    // Done speaks of a data store in the profile's region and account. The endpoint is not AWS, so
    // the AWS console would not know the data store: no console links, and the reason in words.
    await page.getByText(new RegExp(`^The data store “${datastoreName}” \\([0-9a-z]{32}\\) is ACTIVE`)).first().waitFor();
    expect(await page.getByText('Console links are not shown for sandbox runs', { exact: false }).count()).toBe(0);
    await page.getByText(`this run used the custom endpoint ${sandbox.url}`, { exact: false }).waitFor();
    expect(await button(page, 'Open data store in the AWS console').count()).toBe(0);
    // Outputs: the region as it is (a sandbox run says "us-east-1 (sandbox)") and the caller's account.
    await page.getByText(REGION, { exact: true }).filter({ visible: true }).first().waitFor();
    await page.getByText(ACCOUNT, { exact: true }).filter({ visible: true }).first().waitFor();
    expect(await page.getByText(`${REGION} (sandbox)`).count()).toBe(0);
    expect(await page.getByText(SANDBOX_BANNER).count()).toBe(0);
    expect(host.browserHost!.openedExternal).toEqual([]);
    await stage('aws-07-done');

    // The profile's sandbox got exactly one data store, with one job, under the name typed in.
    const client = new MedicalImagingClient({ endpoint: sandbox.url, region: sandbox.region, credentials: sandbox.credentials });
    try {
      const stores = (await client.send(new ListDatastoresCommand({}))).datastoreSummaries ?? [];
      expect(stores.map((s) => [s.datastoreName, s.datastoreStatus])).toEqual([[datastoreName, 'ACTIVE']]);
      const jobs = (await client.send(new ListDICOMImportJobsCommand({ datastoreId: stores[0]!.datastoreId! }))).jobSummaries ?? [];
      expect(jobs.map((j) => j.jobStatus)).toEqual(['COMPLETED']);
    } finally {
      client.destroy();
    }

    // The run log: one CreateDatastore, a non-sandbox context naming profile, account and endpoint, and no secret.
    const runsDir = path.join(host.userDataDir, 'runs');
    const runs = readdirSync(runsDir);
    expect(runs).toHaveLength(1);
    const log = readFileSync(path.join(runsDir, runs[0]!, 'events.ndjson'), 'utf8');
    const events = log.trim().split('\n').map((l) => JSON.parse(l) as { type: string; operationId?: string; context?: Record<string, unknown> });
    expect(events.filter((e) => e.type === 'request-sent' && e.operationId === 'CreateDatastore')).toHaveLength(1);
    expect(events.find((e) => e.type === 'run-started')?.context).toMatchObject({ profile: 'imaging-admin', region: REGION, sandbox: false, accountId: ACCOUNT, endpoint: sandbox.url });
    expect(log).not.toContain(sandbox.credentials.secretAccessKey);
    expect(await page.content()).not.toContain(sandbox.credentials.secretAccessKey);
  });

  test('never started the app’s own embedded sandbox', async () => {
    const started = await Promise.race([host.sandbox().then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 100))]);
    expect(started).toBe(false);
  });

  test('runs under the strict CSP without a single violation or page error', () => {
    expect(host.cspViolations).toEqual([]);
    expect(host.pageErrors).toEqual([]);
  });

  test('has no serious or critical accessibility violation at any stage', () => {
    expect(scanned).toEqual(expect.arrayContaining(['aws-01-sso-sign-in', 'aws-02-account', 'aws-03-data-store', 'aws-04-import', 'aws-05-review', 'aws-07-done']));
    expect(a11y, Object.entries(a11y).map(([k, v]) => `${k}:\n${v}`).join('\n\n')).toEqual({});
  });
});
