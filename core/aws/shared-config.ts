/**
 * Reads ~/.aws/config and ~/.aws/credentials (or AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE)
 * with the SDK's own parser, so our view of profiles is exactly the SDK's.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';

export type IniSection = Record<string, string | undefined>;

export interface SharedConfig {
  /** Keys: profile names, plus `sso-session.NAME` and `services.NAME` sections. */
  configFile: Record<string, IniSection>;
  credentialsFile: Record<string, IniSection>;
}

export function configFilePaths(env: NodeJS.ProcessEnv = process.env): { configFilepath: string; filepath: string } {
  const home = env.HOME || env.USERPROFILE || homedir();
  return {
    configFilepath: env.AWS_CONFIG_FILE || join(home, '.aws', 'config'),
    filepath: env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials'),
  };
}

/** Always re-reads the files (ignoreCache): a user who edits them and refreshes must see the change. */
export async function readSharedConfig(env: NodeJS.ProcessEnv = process.env): Promise<SharedConfig> {
  const files = await loadSharedConfigFiles({ ...configFilePaths(env), ignoreCache: true });
  return { configFile: files.configFile as SharedConfig['configFile'], credentialsFile: files.credentialsFile as SharedConfig['credentialsFile'] };
}

const NON_PROFILE_PREFIXES = ['sso-session.', 'services.'];

export function profileNames(config: SharedConfig): string[] {
  const names = new Set<string>();
  for (const key of Object.keys(config.configFile)) {
    if (!NON_PROFILE_PREFIXES.some((p) => key.startsWith(p))) names.add(key);
  }
  for (const key of Object.keys(config.credentialsFile)) names.add(key);
  return [...names];
}

/** One profile's settings, merged as the SDK's fromIni merges them (credentials file wins). */
export function profileSection(config: SharedConfig, name: string): IniSection | undefined {
  const fromConfig = config.configFile[name];
  const fromCredentials = config.credentialsFile[name];
  if (!fromConfig && !fromCredentials) return undefined;
  return { ...fromConfig, ...fromCredentials };
}

/** The profile a call means when it names none: AWS_PROFILE, else `default` (as the SDK does). */
export function effectiveProfileName(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return profile || env.AWS_PROFILE || 'default';
}
