/**
 * Lists the AWS profiles a user can choose, with what kind of credentials each holds.
 * Only names, regions and kinds leave this module: never keys, tokens or role session secrets.
 */
import { profileNames, profileSection, readSharedConfig, type IniSection, type SharedConfig } from './shared-config';
import { profileConfiguredEndpoint } from './endpoints';
import type { CredentialKind as ContractCredentialKind } from '../../contract/ipc';

/** The kinds a profile can be; the contract's list adds the sandbox entry. */
export type CredentialKind = Exclude<ContractCredentialKind, 'sandbox'>;

export interface AwsProfileInfo {
  name: string;
  region?: string;
  kind: CredentialKind;
  /** True when assuming the role asks for an MFA code (mfa_serial is set). */
  mfa: boolean;
  /** The HealthImaging endpoint this profile's own configuration sets (services section or endpoint_url). */
  customEndpoint?: string;
}

const has = (s: IniSection, key: string) => typeof s[key] === 'string' && s[key] !== '';

/** Same order of tests as the SDK's fromIni (resolveProfileData), so the kind is what will be used. */
export function credentialKind(section: IniSection): CredentialKind {
  if (has(section, 'role_arn') && (has(section, 'source_profile') || has(section, 'credential_source'))) return 'assume-role';
  if (has(section, 'aws_access_key_id') && has(section, 'aws_secret_access_key')) return 'static';
  if (has(section, 'web_identity_token_file') && has(section, 'role_arn')) return 'web-identity';
  if (has(section, 'credential_process')) return 'process';
  if (['sso_start_url', 'sso_account_id', 'sso_session', 'sso_region', 'sso_role_name'].some((k) => has(section, k))) return 'sso';
  return 'unknown';
}

export function describeProfiles(config: SharedConfig): AwsProfileInfo[] {
  return profileNames(config)
    .map((name): AwsProfileInfo => {
      const section = profileSection(config, name) ?? {};
      const endpoint = safeEndpoint(() => profileConfiguredEndpoint(config, name, 'medicalImaging'));
      return {
        name,
        ...(section.region ? { region: section.region } : {}),
        kind: credentialKind(section),
        mfa: has(section, 'mfa_serial'),
        ...(endpoint ? { customEndpoint: endpoint } : {}),
      };
    })
    .sort((a, b) => (a.name === 'default' ? -1 : b.name === 'default' ? 1 : a.name.localeCompare(b.name)));
}

/** A broken services reference should not hide the profile from the list; the run will report it. */
function safeEndpoint(f: () => string | undefined): string | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

export async function listProfiles(env: NodeJS.ProcessEnv = process.env): Promise<AwsProfileInfo[]> {
  return describeProfiles(await readSharedConfig(env));
}
