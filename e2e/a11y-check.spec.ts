/**
 * The accessibility gate must be able to fail: the same scan the onboarding spec runs on every
 * stage finds serious violations on a page built to have them, and none on a clean one. Uses
 * Playwright's own `page` fixture (the browser project's Chromium, see playwright.config.ts).
 */
import { expect, test } from '@playwright/test';
import { seriousViolations } from './support/a11y';
import { skipReason } from './support/environment';

const reason = skipReason('chromium');
if (reason) console.log(`[e2e] accessibility gate check skipped: ${reason}`);

test.describe('accessibility gate', () => {
  test.skip(Boolean(reason), reason);

  test('reports serious violations on a page that has them', async ({ page }) => {
    await page.setContent('<html lang="en"><head><title>bad</title></head><body><main><button></button><input type="text"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>');
    const ids = (await seriousViolations(page)).map((v) => v.id).sort();
    expect(ids).toEqual(expect.arrayContaining(['button-name', 'image-alt', 'label']));
  });

  test('passes a clean page', async ({ page }) => {
    await page.setContent('<html lang="en"><head><title>ok</title></head><body><main><h1>Fine</h1><button>Start</button><label>Name <input type="text"></label></main></body></html>');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
