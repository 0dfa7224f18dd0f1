import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../engine/events';
import { createRunStore, DiskFullError, RunStoreError, type RunHeader } from './run-store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function store() {
  const dir = mkdtempSync(join(tmpdir(), 'ahi-store-'));
  dirs.push(dir);
  return { dir, store: createRunStore(dir) };
}
const header = (runId: string): RunHeader => ({
  formatVersion: 1,
  runId,
  createdAt: '2026-03-01T09:00:00.000Z',
  workflowId: 'w',
  workflowHash: 'h',
  workflowText: 'arazzo: 1.0.1',
  inputs: { a: 1 },
  context: { region: 'us-east-1', sandbox: true },
  product: { name: 'p', version: '1' },
});
const ev = (runId: string, seq: number, extra: Partial<RunEvent> = {}): RunEvent =>
  ({ type: 'step-started', runId, seq, at: `2026-03-01T09:00:0${seq}.000Z`, stepId: 's', operationId: 'Op', ...extra }) as RunEvent;

describe('run store', () => {
  it('appends events as NDJSON and reads them back in order', async () => {
    const { dir, store: s } = store();
    await s.create('r1', header('r1'));
    await Promise.all([1, 2, 3].map((n) => s.append('r1', ev('r1', n))));
    expect((await s.read('r1')).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(readFileSync(join(dir, 'r1', 'events.ndjson'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(await s.readHeader('r1')).toEqual(header('r1'));
  });

  it('tolerates a torn last line and cuts it before the next append', async () => {
    const { dir, store: s } = store();
    await s.create('r1', header('r1'));
    await s.append('r1', ev('r1', 1));
    appendFileSync(join(dir, 'r1', 'events.ndjson'), '{"type":"request-se');
    expect(await s.read('r1')).toHaveLength(1);
    await s.append('r1', ev('r1', 2));
    expect((await s.read('r1')).map((e) => e.seq)).toEqual([1, 2]);
    // A new process (a new store) repairs a torn tail too, without reading first.
    appendFileSync(join(dir, 'r1', 'events.ndjson'), '{"type":"wait');
    const fresh = createRunStore(dir);
    await fresh.append('r1', ev('r1', 3));
    expect((await fresh.read('r1')).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('refuses to create a run twice and rejects ids that could leave the directory', async () => {
    const { store: s } = store();
    await s.create('r1', header('r1'));
    await expect(s.create('r1', header('r1'))).rejects.toThrow(RunStoreError);
    await expect(s.read('../etc')).rejects.toThrow(RunStoreError);
    await expect(s.create('a/b', header('a/b'))).rejects.toThrow(RunStoreError);
  });

  it('lists runs newest first with status and learned ids', async () => {
    const { store: s } = store();
    await s.create('old', header('old'));
    await s.append('old', { type: 'run-started', runId: 'old', seq: 1, at: '2026-03-01T08:00:00.000Z', workflowId: 'w', workflowHash: 'h', inputs: {}, context: { region: 'r', sandbox: true }, steps: [], product: { name: 'p', version: '1' } });
    await s.append('old', { type: 'response-received', runId: 'old', seq: 2, at: '2026-03-01T08:00:01.000Z', stepId: 's', operationId: 'CreateDatastore', attempt: 1, httpStatus: 200, durationMs: 5, outputs: { datastoreId: 'abc' } });
    await s.append('old', { type: 'run-ended', runId: 'old', seq: 3, at: '2026-03-01T08:00:02.000Z', status: 'failed', outputs: { datastoreId: 'abc' }, resumable: false });
    await s.create('new', header('new'));
    await s.append('new', { type: 'run-started', runId: 'new', seq: 1, at: '2026-03-01T10:00:00.000Z', workflowId: 'w', workflowHash: 'h', inputs: {}, context: { region: 'r', sandbox: true }, steps: [], product: { name: 'p', version: '1' } });
    const list = await s.list();
    expect(list.map((r) => r.runId)).toEqual(['new', 'old']);
    expect(list[0]).toMatchObject({ ended: false, resumable: true });
    expect(list[1]).toMatchObject({ ended: true, status: 'failed', resumable: false, outputs: { datastoreId: 'abc' } });
  });

  it('lists nothing for a missing directory', async () => {
    expect(await createRunStore(join(tmpdir(), 'does-not-exist-ahi')).list()).toEqual([]);
  });
});

describe('run store on a full disk', () => {
  it('fails a short or ENOSPC write with DiskFullError, keeps whole lines, and appends again once space is back', async () => {
    const { dir } = store();
    let mode: 'ok' | 'short' | 'enospc' = 'ok';
    const s = createRunStore(dir, {
      writeAt: async (fh, buf, off, len, pos) => {
        if (mode === 'ok') return (await fh.write(buf, off, len, pos)).bytesWritten;
        if (mode === 'enospc') throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
        // Half the line reaches the disk, then nothing more fits.
        if (off === 0) return (await fh.write(buf, off, Math.floor(len / 2), pos)).bytesWritten;
        return 0;
      },
    });
    await s.create('r1', header('r1'));
    await s.append('r1', ev('r1', 1));
    mode = 'short';
    const short = await s.append('r1', ev('r1', 2)).catch((e: unknown) => e);
    expect(short).toBeInstanceOf(DiskFullError);
    expect((short as Error).message).toContain(dir);
    mode = 'enospc';
    await expect(s.append('r1', ev('r1', 3))).rejects.toThrow(DiskFullError);
    // Nothing half-written: every line parses, and a fresh reader sees the one recorded event.
    expect(readFileSync(join(dir, 'r1', 'events.ndjson'), 'utf8').endsWith('}\n')).toBe(true);
    expect((await createRunStore(dir).read('r1')).map((e) => e.seq)).toEqual([1]);
    mode = 'ok';
    await s.append('r1', ev('r1', 2));
    expect((await s.read('r1')).map((e) => e.seq)).toEqual([1, 2]);
  });
});
