/**
 * Which Identity Center a profile signs in to, read the way the AWS CLI reads it: `sso_session`
 * pointing at an `[sso-session NAME]` section, or the legacy `sso_start_url`/`sso_region` on the
 * profile itself. The cache key follows the CLI too, so its token files and ours are the same files.
 */
import { createHash } from 'node:crypto';
import { profileSection, type SharedConfig } from '../shared-config';

export interface SsoSettings {
  profile: string;
  /** Absent for legacy profiles. */
  sessionName?: string;
  startUrl: string;
  region: string;
  scopes: string[];
  accountId?: string;
  roleName?: string;
  /** sha1 hex of the session name (legacy: of the start URL): the token file's name. */
  cacheKey: string;
}

export class SsoConfigError extends Error {}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

export function resolveSsoSettings(config: SharedConfig, profile: string): SsoSettings {
  const section = profileSection(config, profile);
  if (!section) throw new SsoConfigError(`Profile '${profile}' is not in the AWS config file.`);
  const extra = {
    ...(section.sso_account_id ? { accountId: section.sso_account_id } : {}),
    ...(section.sso_role_name ? { roleName: section.sso_role_name } : {}),
  };
  const sessionName = section.sso_session;
  if (sessionName) {
    const s = config.configFile[`sso-session.${sessionName}`];
    if (!s) throw new SsoConfigError(`Profile '${profile}' names sso_session '${sessionName}', but the config file has no [sso-session ${sessionName}] section.`);
    if (!s.sso_start_url) throw new SsoConfigError(`[sso-session ${sessionName}] needs sso_start_url.`);
    if (!s.sso_region) throw new SsoConfigError(`[sso-session ${sessionName}] needs sso_region.`);
    const scopes = (s.sso_registration_scopes ?? 'sso:account:access').split(',').map((x) => x.trim()).filter(Boolean);
    return { profile, sessionName, startUrl: s.sso_start_url, region: s.sso_region, scopes, cacheKey: sha1(sessionName), ...extra };
  }
  if (section.sso_start_url) {
    if (!section.sso_region) throw new SsoConfigError(`Profile '${profile}' has sso_start_url but no sso_region.`);
    return { profile, startUrl: section.sso_start_url, region: section.sso_region, scopes: ['sso:account:access'], cacheKey: sha1(section.sso_start_url), ...extra };
  }
  throw new SsoConfigError(`Profile '${profile}' is not an IAM Identity Center profile (it has neither sso_session nor sso_start_url).`);
}
