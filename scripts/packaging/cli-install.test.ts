// What a user of the command line installs: the tarball `npm run pack:cli` writes, installed
// globally into a temporary prefix with no network (npm offline, an empty cache, a registry that
// refuses connections), then run from a folder outside the repository with a clean environment:
// no AWS settings, HOME a fresh folder, PATH only where node is.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../lib/ensure-built';
import { ensureCliBuilt } from '../lib/ensure-cli-built';

const work = mkdtempSync(path.join(tmpdir(), 'cli-install-'));
const prefix = path.join(work, 'prefix');
const home = path.join(work, 'home');
const outside = path.join(work, 'somewhere');
const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const tarball = path.join(work, `${manifest.name}-${manifest.version}.tgz`);
const win = process.platform === 'win32';
// npm puts global commands in PREFIX/bin on POSIX and in PREFIX itself on Windows.
const command = win ? path.join(prefix, 'ahi-onboard.cmd') : path.join(prefix, 'bin', 'ahi-onboard');
const installedPackage = win ? path.join(prefix, 'node_modules', manifest.name) : path.join(prefix, 'lib', 'node_modules', manifest.name);

/** Nothing from the machine running the tests: no AWS_*, no npm settings, no data folders. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: path.dirname(process.execPath), HOME: home, USERPROFILE: home, NO_COLOR: '1', ...extra };
  if (win) env.SystemRoot = process.env.SystemRoot;
  return env;
}

function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeout?: number }): SpawnSyncReturns<string> {
  // shell on Windows: npm and the installed command are .cmd files there.
  return spawnSync(cmd, args, { cwd: opts.cwd, env: opts.env, encoding: 'utf8', timeout: opts.timeout ?? 120_000, shell: win });
}

function tarEntries(file: string): string[] {
  const r = spawnSync('tar', ['-tzf', file], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

beforeAll(async () => {
  await ensureCliBuilt();
  for (const dir of [prefix, home, outside]) mkdirSync(dir, { recursive: true });
  const pack = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'pack-cli.mjs'), '--pack-destination', work], { cwd: PROJECT_ROOT, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`pack-cli failed:\n${pack.stdout}\n${pack.stderr}`);
  console.log(pack.stdout.trim());
  const npmCli = path.join(path.dirname(process.execPath), win ? 'npm.cmd' : 'npm');
  const install = run(existsSync(npmCli) ? npmCli : 'npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], {
    cwd: outside,
    env: cleanEnv({ npm_config_cache: path.join(work, 'npm-cache'), npm_config_registry: 'http://127.0.0.1:9', npm_config_update_notifier: 'false' }),
  });
  if (install.status !== 0) throw new Error(`npm install --global failed:\n${install.stdout}\n${install.stderr}`);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the ahi-onboard tarball', () => {
  it('holds only the command: bin, the built JavaScript, the bundled workflow, README and a manifest without dependencies', () => {
    const entries = tarEntries(tarball).map((e) => e.replace(/^package\//, ''));
    expect(entries).toContain('bin/ahi-onboard.mjs');
    expect(entries).toContain('out/cli/main.js');
    expect(entries).toContain('assets/amazon-healthimaging-onboard-datastore-and-import-workflow.yml');
    const unexpected = entries.filter((e) => !['package.json', 'README.md', 'bin/ahi-onboard.mjs', 'assets/amazon-healthimaging-onboard-datastore-and-import-workflow.yml'].includes(e) && !/^out\/cli\/[\w-]+\.js$/.test(e));
    expect(unexpected).toEqual([]);
    const installed = JSON.parse(readFileSync(path.join(installedPackage, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(installed).toMatchObject({ name: manifest.name, version: manifest.version, bin: { 'ahi-onboard': 'bin/ahi-onboard.mjs' } });
    for (const field of ['dependencies', 'devDependencies', 'scripts', 'main']) expect(installed, field).not.toHaveProperty(field);
    // Self-contained: npm installed nothing beside it, and every module the installed JavaScript
    // imports or requires is one of its own chunks or a Node built-in.
    expect(existsSync(path.join(installedPackage, 'node_modules'))).toBe(false);
    const outCli = path.join(installedPackage, 'out', 'cli');
    const specifiers = readdirSync(outCli).flatMap((f) => [...readFileSync(path.join(outCli, f), 'utf8').matchAll(/(?:\bfrom |\bimport\(|\b__require\()"([^"]+)"/g)].map((m) => m[1]!));
    expect(specifiers.length).toBeGreaterThan(100);
    const builtins = new Set(builtinModules);
    expect([...new Set(specifiers.filter((s) => !s.startsWith('./') && !builtins.has(s.replace(/^node:/, ''))))]).toEqual([]);
  });

  it('installed offline, `ahi-onboard --version` runs from outside the repository', () => {
    const r = run(command, ['--version'], { cwd: outside, env: cleanEnv() });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`ahi-onboard ${manifest.version}\n`);
    expect(r.status).toBe(0);
  });

  it('`ahi-onboard run --sandbox --inputs F` onboards end to end, says Succeeded and writes the report', () => {
    writeFileSync(path.join(outside, 'inputs.json'), JSON.stringify({ datastoreName: 'installed-cli-check' }));
    const r = run(command, ['run', '--sandbox', '--inputs', 'inputs.json', '--report', 'report.json'], { cwd: outside, env: cleanEnv(), timeout: 120_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^== Succeeded: (\d+) of \1 files imported, 0 failed$/);
    const report = JSON.parse(readFileSync(path.join(outside, 'report.json'), 'utf8')) as { status: string; inputs: { datastoreName: string }; outputs: { jobStatus: string } };
    expect(report).toMatchObject({ status: 'succeeded', inputs: { datastoreName: 'installed-cli-check' }, outputs: { jobStatus: 'COMPLETED' } });
    // The run and the sandbox's state live in the user's data folder (under the fresh HOME), not in the repository.
    const dataDir = win ? path.join(home, 'AppData', 'Local', 'ahi-onboard') : process.platform === 'darwin' ? path.join(home, 'Library', 'Application Support', 'ahi-onboard') : path.join(home, '.local', 'share', 'ahi-onboard');
    expect(readdirSync(path.join(dataDir, 'sandbox-runs')).length).toBe(1);
  }, 120_000);
});
