import { readFileSync, writeFileSync } from 'node:fs';
import { OTHER_FAKE_ACCESS_KEY_ID } from '../testing/fake-aws-credentials';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunEvent } from './events';
import { createManualClock } from './manual-clock';
import { redactEvent } from './redact';
import { resumeRun, startRun } from './run';
import { createFakeHealthImaging } from './test-support/fake-healthimaging';
import { CONTEXT, ONBOARD, SEED_INPUTS, SEED_TEXT, seedDocument, tempStore } from './test-support/harness';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

const base = { runId: 'r', seq: 1, at: '2026-03-01T09:00:00.000Z' };
const LONG_NAME = 'OnboardingDatastoreForRadiologyTeam2026x'; // 40 chars, mixed case: looks like a secret key

describe('event redaction', () => {
  it('removes secrets from messages, secret-named keys and unknown values', () => {
    const e = redactEvent({
      ...base,
      type: 'response-received',
      stepId: 's',
      operationId: 'GetDatastore',
      attempt: 1,
      httpStatus: 403,
      durationMs: 1,
      error: {
        code: 'SignatureDoesNotMatch',
        message: `bad sig. X-Amz-Security-Token=IQoJb3JpZ2luX2VjEAAaCXVzLWVhc3QtMSJHMEUCIQD Credential=${OTHER_FAKE_ACCESS_KEY_ID}/20260301`,
      },
    } as RunEvent);
    const text = JSON.stringify(e);
    expect(text).not.toContain('IQoJb3JpZ2lu');
    expect(text).not.toContain(OTHER_FAKE_ACCESS_KEY_ID);
    const r = redactEvent({ ...base, type: 'request-sent', stepId: 's', operationId: 'X', attempt: 1, input: { sessionToken: 'abc', note: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } } as RunEvent);
    // A secret-named field is dropped whole; a key-shaped free value is masked.
    expect(r).toMatchObject({ input: { note: '[redacted]' } });
    expect((r as { input: Record<string, unknown> }).input).not.toHaveProperty('sessionToken');
  });

  it('keeps HealthImaging values that pass their field rule, even when they look like a key', () => {
    const e = redactEvent({ ...base, type: 'request-sent', stepId: 's', operationId: 'CreateDatastore', attempt: 1, input: { datastoreName: LONG_NAME, clientToken: 't-1' }, clientToken: 't-1' } as RunEvent);
    expect(e).toMatchObject({ input: { datastoreName: LONG_NAME, clientToken: 't-1' }, clientToken: 't-1' });
  });

  it('a resumed run re-sends exactly the inputs it started with (from the header, not a redacted copy)', async () => {
    const fake = createFakeHealthImaging({ datastoreStatuses: ['ACTIVE'], jobStatuses: ['COMPLETED'] });
    const { store, dir, cleanup } = tempStore();
    cleanups.push(cleanup);
    const document = seedDocument(fake);
    const clock = createManualClock({ auto: true });
    const run = startRun({ document, documentText: SEED_TEXT, workflowId: ONBOARD, inputs: { ...SEED_INPUTS, datastoreName: LONG_NAME }, binding: fake, store, context: CONTEXT, clock });
    await run.done;
    // Leave the log as a kill right after sending CreateDatastore would, with the start event's
    // copy of the name masked (as a stricter redactor could leave it).
    const file = join(dir, run.runId, 'events.ndjson');
    const lines = readFileSync(file, 'utf8').split('\n');
    const cut = lines.findIndex((l) => l.includes('"request-sent"') && l.includes('CreateDatastore'));
    writeFileSync(file, `${lines.slice(0, cut + 1).join('\n').replace(`"datastoreName":"${LONG_NAME}"`, '"datastoreName":"[redacted]"')}\n`);
    const resumed = await resumeRun({ runId: run.runId, document, documentText: SEED_TEXT, binding: fake, store, clock });
    expect((await resumed.done).status).toBe('succeeded');
    const creates = fake.calls.filter((c) => c.operationId === 'CreateDatastore').map((c) => (c.body as { datastoreName: string }).datastoreName);
    expect(creates).toEqual([LONG_NAME, LONG_NAME]);
    expect(fake.created.datastores).toBe(1);
  });
});
