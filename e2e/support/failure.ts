/**
 * What a failed test leaves behind when its page is not one of Playwright's own fixtures (the
 * hosts launch their Chromium or Electron themselves): a Playwright trace of that test and a
 * screenshot, attached to the test so the HTML report shows them. The hosts start tracing when
 * they launch; after every test the current chunk is written only when the test failed and is
 * otherwise dropped, then a new chunk starts for the next test. A green run writes nothing.
 */
import { test } from '@playwright/test';
import type { Page } from '@playwright/test';

/** Registers an afterEach in the enclosing describe; `current` gives the host's page, if one is open. */
export function keepOnFailure(current: () => Page | undefined): void {
  test.afterEach(async ({}, testInfo) => {
    const page = current();
    if (!page || page.isClosed()) return;
    const failed = testInfo.status !== testInfo.expectedStatus;
    if (failed) {
      const body = await page.screenshot({ fullPage: true }).catch(() => undefined);
      if (body) await testInfo.attach('screenshot', { body, contentType: 'image/png' });
    }
    const tracing = page.context().tracing;
    const trace = testInfo.outputPath('trace.zip');
    const saved = await tracing.stopChunk(failed ? { path: trace } : {}).then(() => failed, () => false);
    if (saved) await testInfo.attach('trace', { path: trace, contentType: 'application/zip' });
    await tracing.startChunk().catch(() => undefined);
  });
}
