#!/usr/bin/env node
// README's test command (`npm test`): every test, in the order that makes each one meaningful.
// 1. a Chromium for the browser suite (installed when missing, never silently skipped)
// 2. strict type checks of the node and web projects
// 3. the production build (the end-to-end specs and the packaging gates test built output)
// 4. all Vitest projects: unit/integration (real SDK against the in-process sandbox) and e2e
// It ends with one plain line "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
function step(title, cmd, args) {
  console.log(`\n=== ${title}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return r.status ?? 1;
}

const extra = process.argv.slice(2);
let rc = step('Chromium for the browser suite', process.execPath, ['scripts/ensure-chromium.mjs']);
if (rc === 0) rc = step('Type check', npx, ['tsc', '-p', 'tsconfig.node.json', '--noEmit']) || step('Type check (renderer)', npx, ['tsc', '-p', 'tsconfig.web.json', '--noEmit']);
if (rc === 0) rc = step('Build (electron-vite)', npx, ['electron-vite', 'build']);
let summary;
if (rc === 0) {
  mkdirSync('test-results', { recursive: true });
  rc = step('Vitest (unit, integration, e2e)', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json', ...extra]);
  try {
    const r = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
    summary = { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + (r.numTodoTests ?? 0) };
  } catch {
    /* vitest died before writing its report: the exit code speaks */
  }
}
if (summary) console.log(`\n${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
if (rc !== 0) console.error(`\nnpm test failed (exit ${rc})`);
process.exit(rc);
