// The config electron-builder reads (`npm run dist`). Release builds use electron-builder.yml
// unchanged. E2E_BUILD=1 makes a test build whose one difference that matters is the inspect
// fuse left on, because Playwright's `_electron.launch` attaches through --inspect; it goes to
// its own output folder and artifact name so a test build is never mistaken for a release.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const RELEASE_CONFIG_PATH = fileURLToPath(new URL('./electron-builder.yml', import.meta.url));

/** @returns {Record<string, any>} the release configuration exactly as written in the yml. */
export function loadReleaseConfig(path = RELEASE_CONFIG_PATH) {
  const config = parse(readFileSync(path, 'utf8'));
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new Error(`${path}: expected a mapping of electron-builder options at the top level`);
  }
  return config;
}

/**
 * Reads E2E_BUILD strictly: anything but unset, "0" or "1" is a mistake we refuse rather than
 * silently guessing which kind of binary someone wanted.
 * @param {Record<string, string | undefined>} env
 * @returns {'release' | 'e2e'}
 */
export function buildMode(env) {
  const value = env.E2E_BUILD;
  if (value === undefined || value === '' || value === '0') return 'release';
  if (value === '1') return 'e2e';
  throw new Error(`E2E_BUILD must be "1" (test build, inspect fuse on) or "0"/unset (release build); got ${JSON.stringify(value)}`);
}

/**
 * @param {Record<string, string | undefined>} [env]
 * @param {Record<string, any>} [release]
 */
export function builderConfig(env = process.env, release = loadReleaseConfig()) {
  if (buildMode(env) === 'release') return release;
  return {
    ...release,
    artifactName: '${name}-${version}-e2e-${os}-${arch}.${ext}',
    directories: { ...release.directories, output: 'release/e2e' },
    electronFuses: { ...release.electronFuses, enableNodeCliInspectArguments: true },
  };
}

export default builderConfig();
