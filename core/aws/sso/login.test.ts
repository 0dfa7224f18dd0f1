/**
 * Sign-in end to end against the sandbox's Identity Center stand-in, through @aws-sdk/client-sso-oidc,
 * and then runs through the SDK's own SSO credential provider (fromIni -> fromSSO) reading the cache.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CreateTokenCommand, RegisterClientCommand, SSOOIDCClient, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { AwsFaultError } from '../errors';
import { readSharedConfig } from '../shared-config';
import { createAwsSession } from '../session';
import { ssoProfileConfig, writeTempAwsConfig, type TempAwsConfig } from '../test-config';
import { tokenPath } from './cache';
import { ssoLogin, SsoLoginError, type LoginOptions } from './login';
import { resolveSsoSettings } from './settings';

let sb: Sandbox;
let cfg: TempAwsConfig;
const START = 'https://hospital.awsapps.com/start';
beforeEach(async () => {
  sb = await startSandbox({ manualClock: true });
  cfg = writeTempAwsConfig(`# keep me
${ssoProfileConfig(sb, { profile: 'imaging', session: 'hospital', startUrl: START })}sso_registration_scopes = sso:account:access

[profile legacy]
sso_start_url = https://old.awsapps.com/start
sso_region = ${sb.region}
sso_account_id = ${sb.accountId}
sso_role_name = ReadOnly
region = ${sb.region}
endpoint_url = ${sb.url}
`);
  cfg.env.AWS_ENDPOINT_URL_SSO_OIDC = sb.endpoints.ssoOidc;
  cfg.env.AWS_ENDPOINT_URL_SSO = sb.endpoints.sso;
  // The SDK's SSO providers read HOME, AWS_CONFIG_FILE and the endpoint variables from process.env.
  for (const [k, v] of Object.entries(cfg.env)) vi.stubEnv(k, v!);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  cfg.cleanup();
  await sb.close();
});

const settings = async (profile = 'imaging') => resolveSsoSettings(await readSharedConfig(cfg.env), profile);
/** The test plays the browser: follow the authorize URL, then its redirect to our loopback listener. */
const browser = async (url: string) => {
  const r = await fetch(url, { redirect: 'manual' });
  await fetch(r.headers.get('location')!);
};
const cacheFile = (key: string) => JSON.parse(readFileSync(tokenPath(key, cfg.env), 'utf8')) as Record<string, string>;

async function runIdentity(profile = 'imaging') {
  const session = await createAwsSession({ profile, env: cfg.env });
  try {
    return await session.identity();
  } finally {
    session.close();
  }
}

