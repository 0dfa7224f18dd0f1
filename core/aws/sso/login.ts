/**
 * `aws sso login`, done here: register a public client (cached), sign in with the authorization
 * code flow and PKCE (default) or the device flow, and write the token where the AWS CLI and the
 * SDKs look for it. Uses @aws-sdk/client-sso-oidc, so AWS_ENDPOINT_URL_SSO_OIDC and the profile's
 * services section apply. Nothing here logs or returns a token or secret: callers get the URL to
 * open, the user code, and when the sign-in expires.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  AccessDeniedException,
  AuthorizationPendingException,
  CreateTokenCommand,
  ExpiredTokenException,
  RegisterClientCommand,
  SlowDownException,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc';
import { isoSeconds, readRegistration, writeRegistration, writeToken, type Registration } from './cache';
import { listenForCallback } from './loopback';
import type { SsoSettings } from './settings';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const REDIRECT_REGISTERED = 'http://127.0.0.1/oauth/callback';

export interface DeviceCodePrompt {
  verificationUri: string;
  verificationUriComplete?: string;
  userCode: string;
  expiresInSeconds: number;
}

export interface LoginOptions {
  useDeviceCode?: boolean;
  /** Open (or print) the URL; the OS browser in the CLI and app, an HTTP client in tests. */
  openUrl: (url: string) => void | Promise<void>;
  onDeviceCode?: (prompt: DeviceCodePrompt) => void;
  env?: NodeJS.ProcessEnv;
  /** Injected in tests to drive a manual clock; real timers otherwise. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  browserTimeoutMs?: number;
}

export interface LoginResult {
  startUrl: string;
  sessionName?: string;
  expiresAt: string;
}

export class SsoLoginError extends Error {
  constructor(
    readonly reason: 'denied' | 'expired' | 'timeout' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

export function oidcClient(s: SsoSettings, env: NodeJS.ProcessEnv): SSOOIDCClient {
  const endpoint = env.AWS_ENDPOINT_URL_SSO_OIDC || env.AWS_ENDPOINT_URL;
  return new SSOOIDCClient({ region: s.region, profile: s.profile, maxAttempts: 3, ...(endpoint ? { endpoint } : {}) });
}

async function registration(client: SSOOIDCClient, s: SsoSettings, grant: 'pkce' | 'device', now: number, env: NodeJS.ProcessEnv): Promise<Registration> {
  const key = { startUrl: s.startUrl, region: s.region, scopes: s.scopes, grant, ...(s.sessionName ? { sessionName: s.sessionName } : {}) };
  const cached = readRegistration(key, now, env);
  if (cached) return cached;
  const r = await client.send(
    new RegisterClientCommand({
      clientName: `ahi-onboard-${s.sessionName ?? 'legacy'}`,
      clientType: 'public',
      scopes: s.scopes,
      grantTypes: grant === 'pkce' ? ['authorization_code', 'refresh_token'] : [DEVICE_GRANT, 'refresh_token'],
      ...(grant === 'pkce' ? { redirectUris: [REDIRECT_REGISTERED] } : {}),
      issuerUrl: s.startUrl,
    }),
  );
  if (!r.clientId || !r.clientSecret || !r.clientSecretExpiresAt) throw new SsoLoginError('failed', 'RegisterClient returned no client.');
  const reg = { clientId: r.clientId, clientSecret: r.clientSecret, expiresAt: isoSeconds(r.clientSecretExpiresAt * 1000), scopes: s.scopes };
  writeRegistration(key, reg, env);
  return reg;
}

function oidcBase(client: SSOOIDCClient, s: SsoSettings, env: NodeJS.ProcessEnv): string {
  void client;
  return (env.AWS_ENDPOINT_URL_SSO_OIDC || env.AWS_ENDPOINT_URL || `https://oidc.${s.region}.amazonaws.com`).replace(/\/+$/, '');
}

async function pkceFlow(client: SSOOIDCClient, s: SsoSettings, reg: Registration, o: LoginOptions, env: NodeJS.ProcessEnv) {
  const verifier = randomBytes(48).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomUUID();
  const cb = await listenForCallback(state, o.browserTimeoutMs ?? 10 * 60_000);
  try {
    const url = new URL(`${oidcBase(client, s, env)}/authorize`);
    const q = { response_type: 'code', client_id: reg.clientId, redirect_uri: cb.redirectUri, state, code_challenge_method: 'S256', code_challenge: challenge, scopes: s.scopes.join(',') };
    for (const [k, v] of Object.entries(q)) url.searchParams.set(k, v);
    await o.openUrl(url.toString());
    let code: string;
    try {
      code = await cb.code;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new SsoLoginError(/denied/.test(msg) ? 'denied' : 'timeout', msg);
    }
    return client.send(new CreateTokenCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: 'authorization_code', code, redirectUri: cb.redirectUri, codeVerifier: verifier }));
  } finally {
    cb.close();
  }
}

async function deviceFlow(client: SSOOIDCClient, s: SsoSettings, reg: Registration, o: LoginOptions) {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = o.now ?? Date.now;
  const d = await client.send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: s.startUrl }));
  const expiresIn = d.expiresIn ?? 600;
  o.onDeviceCode?.({ verificationUri: d.verificationUri ?? '', ...(d.verificationUriComplete ? { verificationUriComplete: d.verificationUriComplete } : {}), userCode: d.userCode ?? '', expiresInSeconds: expiresIn });
  await o.openUrl(d.verificationUriComplete ?? d.verificationUri ?? '');
  let intervalMs = (d.interval ?? 5) * 1000;
  const deadline = now() + expiresIn * 1000;
  const expired = () => new SsoLoginError('expired', `The sign-in code ${d.userCode} expired after ${Math.round(expiresIn / 60)} minutes without being approved. Run the sign-in again.`);
  for (;;) {
    await sleep(intervalMs);
    if (now() > deadline) throw expired();
    try {
      return await client.send(new CreateTokenCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: DEVICE_GRANT, deviceCode: d.deviceCode }));
    } catch (e) {
      if (e instanceof AuthorizationPendingException) continue;
      if (e instanceof SlowDownException) intervalMs += 5000; // RFC 8628 3.5
      else if (e instanceof ExpiredTokenException) throw expired();
      else if (e instanceof AccessDeniedException) throw new SsoLoginError('denied', 'The sign-in was denied.');
      else throw e;
    }
  }
}

export async function ssoLogin(s: SsoSettings, o: LoginOptions): Promise<LoginResult> {
  const env = o.env ?? process.env;
  const now = o.now ?? Date.now;
  const client = oidcClient(s, env);
  try {
    const grant = o.useDeviceCode ? 'device' : 'pkce';
    const reg = await registration(client, s, grant, now(), env);
    const t = grant === 'pkce' ? await pkceFlow(client, s, reg, o, env) : await deviceFlow(client, s, reg, o);
    if (!t.accessToken || !t.expiresIn) throw new SsoLoginError('failed', 'CreateToken returned no access token.');
    const expiresAt = isoSeconds(now() + t.expiresIn * 1000);
    writeToken(
      s.cacheKey,
      {
        startUrl: s.startUrl,
        region: s.region,
        accessToken: t.accessToken,
        expiresAt,
        clientId: reg.clientId,
        clientSecret: reg.clientSecret,
        registrationExpiresAt: reg.expiresAt,
        ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}),
      },
      env,
    );
    return { startUrl: s.startUrl, ...(s.sessionName ? { sessionName: s.sessionName } : {}), expiresAt };
  } finally {
    client.destroy();
  }
}
