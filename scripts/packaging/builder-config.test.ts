// The packaging config is checked against electron-builder's own JSON schema (the one it ships
// and validates with), so a misspelt option fails here instead of being ignored or failing a
// release build on another OS. The policy tests pin the promises the config makes to users.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { buildMode, builderConfig, loadReleaseConfig } from '../../electron-builder.config.mjs';

const require = createRequire(import.meta.url);

function compileBuilderSchema(): ValidateFunction {
  const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
  // strict:false only because the schema uses electron-builder's own "typeof" keyword; unlike
  // electron-builder we do not coerce types, so "true" is not accepted for true.
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
}

const validate = compileBuilderSchema();
function schemaErrors(config: unknown): string[] {
  return validate(config) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

const release = loadReleaseConfig();

describe('electron-builder config against electron-builder\'s JSON schema', () => {
  it('accepts the release config and the E2E test-build config', () => {
    expect(schemaErrors(release)).toEqual([]);
    expect(schemaErrors(builderConfig({ E2E_BUILD: '1' }))).toEqual([]);
  });

  it.each([
    ['a misspelt top-level key', { ...release, fiels: ['out/**/*'] }, 'fiels'],
    ['a misspelt NSIS option', { ...release, nsis: { ...release.nsis, oneclick: false } }, 'oneclick'],
    ['a misspelt fuse', { ...release, electronFuses: { ...release.electronFuses, enableNodeCliInspectArgument: false } }, 'enableNodeCliInspectArgument'],
  ])('rejects %s', (_label, config, key) => {
    const errors = schemaErrors(config);
    expect(errors.join('\n')).toContain(`"additionalProperty":"${key}"`);
  });

  it('rejects a value of the wrong type instead of coercing it', () => {
    expect(schemaErrors({ ...release, asar: 'true' })).not.toEqual([]);
  });
});

describe('release packaging policy', () => {
  it('flips every security fuse in release builds', () => {
    expect(release.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(release.asar).toBe(true);
  });

  it('publishes nothing unless configured', () => {
    expect(release).toHaveProperty('publish', null);
  });

  it('installs per user on Windows with a choosable folder', () => {
    expect(release.nsis).toMatchObject({ oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true });
  });

  it('targets AppImage + deb, dmg for x64 and arm64, and NSIS', () => {
    expect(release.linux?.target).toEqual(['AppImage', 'deb']);
    expect(release.mac?.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(release.mac?.category).toBe('public.app-category.medical');
    expect(release.win?.target).toEqual([{ target: 'nsis', arch: ['x64'] }]);
  });
});

describe('E2E test builds', () => {
  it('differ from release only by the inspect fuse and where they are written', () => {
    const e2e = builderConfig({ E2E_BUILD: '1' });
    expect(e2e.electronFuses).toEqual({ ...release.electronFuses, enableNodeCliInspectArguments: true });
    expect(e2e.directories?.output).not.toBe(release.directories?.output);
    const { electronFuses: _a, directories: _b, artifactName: _c, ...rest } = e2e;
    const { electronFuses: _d, directories: _e, artifactName: _f, ...releaseRest } = release;
    expect(rest).toEqual(releaseRest);
  });

  it('are off unless E2E_BUILD is exactly "1", and a typo is refused rather than guessed', () => {
    expect(buildMode({})).toBe('release');
    expect(buildMode({ E2E_BUILD: '0' })).toBe('release');
    expect(buildMode({ E2E_BUILD: '1' })).toBe('e2e');
    expect(() => buildMode({ E2E_BUILD: 'true' })).toThrow(/E2E_BUILD must be "1"/);
    expect(builderConfig({}).electronFuses?.enableNodeCliInspectArguments).toBe(false);
  });
});
