/**
 * The run lock against real processes: live and dead pids, another host, a crash mid-write, and
 * several processes taking over one stale lock at once (exactly one wins).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireRunLock, assertRunNotInUse, LOCK_FILE, RunInUseError } from './run-lock';

const CHILD = join(__dirname, 'test-support', 'take-lock.ts');
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function runDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'ahi-lock-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'r1');
  mkdirSync(dir);
  return dir;
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  return r.pid!;
}

function writeLock(dir: string, holder: { pid: number; host?: string }): string {
  const text = `${JSON.stringify({ pid: holder.pid, host: holder.host ?? hostname(), startedAt: '2026-01-01T00:00:00.000Z' })}\n`;
  writeFileSync(join(dir, LOCK_FILE), text);
  return text;
}

function takeLockProcess(dir: string, startAt: number, holdMs: number, how = ''): Promise<{ out: string; code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, 'r1', String(startAt), String(holdMs), how], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ out: out.trim(), code, err }));
  });
}

describe('run lock', () => {
  it('holds pid, host and start time; a second take in this process is refused; release removes it', async () => {
    const dir = runDir();
    const lock = await acquireRunLock(dir, 'r1');
    const held = JSON.parse(readFileSync(lock.file, 'utf8'));
    expect(held).toMatchObject({ pid: process.pid, host: hostname(), runId: 'r1' });
    expect(Date.now() - Date.parse(held.startedAt)).toBeLessThan(10_000);
    const again = await acquireRunLock(dir, 'r1').catch((e: unknown) => e);
    expect(again).toBeInstanceOf(RunInUseError);
    expect((again as Error).message).toBe(`Run r1 is already running in this process (pid ${process.pid}).`);
    await lock.release();
    expect(existsSync(lock.file)).toBe(false);
    await (await acquireRunLock(dir, 'r1')).release();
  });

  it('a live process on this host holds it: RunInUseError naming its pid; the lock is left alone', async () => {
    const dir = runDir();
    const sleeper: ChildProcess = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    cleanups.push(() => sleeper.kill());
    const text = writeLock(dir, { pid: sleeper.pid! });
    const e = (await acquireRunLock(dir, 'r1').catch((x: unknown) => x)) as RunInUseError;
    expect(e).toBeInstanceOf(RunInUseError);
    expect(e).toMatchObject({ name: 'RunInUseError', pid: sleeper.pid, host: hostname(), runId: 'r1' });
    expect(e.message).toBe(`Run r1 is in use by another process (pid ${sleeper.pid} on ${hostname()}). Wait for it to end, or stop it, then resume.`);
    expect(e.hint).toContain(join(dir, LOCK_FILE));
    await expect(assertRunNotInUse(dir, 'r1')).rejects.toThrow(RunInUseError);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(text);

    // Once it has ended, its lock is stale and taken over.
    await new Promise((r) => {
      sleeper.once('exit', r);
      sleeper.kill();
    });
    await expect(assertRunNotInUse(dir, 'r1')).resolves.toBeUndefined();
    const lock = await acquireRunLock(dir, 'r1');
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('a dead pid is taken over; our own pid in a lock we do not hold is a former process\'s', async () => {
    const dir = runDir();
    writeLock(dir, { pid: deadPid() });
    const lock = await acquireRunLock(dir, 'r1');
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    await lock.release();
    writeLock(dir, { pid: process.pid });
    await (await acquireRunLock(dir, 'r1')).release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('a lock from another host is never taken over, even with a pid that is dead here', async () => {
    const dir = runDir();
    const text = writeLock(dir, { pid: deadPid(), host: 'build-server-7' });
    const e = (await acquireRunLock(dir, 'r1').catch((x: unknown) => x)) as RunInUseError;
    expect(e).toBeInstanceOf(RunInUseError);
    expect(e.message).toMatch(/^Run r1 is in use by another process \(pid \d+ on build-server-7\)\./);
    expect(e.hint).toMatch(/another host is never taken over/);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(text);
  });

  it('an unreadable lock (a crash between create and write) is taken over once it is a few seconds old', async () => {
    const dir = runDir();
    const file = join(dir, LOCK_FILE);
    writeFileSync(file, '');
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const lock = await acquireRunLock(dir, 'r1');
    expect(JSON.parse(readFileSync(file, 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('four processes at once over a stale lock: exactly one takes it, the others are told its pid', async () => {
    const dir = runDir();
    writeLock(dir, { pid: deadPid() });
    const startAt = Date.now() + 1500;
    const results = await Promise.all([0, 1, 2, 3].map(() => takeLockProcess(dir, startAt, 1500)));
    for (const r of results) expect(r.code, r.err).toBe(0);
    const winners = results.filter((r) => r.out.startsWith('acquired '));
    expect(winners).toHaveLength(1);
    const winnerPid = winners[0]!.out.split(' ')[1];
    expect(results.filter((r) => r.out === `in-use ${winnerPid}`)).toHaveLength(3);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    expect(existsSync(join(dir, `${LOCK_FILE}.takeover`))).toBe(false);
  }, 30_000);

  it('process.exit() without a release still removes the lock', async () => {
    const dir = runDir();
    const r = await takeLockProcess(dir, 0, 0, 'exit');
    expect(r.out, r.err).toMatch(/^acquired \d+$/);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  }, 30_000);
});
