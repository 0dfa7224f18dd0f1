/**
 * Packs the real project with electron-builder itself (its own file rules, its own production
 * dependency collection, its own asar writer and fuse flipper) but against a stand-in Electron,
 * so nothing is downloaded: `electronDist` points at a folder whose `electron` "binary" is a few
 * bytes carrying Electron's fuse wire (the sentinel @electron/fuses looks for, then the wire
 * version, its length and one state byte per fuse). Only the Linux `dir` target runs: it needs
 * no external tool, and which files go into app.asar does not depend on the target.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Fuse names in wire order (FuseV1Options in @electron/fuses). */
export const FUSE_NAMES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;
export type FuseName = (typeof FUSE_NAMES)[number];
export type FuseWire = Record<FuseName, boolean>;

/** Electron's own defaults, as an unmodified Electron binary ships them. */
const ELECTRON_DEFAULT_WIRE: FuseWire = {
  runAsNode: true,
  enableCookieEncryption: false,
  enableNodeOptionsEnvironmentVariable: true,
  enableNodeCliInspectArguments: true,
  enableEmbeddedAsarIntegrityValidation: false,
  onlyLoadAppFromAsar: false,
  loadBrowserProcessSpecificV8Snapshot: false,
  grantFileProtocolExtraPrivileges: true,
};

function fuseSentinel(): string {
  return (require('@electron/fuses/dist/constants') as { SENTINEL: string }).SENTINEL;
}

/** A stand-in for an unpacked Linux Electron: a dummy executable with a real fuse wire. */
export function makeStandInElectronDist(dir: string): string {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const states = FUSE_NAMES.map((name) => (ELECTRON_DEFAULT_WIRE[name] ? '1' : '0')).join('');
  const binary = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in Electron for packaging tests"\nexit 1\n'),
    Buffer.from(fuseSentinel(), 'latin1'),
    Buffer.from([1, FUSE_NAMES.length]),
    Buffer.from(states, 'latin1'),
  ]);
  writeFileSync(path.join(dir, 'electron'), binary, { mode: 0o755 });
  writeFileSync(path.join(dir, 'LICENSE'), 'stand-in');
  return dir;
}

/** Reads the fuse wire of a (stand-in) Electron binary the way @electron/fuses does. */
export function readFuseWire(binaryPath: string): FuseWire {
  const data = readFileSync(binaryPath);
  const sentinel = fuseSentinel();
  const at = data.indexOf(sentinel, 0, 'latin1');
  if (at < 0) throw new Error(`${binaryPath}: no fuse wire`);
  const wire = at + sentinel.length;
  const length = data[wire + 1] ?? 0;
  const result = {} as FuseWire;
  FUSE_NAMES.forEach((name, i) => {
    if (i >= length) throw new Error(`${binaryPath}: fuse wire too short for ${name}`);
    const state = String.fromCharCode(data[wire + 2 + i]!);
    if (state !== '0' && state !== '1') throw new Error(`${binaryPath}: fuse ${name} is in state ${JSON.stringify(state)}`);
    result[name] = state === '1';
  });
  return result;
}

export interface PackedApp {
  appOutDir: string;
  asarPath: string;
  asarBytes: number;
  /** Entries of app.asar, files and folders, each starting with '/'. */
  entries: string[];
  /** Files of app.asar with their sizes. */
  files: Map<string, number>;
  executablePath: string;
  fuses: FuseWire;
  /** What electron-builder logged, for diagnosing a failure. */
  log: string[];
}

interface AsarModule {
  listPackage(archive: string, options?: { isPack: boolean }): string[];
  statFile(archive: string, filename: string, followLinks?: boolean): { size?: number; files?: unknown } & Record<string, unknown>;
  extractAll(archive: string, dest: string): void;
}
export const asar = require('@electron/asar') as AsarModule;

/**
 * Packs `projectRoot` with the electron-builder config file `configFile` (the same file
 * `npm run dist` uses) into a fresh folder under `workDir`, against a stand-in Electron.
 */
export async function packWithStandInElectron(projectRoot: string, configFile: string, workDir = mkdtempSync(path.join(tmpdir(), 'pack-app-'))): Promise<PackedApp> {
  const { build, Platform, Arch } = (await import('electron-builder')) as typeof import('electron-builder');
  const builderUtil = require(require.resolve('builder-util', { paths: [require.resolve('electron-builder')] })) as { setPrinter(p: ((m: string) => void) | null): void };
  const electronDist = makeStandInElectronDist(path.join(workDir, 'electron-dist'));
  const output = path.join(workDir, 'release');
  const log: string[] = [];
  builderUtil.setPrinter((message) => log.push(message));
  try {
    await build({
      projectDir: projectRoot,
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      publish: 'never',
      // `extends` names the config file; the rest is merged over it, as `-c.key=value` would be.
      config: { extends: configFile, electronDist, directories: { output } },
    });
  } catch (error) {
    throw new Error(`electron-builder failed: ${error instanceof Error ? error.message : String(error)}\n${log.join('')}`);
  } finally {
    builderUtil.setPrinter(null);
  }
  const appOutDir = path.join(output, 'linux-unpacked');
  const asarPath = path.join(appOutDir, 'resources', 'app.asar');
  const entries = asar.listPackage(asarPath, { isPack: false }).map((e) => e.split(path.sep).join('/'));
  const files = new Map<string, number>();
  for (const entry of entries) {
    const stat = asar.statFile(asarPath, entry.slice(1));
    if (typeof stat.size === 'number' && !('files' in stat)) files.set(entry, stat.size);
  }
  // electron-builder renames the `electron` executable to the app's executable name.
  const executables = readdirSync(appOutDir, { withFileTypes: true }).filter((d) => d.isFile() && (statSync(path.join(appOutDir, d.name)).mode & 0o111) !== 0);
  if (executables.length !== 1) throw new Error(`expected one executable in ${appOutDir}, found ${executables.map((d) => d.name).join(', ') || 'none'}`);
  const executablePath = path.join(appOutDir, executables[0]!.name);
  return { appOutDir, asarPath, asarBytes: statSync(asarPath).size, entries, files, executablePath, fuses: readFuseWire(executablePath), log };
}
