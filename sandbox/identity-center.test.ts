/** The Identity Center stand-in through @aws-sdk/client-sso-oidc and @aws-sdk/client-sso, as the SDKs' sign-in and SSO provider use it. */
import { createHash } from 'node:crypto';
import { CreateTokenCommand, RegisterClientCommand, SSOOIDCClient, StartDeviceAuthorizationCommand } from '@aws-sdk/client-sso-oidc';
import { GetRoleCredentialsCommand, ListAccountRolesCommand, ListAccountsCommand, LogoutCommand, SSOClient } from '@aws-sdk/client-sso';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';

let sb: Sandbox;
let oidc: SSOOIDCClient;
let sso: SSOClient;
const lines: string[] = [];
beforeEach(async () => {
  lines.length = 0;
  sb = await startSandbox({ manualClock: true, log: (l) => lines.push(l) });
  oidc = new SSOOIDCClient({ region: sb.region, endpoint: sb.endpoints.ssoOidc, maxAttempts: 1 });
  sso = new SSOClient({ region: sb.region, endpoint: sb.endpoints.sso, maxAttempts: 1 });
});
afterEach(async () => {
  oidc.destroy();
  sso.destroy();
  await sb.close();
});

const DEVICE = 'urn:ietf:params:oauth:grant-type:device_code';
async function register(grantTypes = [DEVICE, 'refresh_token'], redirectUris?: string[]) {
  return oidc.send(new RegisterClientCommand({ clientName: 't', clientType: 'public', scopes: ['sso:account:access'], grantTypes, ...(redirectUris ? { redirectUris } : {}) }));
}
async function deviceToken() {
  const c = await register();
  const d = await oidc.send(new StartDeviceAuthorizationCommand({ clientId: c.clientId, clientSecret: c.clientSecret, startUrl: 'https://x.awsapps.com/start' }));
  return { c, t: await oidc.send(new CreateTokenCommand({ clientId: c.clientId, clientSecret: c.clientSecret, grantType: DEVICE, deviceCode: d.deviceCode })) };
}

