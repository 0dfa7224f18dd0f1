/**
 * `--runs-dir` must be a folder on a real disk. /proc, /sys, /dev and the kernel's other special
 * file systems take a mkdir or a write in odd ways (or not at all), and a run that finds out only
 * after it created a data store has nowhere to record it. So the folder is checked before anything
 * starts: the nearest part of the path that exists is resolved (symlinks too) and looked at.
 */
import { realpathSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import type { Command } from './args';
import { UsageError } from './exit-codes';

/** Linux f_type of the special file systems (linux/magic.h). */
const SPECIAL_FS: Record<number, string> = {
  0x9fa0: 'proc',
  0x62656572: 'sysfs',
  0x1cd1: 'devpts',
  0x27e0eb: 'cgroup',
  0x63677270: 'cgroup2',
  0x64626720: 'debugfs',
  0x74726163: 'tracefs',
  0x73636673: 'securityfs',
  0xcafe4a11: 'bpf',
  0x6165676c: 'pstore',
  0xde5e81e4: 'efivarfs',
  0x62656570: 'configfs',
  0x65735543: 'fusectl',
  0x42494e4d: 'binfmt_misc',
  0xf97cff8c: 'selinuxfs',
  0x19800202: 'mqueue',
};
/** Where those live by convention; /dev is a tmpfs that statfs cannot tell from /tmp. */
const SPECIAL_ROOTS = ['/proc', '/sys', '/dev'];

/** The deepest part of `path` that exists, with symlinks resolved. */
function existingAncestor(path: string): string {
  for (let p = path; ; p = dirname(p)) {
    try {
      return realpathSync(p);
    } catch {
      if (dirname(p) === p) return p;
    }
  }
}

/** Throws a UsageError when `dir` cannot hold run logs; returns quietly otherwise. */
export function checkRunsDir(dir: string, platform: NodeJS.Platform = process.platform): void {
  const wanted = resolve(dir);
  const real = existingAncestor(wanted);
  const refuse = (why: string) =>
    new UsageError(`--runs-dir ${dir} ${why}: run logs need a folder on a disk.`, 'Pass --runs-dir DIR with a folder under your home directory, or leave it out for the default.');
  if (platform !== 'win32') {
    const root = SPECIAL_ROOTS.find((r) => real === r || real.startsWith(r + sep));
    if (root) throw refuse(`is under ${root}, a special file system`);
  }
  const st = statSync(real);
  if (!st.isDirectory()) throw refuse(real === wanted ? 'is not a folder' : `is below ${real}, which is not a folder`);
  if (platform === 'linux') {
    const kind = SPECIAL_FS[statfsSync(real).type];
    if (kind) throw refuse(`is on a ${kind} file system (special, not for files)`);
  }
}

/** The --runs-dir of any command that takes one, checked before the command starts. */
export function checkCommandRunsDir(cmd: Command): void {
  const dir = cmd.kind === 'report' ? cmd.runsDir : 'settings' in cmd ? cmd.settings.runsDir : undefined;
  if (dir !== undefined) checkRunsDir(dir);
}
