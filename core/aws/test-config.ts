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
