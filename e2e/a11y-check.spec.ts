/**
 * The accessibility gate must be able to fail: the same scan the onboarding spec runs on every
 * stage finds serious violations on a page built to have them, and none on a clean one.
 */
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from './support/a11y';
import { CHROMIUM_ARGS, chromiumPath, skipReason } from './support/environment';

const reason = skipReason('chromium');
if (reason) console.log(`[e2e] accessibility gate check skipped: ${reason}`);

describe.skipIf(Boolean(reason))('accessibility gate', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath()!, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('reports serious violations on a page that has them', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.setContent('<html lang="en"><head><title>bad</title></head><body><main><button></button><input type="text"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></body></html>');
    const ids = (await seriousViolations(page)).map((v) => v.id).sort();
    expect(ids).toEqual(expect.arrayContaining(['button-name', 'image-alt', 'label']));
    await page.context().close();
  });

  it('passes a clean page', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.setContent('<html lang="en"><head><title>ok</title></head><body><main><h1>Fine</h1><button>Start</button><label>Name <input type="text"></label></main></body></html>');
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});
