/**
 * Playwright Test runs the end-to-end suite, one project per host:
 * - browser: the built renderer in Chromium (Debian's /usr/bin/chromium or CHROMIUM_PATH) behind
 *   e2e/host/server.ts, plus the host-independent checks (accessibility gate, host bridge);
 * - electron: the real app through `_electron`, where node_modules/electron/dist holds a binary
 *   (each spec is skipped with a printed reason where it does not, or where Linux has no display).
 * - packaged: the packaged test build (release/e2e/, `npm run dist:e2e`) reaches the Account step.
 * Artifacts stay under test-results/: traces and screenshots of failed tests in
 * test-results/playwright/, the HTML report in test-results/html-report/, and the JSON report that
 * scripts/test.mjs folds into the one "N passed, N failed, N skipped" line.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './e2e/support/environment';

const ELECTRON_TITLES = /\(electron host\)/;
const PACKAGED = '**/packaged-smoke.spec.ts';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // One worker, files in order: every spec starts sandboxes and browsers, and the machines this
  // runs on (2 cores here, CI runners) gain nothing from running them side by side.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  // A retry on CI catches a runner hiccup; the JSON report still counts a retried pass as flaky.
  retries: process.env['CI'] ? 1 : 0,
  forbidOnly: Boolean(process.env['CI']),
  // Not test-results/ itself: Playwright empties its outputDir, and Vitest's report and the stage
  // screenshots live next to it.
  outputDir: 'test-results/playwright',
  reporter: [
    ['list'],
    ['html', { outputFolder: 'test-results/html-report', open: 'never' }],
    ['json', { outputFile: 'test-results/playwright.json' }],
  ],
  use: {
    // Applies to the built-in browser fixture (accessibility gate); the hosts in
    // e2e/support/hosts.ts launch with the same executable and flags and record their own traces.
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'browser', grepInvert: ELECTRON_TITLES, testIgnore: PACKAGED },
    { name: 'electron', grep: ELECTRON_TITLES, testIgnore: PACKAGED },
    // The installed-app check: runs where `npm run dist:e2e` has packaged a test build (CI does).
    { name: 'packaged', testMatch: PACKAGED },
  ],
});
