/**
 * The app's "Export report": the file the user picked is replaced atomically (a new file renamed
 * over it once complete), so a crash or a full disk mid-export never leaves half a report, and
 * nothing is left beside it; a failed export leaves the older file as it was.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_FORMATS } from '../../contract/ipc';
import { createHandlers, type Handlers } from '../main/handlers';

const RUN_ID = 'fixture-run';
let dir: string;
let out: string;
let target: string;
let handlers: Handlers;
let failPrint = false;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'report-export-'));
  out = path.join(dir, 'exports');
  mkdirSync(out);
  // A recorded run: the report fixture's event log, as the run store keeps it.
  mkdirSync(path.join(dir, 'runs', RUN_ID), { recursive: true });
  cpSync(path.join(import.meta.dirname, '../../core/report/__fixtures__/success.ndjson'), path.join(dir, 'runs', RUN_ID, 'events.ndjson'));
  handlers = createHandlers({
    runsDir: path.join(dir, 'runs'),
    userDataDir: dir,
    env: { AWS_CONFIG_FILE: path.join(dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials') },
    dialogs: { saveReport: async () => target },
    openExternal: async () => undefined,
    printToPdf: async (html) => {
      if (failPrint) throw new Error('printing failed');
      return Buffer.from(`%PDF-1.7\n% ${html.length} bytes of html\n`);
    },
    push: () => undefined,
  });
});
afterAll(async () => {
  await handlers.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('report:export', () => {
  it('replaces an existing file in every format with a new one, nothing left beside it', async () => {
    for (const format of REPORT_FORMATS) {
      target = path.join(out, `report.${format}`);
      writeFileSync(target, 'an older report');
      const before = statSync(target).ino;
      expect(await handlers['report:export']({ runId: RUN_ID, format })).toEqual({ saved: true, path: target });
      expect(statSync(target).ino, format).not.toBe(before);
      expect(readFileSync(target, 'utf8')).not.toBe('an older report');
    }
    expect(readdirSync(out).sort()).toEqual(REPORT_FORMATS.map((f) => `report.${f}`).sort());
  });

  it('a failed export leaves the older file intact and no temporary file', async () => {
    target = path.join(out, 'report.pdf');
    writeFileSync(target, '%PDF-1.7 the older report');
    failPrint = true;
    await expect(handlers['report:export']({ runId: RUN_ID, format: 'pdf' })).rejects.toThrow(/printing failed/);
    failPrint = false;
    target = path.join(out, 'a-folder.html');
    mkdirSync(target);
    await expect(handlers['report:export']({ runId: RUN_ID, format: 'html' })).rejects.toThrow();
    expect(readFileSync(path.join(out, 'report.pdf'), 'utf8')).toBe('%PDF-1.7 the older report');
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
