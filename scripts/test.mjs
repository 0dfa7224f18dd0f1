#!/usr/bin/env node
// README's test command (`npm test`): every test, in the order that makes each one meaningful.
// 1. a Chromium for the browser suite (installed when missing, never silently skipped)
// 2. strict type checks of the node and web projects, then lint (the architecture's import boundaries)
// 3. the production build (the end-to-end specs and the packaging gates test built output)
// 4. Vitest: unit/integration (real SDK against the in-process sandbox)
// 5. Playwright Test: the end-to-end suite, one project per host (playwright.config.ts)
// Steps 4 and 5 both run once the build is there, so one run shows every failure. It ends with
// one plain line "N passed, N failed, N skipped" adding up both runners' JSON reports.
// Arguments after `npm test --` go to Vitest (e.g. a file filter).
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdirSync, rmSync } from 'node:fs';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
function step(title, cmd, args) {
  console.log(`\n=== ${title}`);
  // shell on Windows: Node 20.12+ refuses to spawn .cmd files without it (CVE-2024-27980).
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env, shell: process.platform === 'win32' });
  return r.status ?? 1;
}

/** Reads a runner's JSON report; undefined when the runner died before writing it. */
function counts(file, pick) {
  try {
    return pick(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

const extra = process.argv.slice(2);
let rc = step('Chromium for the browser suite', process.execPath, ['scripts/ensure-chromium.mjs']);
if (rc === 0) rc = step('Type check', npx, ['tsc', '-p', 'tsconfig.node.json', '--noEmit']) || step('Type check (renderer)', npx, ['tsc', '-p', 'tsconfig.web.json', '--noEmit']) || step('Lint (architecture boundaries)', npx, ['eslint', '.']);
if (rc === 0) rc = step('Build (electron-vite)', npx, ['electron-vite', 'build']) || step('Build (ahi-onboard)', process.execPath, ['scripts/build-cli.mjs']);
const parts = [];
if (rc === 0) {
  mkdirSync('test-results', { recursive: true });
  // Stale reports must not be counted if a runner dies before writing its own.
  for (const f of ['test-results/vitest.json', 'test-results/playwright.json']) rmSync(f, { force: true });
  const unitRc = step('Vitest (unit, integration)', npx, ['vitest', 'run', '--project', 'unit', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json', ...extra]);
  parts.push(counts('test-results/vitest.json', (r) => ({ passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + (r.numTodoTests ?? 0) })));
  const e2eRc = step('Playwright Test (end-to-end, per host)', npx, ['playwright', 'test']);
  // Playwright's stats: expected = passed, unexpected = failed, flaky = passed on a retry.
  parts.push(counts('test-results/playwright.json', (r) => ({ passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped })));
  rc = unitRc || e2eRc;
}
if (parts.length && parts.every(Boolean)) {
  const sum = parts.reduce((a, b) => ({ passed: a.passed + b.passed, failed: a.failed + b.failed, skipped: a.skipped + b.skipped }));
  console.log(`\n${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped`);
} else if (parts.length) {
  console.error('\na runner wrote no report (see its output above): no combined count');
}
if (rc !== 0) console.error(`\nnpm test failed (exit ${rc})`);
process.exit(rc);
