/** The app's Sign in against the sandbox's Identity Center; the test plays the OS browser. */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { tokenPath } from '../../core/aws/sso/cache';
import { ssoProfileConfig, writeTempAwsConfig, type TempAwsConfig } from '../../core/aws/test-config';
import { vetSignInUrl } from '../main/sign-in-url';
import { ssoSignIn } from '../main/sso-sign-in';
import { createHandlers } from '../main/handlers';
import { parseRequest } from '../../contract/schemas';
import type { Pushes } from '../../contract/ipc';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

let sb: Sandbox;
let cfg: TempAwsConfig;
beforeEach(async () => {
  sb = await startSandbox();
  cfg = writeTempAwsConfig(`${ssoProfileConfig(sb, { profile: 'imaging', session: 'hospital', startUrl: 'https://hospital.awsapps.com/start' })}
[profile keys]
aws_access_key_id = x
`);
  Object.assign(cfg.env, { AWS_ENDPOINT_URL_SSO_OIDC: sb.url, AWS_ENDPOINT_URL_SSO: sb.url });
  for (const [k, v] of Object.entries(cfg.env)) vi.stubEnv(k, v!);
});
afterEach(async () => {
  vi.unstubAllEnvs();
  cfg.cleanup();
  await sb.close();
});

describe('sign-in URL vetting', () => {
  it('allows https identity center pages and the configured local endpoint only', () => {
    for (const url of ['https://oidc.us-east-1.amazonaws.com/authorize?client_id=x', 'https://device.sso.eu-west-1.amazonaws.com/?user_code=AB-CD', 'https://d-1234567890.awsapps.com/start'])
      expect(vetSignInUrl(url, {}).ok).toBe(true);
    for (const url of ['http://oidc.us-east-1.amazonaws.com/authorize', 'https://oidc.us-east-1.amazonaws.com.evil.example/', 'https://evil.example/', 'https://u:p@x.awsapps.com/', 'file:///etc/passwd', 'http://127.0.0.1:9/authorize'])
      expect(vetSignInUrl(url, {}).ok).toBe(false);
    expect(vetSignInUrl('http://127.0.0.1:4000/authorize?x=1', { AWS_ENDPOINT_URL_SSO_OIDC: 'http://127.0.0.1:4000' }).ok).toBe(true);
    expect(vetSignInUrl('http://127.0.0.1:4001/authorize', { AWS_ENDPOINT_URL_SSO_OIDC: 'http://127.0.0.1:4000' }).ok).toBe(false);
  });
});

describe('ssoSignIn', () => {
  it('signs in with the browser flow; the result and everything shown carry no secret', async () => {
    const opened: string[] = [];
    const r = await ssoSignIn(
      { profile: 'imaging' },
      {
        env: cfg.env,
        showDeviceCode: () => undefined,
        openSignInUrl: async (url) => {
          opened.push(url);
          const res = await fetch(url, { redirect: 'manual' });
          await fetch(res.headers.get('location')!);
        },
      },
    );
    expect(r).toMatchObject({ ok: true, profile: 'imaging', startUrl: 'https://hospital.awsapps.com/start', accountId: sb.accountId, roleName: 'ImagingAdmin' });
    const t = JSON.parse(readFileSync(tokenPath(createHash('sha1').update('hospital').digest('hex'), cfg.env), 'utf8')) as Record<string, string>;
    for (const s of [t.accessToken!, t.refreshToken!, t.clientSecret!]) expect(JSON.stringify({ r, opened })).not.toContain(s);
  });

  it('device flow shows the code; a profile without SSO is refused plainly', async () => {
    const shown: unknown[] = [];
    const r = await ssoSignIn({ profile: 'imaging', useDeviceCode: true }, { env: cfg.env, showDeviceCode: (p) => shown.push(p), openSignInUrl: async () => undefined });
    expect(r.ok).toBe(true);
    expect(shown).toEqual([expect.objectContaining({ profile: 'imaging', userCode: expect.stringMatching(/^[0-9A-F]{4}-[0-9A-F]{4}$/), expiresInSeconds: 600 })]);
    expect(await ssoSignIn({ profile: 'keys' }, { env: cfg.env, showDeviceCode: () => undefined, openSignInUrl: async () => undefined })).toMatchObject({ ok: false, reason: 'not-sso' });
  });

  it('a sign-in URL outside the allow-list is never opened', async () => {
    const opened: string[] = [];
    const env = { ...cfg.env, AWS_ENDPOINT_URL_SSO_OIDC: undefined, AWS_ENDPOINT_URL: sb.url };
    const r = await ssoSignIn({ profile: 'imaging' }, { env, showDeviceCode: () => undefined, openSignInUrl: async (u) => void opened.push(u) });
    expect(r).toMatchObject({ ok: false, reason: 'failed', message: expect.stringMatching(/Refused to open the sign-in page/) });
    expect(opened).toEqual([]);
  });
});

describe("the 'sso:sign-in' command through the handlers", () => {
  it('signs in (browser, then device code pushed to the renderer), after which identity:check shows the account', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sso-handlers-'));
    const pushes: Array<{ name: keyof Pushes; payload: unknown }> = [];
    const handlers = createHandlers({
      runsDir: path.join(dir, 'runs'),
      userDataDir: dir,
      env: cfg.env,
      dialogs: { saveReport: async () => undefined },
      openExternal: async () => undefined,
      openSignInUrl: async (url) => {
        const res = await fetch(url, { redirect: 'manual' });
        if (res.headers.get('location')) await fetch(res.headers.get('location')!);
      },
      printToPdf: async () => Buffer.alloc(0),
      push: (name, payload) => pushes.push({ name, payload }),
    });
    try {
      expect(() => parseRequest('sso:sign-in', { profile: '', useDeviceCode: 'yes' })).toThrow(/profile: .*useDeviceCode: /s);
      const before = await handlers['identity:check']({ profile: 'imaging', region: sb.region });
      expect(before).toMatchObject({ ok: false, reason: 'sso-login-required' });
      expect(await handlers['sso:sign-in'](parseRequest('sso:sign-in', { profile: 'imaging' }))).toMatchObject({ ok: true, accountId: sb.accountId });
      expect(await handlers['identity:check']({ profile: 'imaging', region: sb.region })).toMatchObject({ ok: true, accountId: sb.accountId });
      expect(await handlers['sso:sign-in']({ profile: 'imaging', useDeviceCode: true })).toMatchObject({ ok: true });
      expect(pushes.filter((p) => p.name === 'sso:device-code')).toEqual([{ name: 'sso:device-code', payload: expect.objectContaining({ profile: 'imaging', expiresInSeconds: 600 }) }]);
      const t = JSON.parse(readFileSync(tokenPath(createHash('sha1').update('hospital').digest('hex'), cfg.env), 'utf8')) as Record<string, string>;
      for (const secret of [t.accessToken!, t.refreshToken!, t.clientSecret!]) expect(JSON.stringify(pushes)).not.toContain(secret);
    } finally {
      await handlers.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