describe('ssoLogin', () => {
  it('authorization code + PKCE writes the CLI-format cache file (0600), which a run then uses', async () => {
    const s = await settings();
    const seen: unknown[] = [];
    const result = await ssoLogin(s, { env: cfg.env, openUrl: async (u) => (seen.push(u), browser(u)) });
    const url = new URL(seen[0] as string);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
    const key = createHash('sha1').update('hospital').digest('hex');
    expect(tokenPath(key, cfg.env)).toBe(`${cfg.dir}/.aws/sso/cache/${key}.json`);
    const file = cacheFile(key);
    expect(Object.keys(file).sort()).toEqual(['accessToken', 'clientId', 'clientSecret', 'expiresAt', 'refreshToken', 'region', 'registrationExpiresAt', 'startUrl']);
    expect(file).toMatchObject({ startUrl: START, region: sb.region, expiresAt: result.expiresAt });
    expect(file.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(statSync(tokenPath(key, cfg.env)).mode & 0o777).toBe(0o600);
    // Nothing the caller sees carries a secret.
    const visible = JSON.stringify({ seen, result });
    for (const secret of [file.accessToken, file.refreshToken, file.clientSecret]) expect(visible).not.toContain(secret);
    expect((await runIdentity()).accountId).toBe(sb.accountId);
  });

  it('reuses the cached client registration on the next sign-in', async () => {
    const s = await settings();
    await ssoLogin(s, { env: cfg.env, openUrl: browser });
    const first = cacheFile(s.cacheKey).clientId;
    await ssoLogin(s, { env: cfg.env, openUrl: browser });
    expect(cacheFile(s.cacheKey).clientId).toBe(first);
  });

  it('a state that does not match is refused by the loopback listener and the sign-in goes on waiting', async () => {
    const s = await settings();
    await ssoLogin(s, {
      env: cfg.env,
      openUrl: async (u) => {
        const loc = new URL((await fetch(u, { redirect: 'manual' })).headers.get('location')!);
        const forged = new URL(loc);
        forged.searchParams.set('state', 'forged');
        expect((await fetch(forged)).status).toBe(400);
        await fetch(loc);
      },
    });
    expect(cacheFile(s.cacheKey).accessToken).toBeTruthy();
  });

  it('device flow: pending and slow_down honoured (interval +5 s), then signed in', async () => {
    sb.identityCenter.approval = 'manual';
    const s = await settings();
    const sleeps: number[] = [];
    let code = '';
    const o: LoginOptions = {
      env: cfg.env,
      useDeviceCode: true,
      openUrl: () => undefined,
      onDeviceCode: (p) => (code = p.userCode),
      now: () => sb.clock.now(),
      // The second wait is cut short (the sandbox answers slow_down); the third approves in the "browser".
      sleep: async (ms) => {
        sleeps.push(ms);
        sb.clock.advance(sleeps.length === 2 ? 0 : ms);
        if (sleeps.length === 3) sb.identityCenter.decide(code, true);
      },
    };
    await ssoLogin(s, o);
    // 1 s (pending), 1 s cut to 0 (slow_down), then 6 s: the interval grew by 5 s.
    expect(sleeps).toEqual([1000, 1000, 6000]);
    expect(cacheFile(s.cacheKey).refreshToken).toBeTruthy();
  });

  it('device flow: denied and expired say so plainly', async () => {
    sb.identityCenter.approval = 'manual';
    const s = await settings();
    const base = { env: cfg.env, useDeviceCode: true, openUrl: () => undefined, now: () => sb.clock.now() };
    let code = '';
    await expect(ssoLogin(s, { ...base, onDeviceCode: (p) => (code = p.userCode), sleep: async (ms) => (sb.clock.advance(ms), sb.identityCenter.decide(code, false)) })).rejects.toMatchObject({ reason: 'denied' });
    const err = await ssoLogin(s, { ...base, sleep: async (ms) => sb.clock.advance(ms * 100) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SsoLoginError);
    expect((err as SsoLoginError).reason).toBe('expired');
    expect((err as Error).message).toMatch(/expired after 10 minutes/);
  });
});

describe('runs with the cached token', () => {
  it('a cache file written the AWS CLI way (legacy profile: sha1 of the start URL) is used by a run', async () => {
    const oidc = new SSOOIDCClient({ region: sb.region, endpoint: sb.url });
    const c = await oidc.send(new RegisterClientCommand({ clientName: 'botocore', clientType: 'public', grantTypes: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'] }));
    const d = await oidc.send(new StartDeviceAuthorizationCommand({ clientId: c.clientId, clientSecret: c.clientSecret, startUrl: 'https://old.awsapps.com/start' }));
    const t = await oidc.send(new CreateTokenCommand({ clientId: c.clientId, clientSecret: c.clientSecret, grantType: 'urn:ietf:params:oauth:grant-type:device_code', deviceCode: d.deviceCode }));
    oidc.destroy();
    const key = createHash('sha1').update('https://old.awsapps.com/start').digest('hex');
    // Byte layout of the AWS CLI v2's legacy cache file.
    const expiresAt = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    mkdirSync(dirname(tokenPath(key, cfg.env)), { recursive: true });
    writeFileSync(tokenPath(key, cfg.env), JSON.stringify({ startUrl: 'https://old.awsapps.com/start', region: sb.region, accessToken: t.accessToken, expiresAt }));
    expect((await runIdentity('legacy')).accountId).toBe(sb.accountId);
  });

  it('an expired token with a refresh token is refreshed silently and the cache file rewritten', async () => {
    const s = await settings();
    await ssoLogin(s, { env: cfg.env, openUrl: browser });
    const before = cacheFile(s.cacheKey);
    sb.identityCenter.expireAccessTokens();
    writeFileSync(tokenPath(s.cacheKey, cfg.env), JSON.stringify({ ...before, expiresAt: new Date(Date.now() - 60_000).toISOString() }));
    expect((await runIdentity()).accountId).toBe(sb.accountId);
    const after = cacheFile(s.cacheKey);
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.refreshToken).not.toBe(before.refreshToken);
  });

  it('a refresh that fails is a credentials fault whose action is: ahi-onboard login --profile NAME', async () => {
    const s = await settings();
    await ssoLogin(s, { env: cfg.env, openUrl: browser });
    const before = cacheFile(s.cacheKey);
    sb.identityCenter.expireAccessTokens();
    sb.identityCenter.revokeRefreshTokens();
    writeFileSync(tokenPath(s.cacheKey, cfg.env), JSON.stringify({ ...before, expiresAt: new Date(Date.now() - 60_000).toISOString() }));
    const err = await runIdentity().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AwsFaultError);
    const c = (err as AwsFaultError).classification;
    expect(c).toMatchObject({ fault: 'credentials', code: 'SsoSignInRequired', action: 'Sign in again: ahi-onboard login --profile imaging' });
    const text = JSON.stringify(c) + String((err as Error).message);
    for (const secret of [before.accessToken, before.refreshToken, before.clientSecret]) expect(text).not.toContain(secret);
  });
});
