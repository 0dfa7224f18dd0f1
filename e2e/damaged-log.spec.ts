/**
 * A damaged run log seen through the app on the browser host (issue 10): after a full disk left
 * half a line with an event appended after it, History lists the run as Damaged with the line it
 * cannot read, Repair log asks first and cuts the log keeping a backup, and Resume then finishes
 * the run with the same data store.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ensureBuilt, skipReason } from './support/environment';
import { launchBrowserHost, type HostSession } from './support/hosts';
import { keepOnFailure } from './support/failure';
import { captureStage } from './support/screenshots';
import { button, finalOutcome, sideNavLink, startOnboarding, walkToReview, STAGE_TIMEOUT } from './support/wizard';

const reason = skipReason('chromium');
if (reason) console.log(`[e2e] damaged-log spec skipped: ${reason}`);

test.describe('damaged run log (browser host)', () => {
  test.skip(Boolean(reason), reason);
  let host: HostSession | undefined;
  keepOnFailure(() => host?.page);
  test.afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  test('History shows the run as Damaged; Repair log keeps a backup; Resume then completes with one data store', async () => {
    ensureBuilt();
    host = await launchBrowserHost('damaged-log');
    const { page, browserHost, userDataDir } = host;
    await walkToReview(page);
    await startOnboarding(page);
    expect((await finalOutcome(page, 90_000)).kind).toBe('completed');
    const [run] = await browserHost!.handlers['runs:list']();
    const runId = run!.runId;

    // The full-disk damage: half of the event after StartDICOMImportJob's request, the next one glued to it.
    const file = path.join(userDataDir, 'runs', runId, 'events.ndjson');
    const lines = readFileSync(file, 'utf8').split('\n');
    const cut = lines.findIndex((l) => l.includes('"request-sent"') && l.includes('"StartDICOMImportJob"'));
    writeFileSync(file, `${lines.slice(0, cut + 1).join('\n')}\n${lines[cut + 1]!.slice(0, 30)}${lines.slice(cut + 2).join('\n')}`);
    const line = cut + 2;

    await (await sideNavLink(page, 'History')).click();
    const row = page.getByRole('row').filter({ hasText: 'Damaged' });
    await row.waitFor({ timeout: STAGE_TIMEOUT });
    await expect(row).toContainText(`Log line ${line} unreadable`);
    await expect(button(page, `Resume run ${runId}`)).toHaveCount(0);
    await captureStage(page, 'browser', 'history-damaged-run');

    await button(page, `Repair the log of run ${runId}`).click();
    const dialog = page.getByRole('dialog', { name: "Repair this run's log?" });
    await expect(dialog).toContainText(`Line ${line} (byte `);
    await expect(dialog).toContainText('Not valid JSON: an event cut short runs into the next one');
    await captureStage(page, 'browser', 'history-repair-log-dialog');
    await button(dialog, 'Repair log').click();
    await page.getByText('Run log repaired: the run can be resumed').first().waitFor({ timeout: STAGE_TIMEOUT });
    const backup = /kept as (\S+?)\.?$/m.exec((await page.getByText(/The damaged log is kept as/).first().textContent()) ?? '')?.[1];
    expect(backup && existsSync(backup)).toBe(true);
    await expect(page.getByRole('row').filter({ hasText: 'Damaged' })).toHaveCount(0);
    await captureStage(page, 'browser', 'history-repaired-run');

    await button(page, `Resume run ${runId}`).click();
    expect((await finalOutcome(page, 90_000)).kind).toBe('completed');
    const events = await browserHost!.handlers['runs:events']({ runId });
    const ids = new Set(events.flatMap((e) => (e.type === 'response-received' && e.outputs?.['datastoreId'] ? [e.outputs['datastoreId']] : [])));
    expect(ids.size).toBe(1);
    expect(events.some((e) => e.type === 'run-resumed')).toBe(true);
  });
});
