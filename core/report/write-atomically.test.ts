/**
 * Report files are replaced, never rewritten in place: a new file (new inode) is renamed over the
 * old one once complete, nothing is left beside it, and a failed export leaves the old report as
 * it was.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../engine/events';
import { exportReport } from './export';
import { writeFileAtomically } from './write-atomically';

let dir: string;
let events: RunEvent[];
let fakeChromium: string;
let brokenChromium: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ahi-atomic-'));
  events = readFileSync(join(import.meta.dirname, '__fixtures__', 'success.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RunEvent);
  // Stand-ins for Chromium: one prints a (tiny) PDF where --print-to-pdf says, one prints garbage.
  fakeChromium = join(dir, 'fake-chromium.sh');
  writeFileSync(fakeChromium, '#!/bin/sh\nfor a in "$@"; do case "$a" in --print-to-pdf=*) printf "%%PDF-1.7 fake\\n" > "${a#--print-to-pdf=}";; esac; done\n');
  brokenChromium = join(dir, 'broken-chromium.sh');
  writeFileSync(brokenChromium, '#!/bin/sh\nfor a in "$@"; do case "$a" in --print-to-pdf=*) printf "not a pdf" > "${a#--print-to-pdf=}";; esac; done\n');
  chmodSync(fakeChromium, 0o755);
  chmodSync(brokenChromium, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function folder(name: string): string {
  const d = join(dir, name);
  mkdirSync(d);
  return d;
}

describe('writeFileAtomically', () => {
  it('replaces the file with a new one (new inode) and leaves nothing beside it', async () => {
    const d = folder('plain');
    const file = join(d, 'report.json');
    writeFileSync(file, 'old');
    const before = statSync(file).ino;
    await writeFileAtomically(file, '{"new":true}');
    expect(readFileSync(file, 'utf8')).toBe('{"new":true}');
    expect(statSync(file).ino).not.toBe(before);
    expect(readdirSync(d)).toEqual(['report.json']);
  });

  it('a failed write (the target is a folder) throws and removes its temporary file', async () => {
    const d = folder('fails');
    mkdirSync(join(d, 'report.html'));
    await expect(writeFileAtomically(join(d, 'report.html'), '<html>')).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|EEXIST|ENOTEMPTY|EPERM/) });
    expect(readdirSync(d)).toEqual(['report.html']);
    expect(readdirSync(join(d, 'report.html'))).toEqual([]);
  });
});

describe.runIf(process.platform !== 'win32')('exportReport', () => {
  it('every format replaces an existing report atomically', async () => {
    const d = folder('export');
    for (const format of ['json', 'md', 'html', 'pdf'] as const) {
      const file = join(d, `report.${format}`);
      writeFileSync(file, 'an older report');
      const before = statSync(file).ino;
      const done = await exportReport(events, format, file, { chromiumPath: fakeChromium });
      expect(statSync(file).ino, format).not.toBe(before);
      expect(done.bytes).toBe(statSync(file).size);
      expect(readFileSync(file, 'utf8')).not.toBe('an older report');
    }
    expect(readdirSync(d).sort()).toEqual(['report.html', 'report.json', 'report.md', 'report.pdf']);
  });

  it('a PDF that Chromium fails to print leaves the older report intact', async () => {
    const d = folder('export-fails');
    const file = join(d, 'report.pdf');
    writeFileSync(file, '%PDF-1.7 the older report');
    await expect(exportReport(events, 'pdf', file, { chromiumPath: brokenChromium })).rejects.toThrow(/did not produce a PDF/);
    expect(readFileSync(file, 'utf8')).toBe('%PDF-1.7 the older report');
    expect(readdirSync(d)).toEqual(['report.pdf']);
  });
});
