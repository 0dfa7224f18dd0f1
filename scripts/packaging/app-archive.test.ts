// What users install: the real project packed by electron-builder with the config `npm run dist`
// uses, against a stand-in Electron (nothing downloaded). Then app.asar is listed and checked:
// the built app is all there, nothing else of ours is, dev dependencies are not, the main
// process's imports load from the packaged node_modules, and the release fuses are in the binary.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReleaseConfig } from '../../electron-builder.config.mjs';
import { moduleImports } from '../bundle-size.mjs';
import { BUILT, PROJECT_ROOT, ensureBuilt } from '../lib/ensure-built';
import { type PackedApp, asar, packWithStandInElectron } from './pack-app';

const CONFIG_FILE = path.join(PROJECT_ROOT, 'electron-builder.config.mjs');
const workDir = mkdtempSync(path.join(tmpdir(), 'app-archive-'));
let packed: PackedApp;

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

function localFiles(dir: string): string[] {
  return readdirSync(path.join(PROJECT_ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => '/' + path.relative(PROJECT_ROOT, path.join(d.parentPath, d.name)).split(path.sep).join('/'));
}

function packageOf(entry: string): string | null {
  return /^.*\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(entry)?.[1] ?? null;
}

beforeAll(async () => {
  await ensureBuilt();
  packed = await packWithStandInElectron(PROJECT_ROOT, CONFIG_FILE, workDir);
  const byPackage = new Map<string, number>();
  for (const [file, size] of packed.files) {
    const key = packageOf(file) ?? file.split('/')[1]!;
    byPackage.set(key, (byPackage.get(key) ?? 0) + size);
  }
  const largest = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(
    [
      `app.asar: ${mb(packed.asarBytes)} (${packed.asarBytes} bytes), ${packed.files.size} files`,
      `largest parts: ${largest.map(([name, size]) => `${name} ${mb(size)}`).join(', ')}`,
    ].join('\n'),
  );
}, 300_000);

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('app.asar packed by electron-builder', () => {
  it('holds the built main, preload and renderer: every file of out/ except source maps and the command line build', () => {
    for (const file of Object.values(BUILT)) expect(packed.files.has(`/${file}`), file).toBe(true);
    // out/cli/ is `ahi-onboard` (scripts/build-cli.mjs), shipped by npm, not inside the desktop app.
    const expected = localFiles('out').filter((f) => !f.endsWith('.map') && !f.startsWith('/out/cli/'));
    const packedOut = [...packed.files.keys()].filter((f) => f.startsWith('/out/'));
    expect(packedOut.sort()).toEqual(expected.sort());
    expect(packed.files.has('/out/main/assets/amazon-healthimaging-onboard-datastore-and-import-workflow.yml')).toBe(true);
  });

  it('holds nothing of the project but out/, package.json, the window icon and node_modules', () => {
    const ours = [...packed.files.keys()].filter((f) => !f.startsWith('/node_modules/') && !f.startsWith('/out/'));
    expect(ours.sort()).toEqual(['/assets/icons/icon.png', '/package.json']);
    const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(packed.files.has(`/${manifest.main}`)).toBe(true);
  });

  it('holds no tests, e2e specs, fixtures, source maps, TypeScript sources or DICOM test data', () => {
    const offending = packed.entries.filter(
      (e) =>
        /\.(test|spec)\.[cm]?[jt]sx?$/.test(e) ||
        /\/(e2e|test|tests|__tests__|__fixtures__|__mocks__)(\/|$)/.test(e) ||
        /\.(map|ts|mts|cts|tsx|dcm)$/.test(e) ||
        /^\/(sandbox|core|electron|renderer|contract|cli|e2e|scripts|bench)(\/|$)/.test(e),
    );
    expect(offending).toEqual([]);
  });

  it('holds no dev dependency and no native code', () => {
    const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const devOnly = new Set(Object.keys(manifest.devDependencies));
    for (const sample of ['vitest', 'electron-vite', 'playwright-core', 'electron', 'electron-builder', 'typescript']) expect(devOnly.has(sample)).toBe(true);
    const packages = new Set(packed.entries.map(packageOf).filter((p): p is string => p !== null));
    expect([...packages].filter((p) => devOnly.has(p))).toEqual([]);
    // the CLI's TypeScript runner and its native esbuild binary stay out of the app
    expect([...packages].filter((p) => ['tsx', 'esbuild'].includes(p) || p.startsWith('@esbuild/'))).toEqual([]);
    expect(packed.entries.filter((e) => e.endsWith('.node'))).toEqual([]);
    expect(readdirSync(path.dirname(packed.asarPath))).not.toContain('app.asar.unpacked');
  });

  it('lets the main process load every package it imports from the packaged node_modules', () => {
    const mainCode = readFileSync(path.join(PROJECT_ROOT, BUILT.main), 'utf8');
    const { staticImports, dynamicImports } = moduleImports(mainCode, BUILT.main);
    const builtins = new Set(builtinModules);
    const external = [...new Set([...staticImports, ...dynamicImports])].filter(
      (s) => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:') && !builtins.has(s) && s !== 'electron',
    );
    expect(external.length).toBeGreaterThan(0);

    const extracted = path.join(workDir, 'extracted');
    asar.extractAll(packed.asarPath, extracted);
    // Resolved and loaded by Node from inside the packaged tree, exactly as main's imports are.
    const probe = path.join(extracted, 'out', 'main', 'probe-imports.mjs');
    writeFileSync(probe, `const failed = [];\nfor (const spec of ${JSON.stringify(external)}) {\n  try { await import(spec); } catch (e) { failed.push(spec + ': ' + e.message); }\n}\nconsole.log(JSON.stringify(failed));\n`);
    const run = spawnSync(process.execPath, [probe], { cwd: path.dirname(probe), encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout.trim().split('\n').pop() ?? '[]')).toEqual([]);
  }, 120_000);

  it('flips the release fuses in the Electron binary', () => {
    const release = loadReleaseConfig();
    expect(packed.fuses).toEqual(release.electronFuses);
    expect(packed.fuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });
});
