/**
 * The SSO portal calls that need the signed-in token: list accounts and roles, and log out. The
 * token is read from the cache here and never handed to callers. @aws-sdk/client-sso honours
 * AWS_ENDPOINT_URL_SSO and the profile's services section.
 */
import { ListAccountRolesCommand, ListAccountsCommand, LogoutCommand, SSOClient, UnauthorizedException } from '@aws-sdk/client-sso';
import { deleteToken, readToken } from './cache';
import type { SsoSettings } from './settings';

export interface SsoAccount {
  accountId: string;
  accountName?: string;
}

function ssoClient(s: SsoSettings, env: NodeJS.ProcessEnv): SSOClient {
  const endpoint = env.AWS_ENDPOINT_URL_SSO || env.AWS_ENDPOINT_URL;
  return new SSOClient({ region: s.region, profile: s.profile, ...(endpoint ? { endpoint } : {}) });
}

function liveToken(s: SsoSettings, env: NodeJS.ProcessEnv): string {
  const t = readToken(s.cacheKey, env);
  if (!t || Date.parse(t.expiresAt) <= Date.now()) throw new Error(`Not signed in: run ahi-onboard login --profile ${s.profile}`);
  return t.accessToken;
}

export async function listAccounts(s: SsoSettings, env: NodeJS.ProcessEnv = process.env): Promise<SsoAccount[]> {
  const client = ssoClient(s, env);
  const accessToken = liveToken(s, env);
  const out: SsoAccount[] = [];
  try {
    let nextToken: string | undefined;
    do {
      const r = await client.send(new ListAccountsCommand({ accessToken, ...(nextToken ? { nextToken } : {}) }));
      for (const a of r.accountList ?? []) if (a.accountId) out.push({ accountId: a.accountId, ...(a.accountName ? { accountName: a.accountName } : {}) });
      nextToken = r.nextToken;
    } while (nextToken);
    return out;
  } finally {
    client.destroy();
  }
}

export async function listRoles(s: SsoSettings, accountId: string, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const client = ssoClient(s, env);
  const accessToken = liveToken(s, env);
  const out: string[] = [];
  try {
    let nextToken: string | undefined;
    do {
      const r = await client.send(new ListAccountRolesCommand({ accessToken, accountId, ...(nextToken ? { nextToken } : {}) }));
      for (const role of r.roleList ?? []) if (role.roleName) out.push(role.roleName);
      nextToken = r.nextToken;
    } while (nextToken);
    return out;
  } finally {
    client.destroy();
  }
}

/** Ends the session at Identity Center (when the token still works) and removes the cached token. */
export async function ssoLogout(s: SsoSettings, env: NodeJS.ProcessEnv = process.env): Promise<'signed-out' | 'not-signed-in'> {
  const t = readToken(s.cacheKey, env);
  if (!t) return 'not-signed-in';
  const client = ssoClient(s, env);
  try {
    if (Date.parse(t.expiresAt) > Date.now()) await client.send(new LogoutCommand({ accessToken: t.accessToken }));
  } catch (e) {
    // An already-invalid token is as good as logged out; anything else is worth saying.
    if (!(e instanceof UnauthorizedException)) throw e;
  } finally {
    client.destroy();
    deleteToken(s.cacheKey, env);
  }
  return 'signed-out';
}
