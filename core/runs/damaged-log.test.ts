import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../engine/events';
import { buildReport, renderReport } from '../report/index';
import { parseRunLog } from './damaged-log';
import { repairRunLog } from './repair-log';
import { createRunStore, readRunLog, RunLogDamagedError, type RunHeader } from './run-store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const header = (runId: string): RunHeader => ({
  formatVersion: 1,
  runId,
  createdAt: '2026-03-01T09:00:00.000Z',
  workflowId: 'w',
  workflowHash: 'h',
  workflowText: 'arazzo: 1.0.1',
  inputs: { datastoreName: 'd' },
  context: { region: 'us-east-1', sandbox: true },
  product: { name: 'p', version: '1' },
});
const started = (runId: string): RunEvent =>
  ({ type: 'run-started', runId, seq: 1, at: '2026-03-01T09:00:01.000Z', workflowId: 'w', workflowHash: 'h', inputs: { datastoreName: 'd' }, context: { region: 'us-east-1', sandbox: true }, steps: [{ stepId: 's', operationId: 'Op', polling: false }], product: { name: 'p', version: '1' } }) as unknown as RunEvent;
const step = (runId: string, seq: number): RunEvent => ({ type: 'step-started', runId, seq, at: `2026-03-01T09:00:0${seq}.000Z`, stepId: 's', operationId: 'Op' }) as RunEvent;

/** A run whose 3rd line is half an event followed by a whole one: an append after a short write. */
async function damagedRun() {
  const dir = mkdtempSync(join(tmpdir(), 'ahi-damaged-'));
  dirs.push(dir);
  const store = createRunStore(dir);
  await store.create('r1', header('r1'));
  await store.append('r1', started('r1'));
  await store.append('r1', step('r1', 2));
  const file = join(dir, 'r1', 'events.ndjson');
  const goodBytes = readFileSync(file).length;
  appendFileSync(file, `${JSON.stringify(step('r1', 3)).slice(0, 20)}${JSON.stringify(step('r1', 4))}\n${JSON.stringify(step('r1', 5))}\n`);
  return { dir, store, file, goodBytes };
}

describe('damaged run logs', () => {
  it('a tolerant read returns the events before the first bad line and where it is', async () => {
    const { dir, goodBytes } = await damagedRun();
    const log = await readRunLog(dir, 'r1');
    expect(log.events.map((e) => e.seq)).toEqual([1, 2]);
    expect(log.damage).toEqual({ line: 3, offset: goodBytes, reason: expect.stringMatching(/not valid JSON: an event cut short runs into the next one/) });
  });

  it('names other kinds of damage without quoting the line', () => {
    const good = `${JSON.stringify(step('r', 1))}\n`;
    const tail = `${JSON.stringify(step('r', 9))}\n`;
    expect(parseRunLog(Buffer.concat([Buffer.from(good), Buffer.from([0xff, 0xfe, 0x7b, 0x0a]), Buffer.from(tail)])).damage).toEqual({ line: 2, offset: good.length, reason: 'not valid UTF-8' });
    expect(parseRunLog(Buffer.from(`${good}\u0000\u0000\u0000\n${tail}`)).damage?.reason).toMatch(/NUL bytes/);
    expect(parseRunLog(Buffer.from(`${good}[1,2]\n${tail}`)).damage?.reason).toMatch(/not a run event/);
    expect(parseRunLog(Buffer.from(`${good}{"secret":"AKIA\n${tail}`)).damage?.reason).not.toContain('AKIA');
    // A torn last line is what a kill leaves: not damage.
    const torn = parseRunLog(Buffer.from(`${good}{"type":"req`));
    expect(torn).toMatchObject({ torn: true, events: [expect.anything()] });
    expect(torn.damage).toBeUndefined();
  });

  it('a whole read (what a resume replays) refuses the damaged log, naming the line', async () => {
    const { store } = await damagedRun();
    const err = await store.read('r1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunLogDamagedError);
    expect((err as Error).message).toMatch(/run log of run r1 is damaged at line 3 .*Repair the log first/);
  });

  it('the run list includes the damaged run, marked with the damage, beside healthy runs', async () => {
    const { store } = await damagedRun();
    await store.create('r2', header('r2'));
    await store.append('r2', started('r2'));
    const list = await store.list();
    expect(list.map((s) => s.runId).sort()).toEqual(['r1', 'r2']);
    const r1 = list.find((s) => s.runId === 'r1')!;
    expect(r1).toMatchObject({ eventCount: 2, workflowId: 'w', damage: { line: 3 } });
    expect(list.find((s) => s.runId === 'r2')!.damage).toBeUndefined();
  });

  it('the report of the readable part names the damaged line in every format', async () => {
    const { dir } = await damagedRun();
    const { events, damage } = await readRunLog(dir, 'r1');
    const report = buildReport(events, { logDamage: damage! });
    expect(report.logDamage).toMatchObject({ line: 3, message: expect.stringMatching(/^Line 3 of the run log is damaged .*covers the 2 events before it/) });
    for (const format of ['html', 'md', 'json'] as const) expect(renderReport(events, format, { logDamage: damage! })).toContain('Line 3 of the run log is damaged');
  });

  it('repair keeps the whole log as a backup, cuts at the bad line and leaves a log that reads and appends', async () => {
    const { dir, store, file, goodBytes } = await damagedRun();
    const before = readFileSync(file);
    const now = new Date('2026-03-01T10:00:00.000Z');
    const r = await repairRunLog(dir, 'r1', { now });
    expect(r).toEqual({ runId: 'r1', repaired: true, damage: expect.objectContaining({ line: 3 }), backupPath: `${file}.damaged-20260301T100000Z`, keptEvents: 2, cutLines: 2, cutBytes: before.length - goodBytes, cutEvents: 1 });
    expect(readFileSync(r.backupPath!).equals(before)).toBe(true);
    expect(readFileSync(file).equals(before.subarray(0, goodBytes))).toBe(true);
    expect((await store.read('r1')).map((e) => e.seq)).toEqual([1, 2]);
    expect((await store.list())[0]!.damage).toBeUndefined();
    await store.append('r1', step('r1', 3));
    expect((await store.read('r1')).map((e) => e.seq)).toEqual([1, 2, 3]);
    // No temporary file is left behind.
    expect(readdirSync(join(dir, 'r1')).sort()).toEqual(['events.ndjson', 'events.ndjson.damaged-20260301T100000Z', 'header.json']);
  });

  it('never overwrites an earlier backup, and leaves a healthy log alone', async () => {
    const { dir, file } = await damagedRun();
    const now = new Date('2026-03-01T10:00:00.000Z');
    writeFileSync(`${file}.damaged-20260301T100000Z`, 'an earlier backup');
    const r = await repairRunLog(dir, 'r1', { now });
    expect(r.backupPath).toBe(`${file}.damaged-20260301T100000Z-1`);
    expect(readFileSync(`${file}.damaged-20260301T100000Z`, 'utf8')).toBe('an earlier backup');
    const again = await repairRunLog(dir, 'r1', { now });
    expect(again).toEqual({ runId: 'r1', repaired: false, keptEvents: 2, cutLines: 0, cutBytes: 0, cutEvents: 0 });
    expect(readdirSync(join(dir, 'r1')).filter((f) => f.includes('damaged'))).toHaveLength(2);
    await expect(repairRunLog(dir, 'nope')).rejects.toThrow(/no run nope/);
    await expect(repairRunLog(dir, '../x')).rejects.toThrow(/invalid run id/);
  });
});
