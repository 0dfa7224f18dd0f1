/**
 * A screenshot of the host's window when a test fails. Traces need nothing here: Playwright Test
 * (`trace: 'retain-on-failure'` in playwright.config.ts) records every context this process
 * creates, the hosts' own included, and keeps a failed test's trace. The window the host opened
 * is not one of Playwright's fixtures, so the `screenshot` option does not reach it: this does.
 */
import { test, type Page } from '@playwright/test';

/** Registers an afterEach in the enclosing describe; `current` gives the host's page, if one is open. */
export function keepOnFailure(current: () => Page | undefined): void {
  test.afterEach(async ({}, testInfo) => {
    const page = current();
    if (testInfo.status === testInfo.expectedStatus || !page || page.isClosed()) return;
    const body = await page.screenshot({ fullPage: true }).catch(() => undefined);
    if (body) await testInfo.attach('host window', { body, contentType: 'image/png' });
  });
}
