// The window must be usable quickly: the JavaScript it loads before the wizard shows (entry
// chunk, modulepreloads and their static imports) stays under 600 KB gzip; the rest is split
// into chunks loaded by import(). Sizes are printed so a jump is visible in the test output.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_JS_BUDGET_GZIP, formatBundleReport, measureRendererBundle } from './bundle-size.mjs';
import { PROJECT_ROOT, ensureBuilt } from './lib/ensure-built';

describe('measureRendererBundle', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bundle-size-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function page(files: Record<string, string>) {
    const root = mkdtempSync(path.join(dir, 'r-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      writeFileSync(path.join(root, name), text);
    }
    return root;
  }

  it('counts the entry, its modulepreloads and static imports as start JS, and import() targets as lazy', () => {
    const root = page({
      'index.html': '<script type="module" crossorigin src="./assets/entry.js"></script><link rel="modulepreload" href="./assets/shared.js"><link rel="stylesheet" href="./assets/a.css">',
      'assets/entry.js': 'import{s}from"./shared.js";import"./side.js";const later=()=>import("./lazy.js");console.log("import(\\"./not-real.js\\")",s,later);',
      'assets/shared.js': 'export const s=1;',
      'assets/side.js': 'export*from"./deep.js";',
      'assets/deep.js': 'export const d=2;',
      'assets/lazy.js': 'import{s}from"./shared.js";export default s;',
      'assets/a.css': 'body{color:red}',
    });
    const report = measureRendererBundle(root);
    expect(report.startJs.map((s) => s.file)).toEqual(['assets/deep.js', 'assets/entry.js', 'assets/shared.js', 'assets/side.js']);
    expect(report.lazyJs.map((s) => s.file)).toEqual(['assets/lazy.js']);
    expect(report.dynamicImportTargets).toEqual(['assets/lazy.js']);
    expect(report.css.map((s) => s.file)).toEqual(['assets/a.css']);
    expect(report.startJsGzip).toBe(report.startJs.reduce((n, s) => n + s.gzip, 0));
  });

  it('refuses a page that loads script from elsewhere or a bare module', () => {
    expect(() => measureRendererBundle(page({ 'index.html': '<script type="module" src="https://cdn.example.com/x.js"></script>' }))).toThrow(/remote/);
    expect(() =>
      measureRendererBundle(page({ 'index.html': '<script type="module" src="./e.js"></script>', 'e.js': 'import React from "react";' })),
    ).toThrow(/bare module "react"/);
  });

  it('says how to get a build when there is none', () => {
    expect(() => measureRendererBundle(path.join(dir, 'nowhere'))).toThrow(/electron-vite build/);
  });
});

describe('built renderer (out/renderer)', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 300_000);

  it(`loads under ${START_JS_BUDGET_GZIP / 1024} KB gzip of JavaScript at start`, () => {
    const report = measureRendererBundle(path.join(PROJECT_ROOT, 'out', 'renderer'));
    console.log(formatBundleReport(report));
    expect(report.inlineScripts).toEqual([]);
    expect(report.startJs.length).toBeGreaterThan(0);
    expect(report.startJsGzip).toBeLessThan(START_JS_BUDGET_GZIP);
  });
});
