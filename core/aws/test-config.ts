/** Test helper: temporary AWS shared config/credentials files and the env that points at them. */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TempAwsConfig {
  dir: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function writeTempAwsConfig(config: string, credentials = ''): TempAwsConfig {
  const dir = mkdtempSync(join(tmpdir(), 'ahi-aws-'));
  mkdirSync(join(dir, '.aws'), { recursive: true });
  const configFile = join(dir, '.aws', 'config');
  const credentialsFile = join(dir, '.aws', 'credentials');
  writeFileSync(configFile, config);
  writeFileSync(credentialsFile, credentials);
  return {
    dir,
    env: { HOME: dir, AWS_CONFIG_FILE: configFile, AWS_SHARED_CREDENTIALS_FILE: credentialsFile },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The sandbox a test's SSO profile points at (account, region, the one URL of every service). */
export interface SsoSandbox {
  accountId: string;
  region: string;
  url: string;
}

/**
 * Config text for an `sso_session` profile against the sandbox's Identity Center stand-in and its
 * `[sso-session]` section, the way `aws configure sso` writes them.
 */
export function ssoProfileConfig(sb: SsoSandbox, o: { profile: string; session: string; startUrl: string; roleName?: string }): string {
  return `[profile ${o.profile}]
sso_session = ${o.session}
sso_account_id = ${sb.accountId}
sso_role_name = ${o.roleName ?? 'ImagingAdmin'}
region = ${sb.region}
endpoint_url = ${sb.url}

[sso-session ${o.session}]
sso_start_url = ${o.startUrl}
sso_region = ${sb.region}
`;
}
