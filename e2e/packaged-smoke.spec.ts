/**
 * Smoke test of the packaged app: the unpacked test build from `npm run dist:e2e` (release/e2e/,
 * the release configuration with only the --inspect fuse left on, which `_electron` needs) starts
 * and its window reaches the wizard's Account step. CI runs it after packaging on every OS; where
 * no test build exists it is skipped with the reason.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron, expect, test } from '@playwright/test';
import { REPO_ROOT } from './support/environment';
import { atWizardStep } from './support/wizard';

const PRODUCT = 'HealthImaging Onboarding';

/** Where electron-builder --dir puts the executable, per OS (macOS: the host's arch first). */
function packagedExecutable(): string | undefined {
  const out = path.join(REPO_ROOT, 'release/e2e');
  const candidates =
    process.platform === 'win32'
      ? [path.join(out, 'win-unpacked', `${PRODUCT}.exe`)]
      : process.platform === 'darwin'
        ? (process.arch === 'arm64' ? ['mac-arm64', 'mac'] : ['mac', 'mac-arm64']).map((d) => path.join(out, d, `${PRODUCT}.app/Contents/MacOS/${PRODUCT}`))
        : [path.join(out, 'linux-unpacked', 'healthimaging-onboarding')];
  return candidates.find((p) => existsSync(p));
}

const executable = packagedExecutable();
const reason = executable ? undefined : 'no packaged test build under release/e2e (run `npm run dist:e2e` first)';
// CI sets AHI_REQUIRE_PACKAGED=1 after packaging: a missing build there is a failure, not a skip.
const required = process.env['AHI_REQUIRE_PACKAGED'] === '1';
if (reason && !required) console.log(`[e2e] packaged-app smoke test skipped: ${reason}`);

test.describe('packaged app smoke test', () => {
  test.skip(Boolean(reason) && !required, reason);

  test('launches and its window reaches the Account step', async () => {
    // A fresh HOME: the packaged app ignores the e2e user-data override, and must not read the
    // runner's own ~/.aws or leave state behind.
    expect(executable, reason).toBeTruthy();
    const home = mkdtempSync(path.join(tmpdir(), 'e2e-packaged-'));
    const app = await _electron.launch({
      executablePath: executable!,
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
      env: { ...process.env, HOME: home, USERPROFILE: home } as Record<string, string>,
    });
    try {
      const page = await app.firstWindow();
      await atWizardStep(page, 'Account');
      expect(await app.evaluate(({ app: a }) => a.isPackaged)).toBe(true);
    } finally {
      await app.close().catch(() => undefined);
      rmSync(home, { recursive: true, force: true });
    }
  });
});
