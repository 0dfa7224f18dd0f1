/**
 * The SSO token cache, in the AWS CLI's format and place (~/.aws/sso/cache/<key>.json), so a
 * sign-in here works for the AWS CLI and every SDK, and theirs works here. Client registrations
 * are cached beside it. Files are written 0600 via a temp file and rename: a crash never leaves a
 * half-written token, and no other user can read one.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface SsoTokenFile {
  startUrl: string;
  region: string;
  accessToken: string;
  expiresAt: string;
  clientId?: string;
  clientSecret?: string;
  registrationExpiresAt?: string;
  refreshToken?: string;
}

export interface Registration {
  clientId: string;
  clientSecret: string;
  expiresAt: string;
  scopes: string[];
}

/** Same home the SDK's getHomeDir uses (HOME first), so both read one cache. */
export function ssoCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.HOME || env.USERPROFILE || homedir(), '.aws', 'sso', 'cache');
}

/** The CLI writes `2026-12-02T10:00:00Z`: ISO 8601 UTC without milliseconds. */
export const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function writeJson(file: string, dir: string, value: unknown): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export function tokenPath(cacheKey: string, env?: NodeJS.ProcessEnv): string {
  return join(ssoCacheDir(env), `${cacheKey}.json`);
}

export function readToken(cacheKey: string, env?: NodeJS.ProcessEnv): SsoTokenFile | undefined {
  const t = readJson<SsoTokenFile>(tokenPath(cacheKey, env));
  return t && typeof t.accessToken === 'string' && typeof t.expiresAt === 'string' ? t : undefined;
}

export function writeToken(cacheKey: string, token: SsoTokenFile, env?: NodeJS.ProcessEnv): void {
  writeJson(tokenPath(cacheKey, env), ssoCacheDir(env), token);
}

export function deleteToken(cacheKey: string, env?: NodeJS.ProcessEnv): void {
  rmSync(tokenPath(cacheKey, env), { force: true });
}

/** One registration per start URL, region, scopes, session and grant, as the CLI keys them. */
function registrationPath(key: { startUrl: string; region: string; scopes: string[]; sessionName?: string; grant: string }, env?: NodeJS.ProcessEnv): string {
  const id = JSON.stringify({ tool: 'ahi-onboard', ...key, scopes: [...key.scopes].sort() });
  return join(ssoCacheDir(env), `${createHash('sha1').update(id).digest('hex')}.json`);
}

export function readRegistration(key: Parameters<typeof registrationPath>[0], now: number, env?: NodeJS.ProcessEnv): Registration | undefined {
  const r = readJson<Registration>(registrationPath(key, env));
  // A registration about to expire is not reused: the token it would mint could not be refreshed.
  return r && typeof r.clientId === 'string' && Date.parse(r.expiresAt) > now + 15 * 60_000 ? r : undefined;
}

export function writeRegistration(key: Parameters<typeof registrationPath>[0], r: Registration, env?: NodeJS.ProcessEnv): void {
  writeJson(registrationPath(key, env), ssoCacheDir(env), r);
}
