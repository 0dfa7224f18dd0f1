/**
 * IAM Identity Center sign-in in the Account step (browser host), against the sandbox's stand-in:
 * an SSO profile that is not signed in shows "Sign in"; the test plays the OS browser by following
 * the authorize URL (first spec) or approving the device code shown (second); the identity appears.
 * No token, refresh token or client secret reaches the page.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ssoProfileConfig, writeTempAwsConfig, type TempAwsConfig } from '../core/aws/test-config';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { ensureBuilt, skipReason } from './support/environment';
import { keepOnFailure } from './support/failure';
import { launchBrowserHost, type HostSession } from './support/hosts';
import { atWizardStep, button, completeOnboarding, identitySignedIn, STAGE_TIMEOUT } from './support/wizard';

const reason = skipReason('chromium');
if (reason) console.log(`[e2e] SSO sign-in spec skipped: ${reason}`);

test.describe('Sign in with IAM Identity Center in the Account step (browser host)', () => {
  test.skip(Boolean(reason), reason);
  test.describe.configure({ mode: 'serial' });
  keepOnFailure(() => host?.page);
  let sandbox: Sandbox;
  let cfg: TempAwsConfig;
  let host: HostSession;
  const opened: string[] = [];
  const savedEnv: Record<string, string | undefined> = {};

  test.beforeAll(async () => {
    ensureBuilt();
    sandbox = await startSandbox({ timeScale: 60, demoData: true });
    cfg = writeTempAwsConfig(
      ssoProfileConfig(sandbox, { profile: 'sso-user', session: 'corp', startUrl: 'https://corp-e2e.awsapps.com/start' }) +
        '\n' +
        ssoProfileConfig(sandbox, { profile: 'sso-code', session: 'corp2', startUrl: 'https://corp2-e2e.awsapps.com/start', roleName: 'ReadOnly' }),
    );
    Object.assign(cfg.env, { AWS_ENDPOINT_URL_SSO_OIDC: sandbox.url, AWS_ENDPOINT_URL_SSO: sandbox.url });
    // The SDK's SSO providers read HOME and the endpoint variables from process.env themselves.
    for (const k of ['HOME', 'AWS_ENDPOINT_URL_SSO_OIDC', 'AWS_ENDPOINT_URL_SSO'] as const) {
      savedEnv[k] = process.env[k];
      process.env[k] = cfg.env[k]!;
    }
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
    host = await launchBrowserHost('sso-sign-in', {
      env: { ...env, ...cfg.env },
      openSignInUrl: async (url) => {
        opened.push(url);
        const res = await fetch(url, { redirect: 'manual' });
        const location = res.headers.get('location');
        if (location) await fetch(location);
      },
    });
  });

  test.afterAll(async () => {
    await host?.close();
    await sandbox?.close();
    cfg?.cleanup();
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const cacheFile = () => path.join(cfg.dir, '.aws', 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`);
  const identity = () => host.page.getByTestId('identity-result');
  async function choose(profile: string): Promise<void> {
    await host.page.getByLabel('AWS profile', { exact: true }).click();
    await host.page.getByRole('option', { name: new RegExp(`${profile} \\(`) }).click();
  }

  test('"Sign in" with the browser flow: the identity appears and no secret reaches the page', async () => {
    const page = host.page;
    await atWizardStep(page, 'Account');
    await choose('sso-user');
    await identity().getByText('SSO sign-in needed', { exact: true }).waitFor({ timeout: STAGE_TIMEOUT });
    await button(identity(), 'Sign in').click();
    await identitySignedIn(page);
    expect(await identity().innerText()).toContain(sandbox.accountId);
    expect(new URL(opened[0]!).pathname).toBe('/authorize');
    const t = JSON.parse(readFileSync(cacheFile(), 'utf8')) as Record<string, string>;
    const html = await page.content();
    for (const s of [t.accessToken!, t.refreshToken!, t.clientSecret!]) expect(html).not.toContain(s);
    await completeOnboarding(page, { ...sandbox.demo, datastoreName: 'signed-in-with-sso' });
    const log = readdirSync(path.join(host.userDataDir, 'runs')).map((r) => readFileSync(path.join(host.userDataDir, 'runs', r, 'events.ndjson'), 'utf8')).join('');
    for (const s of [t.accessToken!, t.refreshToken!, t.clientSecret!]) expect(log).not.toContain(s);
    await button(page, 'New onboarding').click();
  });

  test('"Use a code instead": the code and URL are shown, and once approved the identity appears', async () => {
    const page = host.page;
    sandbox.identityCenter.approval = 'manual';
    await choose('sso-code');
    await identity().getByText('SSO sign-in needed', { exact: true }).waitFor({ timeout: STAGE_TIMEOUT });
    await button(identity(), 'Use a code instead').click();
    const shown = page.getByTestId('sso-device-code');
    await shown.waitFor({ timeout: STAGE_TIMEOUT });
    const code = /([0-9A-F]{4}-[0-9A-F]{4})/.exec(await shown.innerText())![1]!;
    expect(await shown.innerText()).toContain(`${sandbox.url}/device`);
    sandbox.identityCenter.decide(code, true);
    await identitySignedIn(page);
    expect(await identity().innerText()).toContain(sandbox.accountId);
    await completeOnboarding(page, { ...sandbox.demo, datastoreName: 'signed-in-with-a-code' });
  });
});