describe('SSO OIDC', () => {
  it('registers a client with an expiry and issues a token for an approved device sign-in', async () => {
    const c = await register();
    expect(c.clientId).toBeTruthy();
    expect(c.clientSecretExpiresAt! * 1000).toBeGreaterThan(sb.clock.now() + 30 * 86400_000);
    const { t } = await deviceToken();
    expect(t.accessToken).toBeTruthy();
    expect(t.refreshToken).toBeTruthy();
    expect(t.expiresIn).toBe(8 * 3600);
  });

  it('pending, then slow_down when polled faster than the interval, then the token once approved; a device code is single-use', async () => {
    sb.identityCenter.approval = 'manual';
    const c = await register();
    const d = await oidc.send(new StartDeviceAuthorizationCommand({ clientId: c.clientId, clientSecret: c.clientSecret, startUrl: 'https://x.awsapps.com/start' }));
    expect(d.interval).toBe(1);
    expect(d.verificationUriComplete).toBe(`${sb.url}/device?user_code=${d.userCode}`);
    const poll = () => oidc.send(new CreateTokenCommand({ clientId: c.clientId, clientSecret: c.clientSecret, grantType: DEVICE, deviceCode: d.deviceCode }));
    await expect(poll()).rejects.toMatchObject({ name: 'AuthorizationPendingException', error: 'authorization_pending' });
    await expect(poll()).rejects.toMatchObject({ name: 'SlowDownException' });
    sb.clock.advance(6000);
    const page = await fetch(d.verificationUriComplete!);
    expect(page.status).toBe(200);
    expect((await poll()).accessToken).toBeTruthy();
    sb.clock.advance(6000);
    await expect(poll()).rejects.toMatchObject({ name: 'InvalidGrantException' });
  });

  it('denied and expired device sign-ins, and a wrong client secret', async () => {
    sb.identityCenter.approval = 'manual';
    const c = await register();
    const start = () => oidc.send(new StartDeviceAuthorizationCommand({ clientId: c.clientId, clientSecret: c.clientSecret, startUrl: 'https://x.awsapps.com/start' }));
    const d1 = await start();
    sb.identityCenter.decide(d1.userCode!, false);
    await expect(oidc.send(new CreateTokenCommand({ clientId: c.clientId, clientSecret: c.clientSecret, grantType: DEVICE, deviceCode: d1.deviceCode }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const d2 = await start();
    sb.clock.advance(601_000);
    await expect(oidc.send(new CreateTokenCommand({ clientId: c.clientId, clientSecret: c.clientSecret, grantType: DEVICE, deviceCode: d2.deviceCode }))).rejects.toMatchObject({ name: 'ExpiredTokenException' });
    await expect(oidc.send(new StartDeviceAuthorizationCommand({ clientId: c.clientId, clientSecret: 'wrong', startUrl: 'https://x' }))).rejects.toMatchObject({ name: 'InvalidClientException', $metadata: { httpStatusCode: 401 } });
  });

  it('authorization code with PKCE: redirect carries code and state; the verifier and redirect URI must match; refresh rotates', async () => {
    const c = await register(['authorization_code', 'refresh_token'], ['http://127.0.0.1/oauth/callback']);
    const verifier = 'v'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirect = 'http://127.0.0.1:4567/oauth/callback';
    const q = new URLSearchParams({ response_type: 'code', client_id: c.clientId!, redirect_uri: redirect, state: 's1', code_challenge: challenge, code_challenge_method: 'S256' });
    const bad = await fetch(`${sb.url}/authorize?${q.toString().replace('127.0.0.1%3A4567', 'evil.example')}`, { redirect: 'manual' });
    expect(bad.status).toBe(400);
    const authorize = async () => new URL((await fetch(`${sb.url}/authorize?${q}`, { redirect: 'manual' })).headers.get('location')!);
    const loc = await authorize();
    expect(`${loc.origin}${loc.pathname}`).toBe(redirect);
    expect(loc.searchParams.get('state')).toBe('s1');
    const exchange = (code: string, codeVerifier: string) =>
      oidc.send(new CreateTokenCommand({ clientId: c.clientId, clientSecret: c.clientSecret, grantType: 'authorization_code', code, redirectUri: redirect, codeVerifier }));
    await expect(exchange(loc.searchParams.get('code')!, 'w'.repeat(50))).rejects.toMatchObject({ name: 'InvalidGrantException' });
    const t = await exchange((await authorize()).searchParams.get('code')!, verifier);
    const refreshed = await oidc.send(new CreateTokenCommand({ clientId: c.clientId, clientSecret: c.clientSecret, grantType: 'refresh_token', refreshToken: t.refreshToken }));
    expect(refreshed.accessToken).not.toBe(t.accessToken);
    await expect(oidc.send(new CreateTokenCommand({ clientId: c.clientId, clientSecret: c.clientSecret, grantType: 'refresh_token', refreshToken: t.refreshToken }))).rejects.toMatchObject({ name: 'InvalidGrantException' });
    sb.identityCenter.approval = 'deny';
    expect((await authorize()).searchParams.get('error')).toBe('access_denied');
  });
});

describe('SSO portal', () => {
  it('lists accounts and roles and returns the sandbox key pair as role credentials, which STS on the same port accepts', async () => {
    const { t } = await deviceToken();
    const accessToken = t.accessToken!;
    expect((await sso.send(new ListAccountsCommand({ accessToken }))).accountList).toEqual([expect.objectContaining({ accountId: sb.accountId })]);
    const roles = await sso.send(new ListAccountRolesCommand({ accessToken, accountId: sb.accountId }));
    expect(roles.roleList?.map((r) => r.roleName)).toEqual(['ImagingAdmin', 'ReadOnly']);
    const rc = (await sso.send(new GetRoleCredentialsCommand({ accessToken, accountId: sb.accountId, roleName: 'ImagingAdmin' }))).roleCredentials!;
    expect(rc.accessKeyId).toBe(sb.credentials.accessKeyId);
    expect(rc.expiration).toBeGreaterThan(Date.now());
    const sts = new STSClient({ region: sb.region, endpoint: sb.url, credentials: { accessKeyId: rc.accessKeyId!, secretAccessKey: rc.secretAccessKey!, sessionToken: rc.sessionToken! } });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(sb.accountId);
    sts.destroy();
    await expect(sso.send(new GetRoleCredentialsCommand({ accessToken, accountId: '999999999999', roleName: 'ImagingAdmin' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await sso.send(new LogoutCommand({ accessToken }));
    await expect(sso.send(new ListAccountsCommand({ accessToken }))).rejects.toMatchObject({ name: 'UnauthorizedException', $metadata: { httpStatusCode: 401 } });
    // The log names paths and operations only: no token, code or secret.
    expect(lines.join('\n')).not.toContain(accessToken);
    expect(lines.some((l) => l.includes('sso:/federation/credentials 200'))).toBe(true);
  });

  it('an expired access token is refused', async () => {
    const { t } = await deviceToken();
    sb.identityCenter.expireAccessTokens();
    await expect(sso.send(new ListAccountsCommand({ accessToken: t.accessToken! }))).rejects.toMatchObject({ name: 'UnauthorizedException' });
  });
});
