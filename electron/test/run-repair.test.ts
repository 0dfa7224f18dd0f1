/**
 * 'run:repair' and a damaged run log through the main-side handlers, against the real sandbox and
 * run store: History lists the run as damaged (not resumable), a resume is refused naming the line,
 * Open and Export report show the readable part, repair keeps a backup, and the run then resumes
 * to the end with one data store.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { SANDBOX_PROFILE } from '../../contract/ipc';
import { parseRequest } from '../../contract/schemas';
import { createHandlers } from '../main/handlers';

const dir = mkdtempSync(path.join(tmpdir(), 'handlers-repair-'));
const saved: string[] = [];
const handlers = createHandlers({
  runsDir: path.join(dir, 'runs'),
  userDataDir: dir,
  env: { AWS_CONFIG_FILE: path.join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none') },
  dialogs: {
    async saveReport(name) {
      saved.push(path.join(dir, name));
      return saved.at(-1);
    },
  },
  openExternal: async () => undefined,
  printToPdf: async () => Buffer.alloc(0),
  push: () => undefined,
});
afterAll(async () => {
  await handlers.dispose();
  rmSync(dir, { recursive: true, force: true });
});

it('lists a damaged run as damaged, refuses to resume it, repairs it with a backup, then resumes it to the end', async () => {
  const target = { profile: SANDBOX_PROFILE, region: 'us-east-1' };
  const { runId } = await handlers['run:start']({ ...target, inputs: await handlers['inputs:defaults'](target) });
  await vi.waitFor(async () => expect((await handlers['runs:list']()).find((r) => r.runId === runId)?.state).toBe('succeeded'), { timeout: 60_000, interval: 200 });

  const file = path.join(dir, 'runs', runId, 'events.ndjson');
  const lines = readFileSync(file, 'utf8').split('\n');
  const cut = lines.findIndex((l) => l.includes('"request-sent"') && l.includes('"StartDICOMImportJob"'));
  writeFileSync(file, `${lines.slice(0, cut + 1).join('\n')}\n${lines[cut + 1]!.slice(0, 30)}${lines.slice(cut + 2).join('\n')}`);
  const line = cut + 2;

  const listed = (await handlers['runs:list']()).find((r) => r.runId === runId)!;
  expect(listed).toMatchObject({ state: 'interrupted', resumable: false, damage: { line, reason: expect.stringContaining('not valid JSON') } });
  await expect(handlers['run:resume']({ runId })).rejects.toThrow(new RegExp(`damaged at line ${line} .*Choose Repair log in History, then Resume`));
  expect(await handlers['runs:events']({ runId })).toHaveLength(cut + 1);
  expect((await handlers['report:export']({ runId, format: 'md' })).saved).toBe(true);
  expect(readFileSync(saved.at(-1)!, 'utf8')).toContain(`Line ${line} of the run log is damaged`);

  expect(parseRequest('run:repair', { runId })).toEqual({ runId });
  expect(() => parseRequest('run:repair', { runId: '../x' })).toThrow(/runId/);
  const repair = await handlers['run:repair']({ runId });
  expect(repair).toMatchObject({ runId, repaired: true, keptEvents: cut + 1, damage: { line } });
  expect(existsSync(repair.backupPath!)).toBe(true);
  expect((await handlers['runs:list']()).find((r) => r.runId === runId)).toMatchObject({ resumable: true });
  expect((await handlers['runs:list']()).find((r) => r.runId === runId)?.damage).toBeUndefined();

  await handlers['run:resume']({ runId });
  await expect(handlers['run:repair']({ runId })).rejects.toThrow(/is running/);
  await vi.waitFor(async () => expect((await handlers['runs:list']()).find((r) => r.runId === runId)?.state).toBe('succeeded'), { timeout: 60_000, interval: 200 });
  const events = await handlers['runs:events']({ runId });
  const ids = new Set(events.flatMap((e) => (e.type === 'response-received' && e.outputs?.['datastoreId'] ? [e.outputs['datastoreId']] : [])));
  expect(ids.size).toBe(1);
  const jobs = new Set(events.flatMap((e) => (e.type === 'response-received' && e.operationId === 'StartDICOMImportJob' && e.outputs?.['jobId'] ? [e.outputs['jobId']] : [])));
  expect(jobs.size).toBe(1);
}, 120_000);
