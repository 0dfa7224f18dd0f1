import { describe, expect, it } from 'vitest';
import { SANDBOX_PROFILE } from '../../../contract/ipc';
import { DATASTORE_ID, successfulRun } from '../state/__fixtures__/events';
import { buildTimeline } from '../state/timeline';
import { importMorePreset } from './preset';

describe('"Import more data into this data store"', () => {
  it('reuses the recorded inputs and data store client token, with a new import client token, at the Import step', () => {
    const view = buildTimeline(successfulRun('run-7', { sandbox: false }));
    const preset = importMorePreset(view)!;
    expect(preset.startAt).toBe(2);
    expect(preset.reuse).toEqual({ datastoreId: DATASTORE_ID, fromRunId: 'run-7' });
    expect(preset.form.profile).toBe('dev');
    expect(preset.form.region).toBe('us-east-1');
    expect(preset.form.datastoreName).toBe('demo-store');
    expect(preset.form.datastoreClientToken).toBe('tok-ds');
    expect(preset.form.importClientToken).not.toBe('tok-imp');
    expect(preset.form.importClientToken).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps sandbox runs in the sandbox', () => {
    expect(importMorePreset(buildTimeline(successfulRun('r', { sandbox: true })))?.form.profile).toBe(SANDBOX_PROFILE);
  });

  it('offers nothing before a data store id is known', () => {
    expect(importMorePreset(buildTimeline(successfulRun('r').slice(0, 2)))).toBeUndefined();
  });
});
