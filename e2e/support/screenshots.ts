/** Screenshots of each stage, light and dark, kept under test-results/screenshots/<host>/. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { SCREENSHOTS_DIR } from './environment';

export async function captureStage(page: Page, host: string, name: string): Promise<string[]> {
  const dir = path.join(SCREENSHOTS_DIR, host);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // Let the theme switch settle (Cloudscape applies it on the media-query change).
    await page.waitForTimeout(150);
    const file = path.join(dir, `${name}-${scheme}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return files;
}
