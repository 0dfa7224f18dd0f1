// The built preload runs in a sandboxed renderer, where require() knows only 'electron' (and a
// few polyfills): anything else would throw at window start, or mean the sandbox was turned off
// to make it work. So the bundle must load exactly 'electron' and nothing computed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILT, PROJECT_ROOT, ensureBuilt } from '../lib/ensure-built';
import { bundleLoads } from './preload-requires';

describe('bundleLoads', () => {
  it('finds literal, computed and aliased requires, dynamic imports and ESM imports', () => {
    const loads = bundleLoads(`
      "use strict";
      const { ipcRenderer } = require("electron");
      const fs = module.require('fs');
      const name = 'child_process'; require(name);
      const r = require; r('os');
      if (typeof require === 'function') {}
      import('./late.js');
    `);
    expect(loads.requires).toEqual(['electron', 'fs']);
    expect(loads.computedRequires).toEqual(['require(name)', 'r = require']);
    expect(loads.dynamicImports).toEqual(["'./late.js'"]);
    expect(bundleLoads(`import { x } from 'electron'; export * from './y';`).esmImports).toEqual(['electron', './y']);
  });
});

describe('built preload (out/preload/index.cjs)', () => {
  beforeAll(async () => {
    await ensureBuilt();
  }, 300_000);

  it('requires nothing but electron', () => {
    const code = readFileSync(path.join(PROJECT_ROOT, BUILT.preload), 'utf8');
    const loads = bundleLoads(code, BUILT.preload);
    expect(loads.esmImports, 'a sandboxed preload must be CommonJS').toEqual([]);
    expect(loads.computedRequires).toEqual([]);
    expect(loads.dynamicImports).toEqual([]);
    expect([...new Set(loads.requires)]).toEqual(['electron']);
  });
});
