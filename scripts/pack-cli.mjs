#!/usr/bin/env node
// Packs `ahi-onboard` as an npm tarball that installs with no network: `npm i -g ./<tarball>`.
// The files are exactly those package.json "files" gives a plain `npm pack` (npm's own dry run
// lists them, so npm's rules decide), and the manifest is package.json without the desktop app's
// dependencies: out/cli/ bundles everything the command runs (scripts/build-cli.mjs), and a
// manifest listing them would make npm download the whole app's tree at install time.
// Usage: node scripts/pack-cli.mjs [--pack-destination DIR]   (npm run pack:cli builds first)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
/** Manifest fields that only the desktop app and the clone use; an installed command has no use for them. */
const APP_ONLY_FIELDS = ['main', 'scripts', 'dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'bundleDependencies', 'bundledDependencies'];

function npm(args, cwd) {
  // shell on Windows: npm is npm.cmd there, and Node 20.12+ spawns .cmd files only through a shell.
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', shell: process.platform === 'win32', env: { ...process.env, npm_config_loglevel: 'error' } });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout)[0];
}

const { values } = parseArgs({ options: { 'pack-destination': { type: 'string', default: root } } });
const destination = resolve(values['pack-destination']);
if (!existsSync(join(root, 'out', 'cli', 'main.js'))) {
  console.error('pack-cli: out/cli/main.js is missing; build the command first (npm run build:cli), or use npm run pack:cli');
  process.exit(1);
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const listed = npm(['pack', '--dry-run', '--json', '--ignore-scripts'], root).files.map((f) => f.path);
const stage = mkdtempSync(join(tmpdir(), 'ahi-onboard-pack-'));
try {
  for (const file of listed) {
    if (file === 'package.json') continue;
    mkdirSync(dirname(join(stage, file)), { recursive: true });
    copyFileSync(join(root, file), join(stage, file));
  }
  for (const field of APP_ONLY_FIELDS) delete manifest[field];
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  mkdirSync(destination, { recursive: true });
  const packed = npm(['pack', '--json', '--pack-destination', destination], stage);
  const tarball = join(destination, packed.filename);
  console.log(`${tarball}: ${(statSync(tarball).size / 1024).toFixed(0)} KB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KB unpacked, ${packed.files.length} files, no dependencies`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
