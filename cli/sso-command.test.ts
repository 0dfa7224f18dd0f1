/**
 * login, logout and configure sso in process (main() with a captured io) against the sandbox's
 * Identity Center stand-in; the test plays the browser by following the URL the command prints.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { tokenPath } from '../core/aws/sso/cache';
import { createAwsSession } from '../core/aws/session';
import { writeTempAwsConfig, type TempAwsConfig } from '../core/aws/test-config';
import { main } from './main';
import type { CliIO } from './run/io';
import { ssoCommand } from './sso-command';
import { createHash } from 'node:crypto';

let sb: Sandbox;
let cfg: TempAwsConfig;
const CONFIG = `# hand-written; keep me
[default]
region = eu-west-1   ; odd spacing kept

[profile imaging]
sso_session = hospital
sso_account_id = ACCOUNT
sso_role_name = ImagingAdmin
region = us-east-1

[sso-session hospital]
sso_start_url = https://hospital.awsapps.com/start
sso_region = us-east-1
# trailing comment, no newline`;

beforeEach(async () => {
  sb = await startSandbox();
  cfg = writeTempAwsConfig(CONFIG.replace('ACCOUNT', sb.accountId));
  Object.assign(cfg.env, { AWS_ENDPOINT_URL_SSO_OIDC: sb.url, AWS_ENDPOINT_URL_SSO: sb.url, AWS_ENDPOINT_URL: sb.url, NO_COLOR: '1' });
  for (const [k, v] of Object.entries(cfg.env)) vi.stubEnv(k, v!);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  cfg.cleanup();
  await sb.close();
});

function capture(opts: { followUrls?: boolean } = {}) {
  const text = { out: '', err: '' };
  const io: CliIO = {
    out: (s) => {
      text.out += s;
      // Play the browser: follow the authorize URL, then its redirect to the loopback listener.
      const m = /^\s+(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)$/m.exec(s);
      if (m && opts.followUrls) void fetch(m[1]!, { redirect: 'manual' }).then((r) => fetch(r.headers.get('location')!));
    },
    err: (s) => void (text.err += s),
    stdoutIsTTY: false,
    stdinIsTTY: false,
    env: cfg.env,
    exit: () => undefined,
    onSignal: () => () => undefined,
  };
  return { io, text };
}
const cacheKey = createHash('sha1').update('hospital').digest('hex');
const secretsOf = () => {
  const t = JSON.parse(readFileSync(tokenPath(cacheKey, cfg.env), 'utf8')) as Record<string, string>;
  return [t.accessToken!, t.refreshToken!, t.clientSecret!];
};

describe('ahi-onboard login / logout', () => {
  it('login --no-browser prints the URL to open, exits 0 once signed in, and prints no secret', async () => {
    const { io, text } = capture({ followUrls: true });
    expect(await main(['login', '--profile', 'imaging', '--no-browser'], io)).toBe(0);
    expect(text.out).toMatch(/Open this URL in a browser to sign in/);
    expect(text.out).toMatch(/Signed in to https:\/\/hospital\.awsapps\.com\/start \(sso-session hospital\)/);
    for (const s of secretsOf()) expect(text.out + text.err).not.toContain(s);
    const session = await createAwsSession({ profile: 'imaging', env: cfg.env });
    expect((await session.identity()).accountId).toBe(sb.accountId);
    session.close();
  });

  it('login --use-device-code shows the URL and code; logout removes the token', async () => {
    const { io, text } = capture();
    expect(await main(['login', '--profile', 'imaging', '--use-device-code', '--no-browser'], io)).toBe(0);
    expect(text.out).toMatch(/open http:\/\/127\.0\.0\.1:\d+\/device and enter the code [0-9A-F]{4}-[0-9A-F]{4} \(it expires in 10 minutes\)/);
    for (const s of secretsOf()) expect(text.out).not.toContain(s);
    expect(await main(['logout', '--profile', 'imaging'], io)).toBe(0);
    expect(existsSync(tokenPath(cacheKey, cfg.env))).toBe(false);
    expect(text.out).toMatch(/Signed out of https:\/\/hospital\.awsapps\.com\/start/);
  });

  it('a denied sign-in exits 3; a non-SSO or unknown profile exits 2 naming it', async () => {
    sb.identityCenter.approval = 'deny';
    const a = capture({ followUrls: true });
    expect(await main(['login', '--profile', 'imaging', '--no-browser'], a.io)).toBe(3);
    expect(a.text.err).toMatch(/denied/);
    const b = capture();
    expect(await main(['login', '--profile', 'default'], b.io)).toBe(2);
    expect(b.text.err).toMatch(/Profile 'default' is not an IAM Identity Center profile/);
    expect(await main(['login', '--profile', 'nobody', '--bogus'], b.io)).toBe(2);
  });

  it('a run whose token cannot be refreshed exits 3 telling the user to run ahi-onboard login', async () => {
    const { io, text } = capture({ followUrls: true });
    expect(await main(['login', '--profile', 'imaging', '--no-browser'], io)).toBe(0);
    const t = JSON.parse(readFileSync(tokenPath(cacheKey, cfg.env), 'utf8')) as Record<string, string>;
    sb.identityCenter.expireAccessTokens();
    sb.identityCenter.revokeRefreshTokens();
    writeFileSync(tokenPath(cacheKey, cfg.env), JSON.stringify({ ...t, expiresAt: new Date(Date.now() - 1000).toISOString() }));
    const inputs = join(cfg.dir, 'inputs.json');
    writeFileSync(inputs, JSON.stringify({ datastoreName: 'sso-run', dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: sb.demo.inputS3Uri, outputS3Uri: sb.demo.outputS3Uri }));
    const r = capture();
    expect(await main(['run', '--inputs', inputs, '--profile', 'imaging', '--runs-dir', join(cfg.dir, 'runs')], r.io)).toBe(3);
    expect(r.text.err).toContain('ahi-onboard login --profile imaging');
    for (const s of [t.accessToken!, t.refreshToken!, t.clientSecret!]) expect(r.text.out + r.text.err + text.out).not.toContain(s);
  });
});

describe('ahi-onboard configure sso', () => {
  it('with no terminal, a missing optional flag exits 2 naming it, before anything is sent or written', async () => {
    const { io, text } = capture();
    expect(await main(['configure', 'sso', '--start-url', 'https://new.awsapps.com/start', '--region', sb.region, '--profile', 'p', '--session-name', 's', '--account-id', sb.accountId], io)).toBe(2);
    expect(text.err).toMatch(/--role-name is required when there is no terminal/);
    expect(await main(['configure', 'sso', '--start-url', 'http://new', '--region', sb.region], io)).toBe(2);
    expect(text.err).toMatch(/--start-url must be an https URL/);
    expect(readFileSync(cfg.env.AWS_CONFIG_FILE!, 'utf8')).toBe(CONFIG.replace('ACCOUNT', sb.accountId));
  });

  it('signs in, checks account and role against ListAccounts/ListAccountRoles, and appends the sections keeping the file byte for byte', async () => {
    const before = readFileSync(cfg.env.AWS_CONFIG_FILE!, 'utf8');
    const { io, text } = capture({ followUrls: true });
    const args = ['configure', 'sso', '--start-url', 'https://new.awsapps.com/start', '--region', sb.region, '--profile', 'newp', '--session-name', 'newsess', '--no-browser'];
    const asked: string[] = [];
    const answers: Record<string, string> = { 'Account id': '', 'Role name': 'ReadOnly' };
    const code = await ssoCommand(args, io, { ask: async (q) => (asked.push(q), answers[Object.keys(answers).find((k) => q.startsWith(k))!] ?? '') });
    expect(text.err).toBe('');
    expect(code).toBe(0);
    // One account: offered as the default; two roles: listed, the answer taken.
    expect(asked).toEqual([`Account id [${sb.accountId}]: `, 'Role name: ']);
    expect(text.out).toContain('Roles in ' + sb.accountId + ': ImagingAdmin, ReadOnly');
    const after = readFileSync(cfg.env.AWS_CONFIG_FILE!, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toBe(
      `\n\n[sso-session newsess]\nsso_start_url = https://new.awsapps.com/start\nsso_region = ${sb.region}\nsso_registration_scopes = sso:account:access\n\n[profile newp]\nsso_session = newsess\nsso_account_id = ${sb.accountId}\nsso_role_name = ReadOnly\nregion = ${sb.region}\n`,
    );
    const session = await createAwsSession({ profile: 'newp', env: cfg.env });
    expect((await session.identity()).accountId).toBe(sb.accountId);
    session.close();
  });

  it('an account the sign-in cannot use exits 2 and writes nothing', async () => {
    const { io, text } = capture({ followUrls: true });
    const code = await main(['configure', 'sso', '--start-url', 'https://new.awsapps.com/start', '--region', sb.region, '--profile', 'x', '--session-name', 'y', '--account-id', '999999999999', '--role-name', 'R', '--no-browser'], io);
    expect(code).toBe(2);
    expect(text.err).toMatch(/--account-id 999999999999 is not an account this sign-in can use/);
    expect(readFileSync(cfg.env.AWS_CONFIG_FILE!, 'utf8')).toBe(CONFIG.replace('ACCOUNT', sb.accountId));
  });
});
