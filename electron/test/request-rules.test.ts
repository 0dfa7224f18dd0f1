/**
 * The main process holds every request to the rules the renderer shows: polling floors and the
 * run-id rule are enforced by contract/schemas.ts, so a payload that skips the form (a
 * compromised renderer, the browser host) cannot ask for 10 ms polls or a run folder named "..".
 */
import { describe, expect, it } from 'vitest';
import { assertRunId } from '../../core/runs/run-store';
import { pollingErrors } from '../../renderer/src/state/wizardModel';
import type { PollingSettings } from '../../contract/ipc';
import { parseRequest } from '../../contract/schemas';

const start = (polling: PollingSettings) => ({
  profile: 'dev',
  region: 'us-east-1',
  inputs: {
    datastoreName: 'demo',
    datastoreClientToken: 'tok1',
    dataAccessRoleArn: 'arn:aws:iam::123456789012:role/r',
    importClientToken: 'tok2',
    inputS3Uri: 's3://bucket/in/',
    outputS3Uri: 's3://bucket/out/',
  },
  polling,
});
const ok: PollingSettings = { initialDelaySeconds: 1, multiplier: 1.5, maxDelaySeconds: 10, stepTimeoutSeconds: 600 };

describe('polling settings in run:start', () => {
  it('below the floors (or above the caps) they are refused, naming the field and the bound', () => {
    const cases: Array<[Partial<PollingSettings>, RegExp]> = [
      [{ initialDelaySeconds: 0.01 }, /polling\.initialDelaySeconds: at least 0\.1 seconds/],
      [{ multiplier: 0.5 }, /polling\.multiplier: at least 1/],
      [{ multiplier: 11 }, /polling\.multiplier: at most 10/],
      [{ maxDelaySeconds: 7200 }, /polling\.maxDelaySeconds: at most 3600 seconds/],
      [{ initialDelaySeconds: 20, maxDelaySeconds: 10 }, /polling\.maxDelaySeconds: at least initialDelaySeconds/],
      [{ stepTimeoutSeconds: 1 }, /polling\.stepTimeoutSeconds: at least 10 seconds/],
      [{ stepTimeoutSeconds: 8 * 24 * 3600 }, /polling\.stepTimeoutSeconds: at most 604800 seconds/],
    ];
    for (const [change, message] of cases) expect(() => parseRequest('run:start', start({ ...ok, ...change })), JSON.stringify(change)).toThrow(message);
    expect(parseRequest('run:start', start(ok))).toMatchObject({ polling: ok });
  });

  it('the schema accepts exactly what the wizard accepts', () => {
    const values = {
      initialDelaySeconds: [0, 0.05, 0.1, 1, 3600, 3601],
      multiplier: [0.9, 1, 2, 10, 10.5],
      maxDelaySeconds: [0.1, 0.5, 5, 3600, 4000],
      stepTimeoutSeconds: [5, 10, 600, 604800, 604801],
    };
    let accepted = 0;
    for (const initialDelaySeconds of values.initialDelaySeconds)
      for (const multiplier of values.multiplier)
        for (const maxDelaySeconds of values.maxDelaySeconds)
          for (const stepTimeoutSeconds of values.stepTimeoutSeconds) {
            const p = { initialDelaySeconds, multiplier, maxDelaySeconds, stepTimeoutSeconds };
            const wizardOk = Object.keys(pollingErrors(p)).length === 0;
            let schemaOk = true;
            try {
              parseRequest('run:start', start(p));
            } catch {
              schemaOk = false;
            }
            expect(schemaOk, JSON.stringify(p)).toBe(wizardOk);
            if (schemaOk) accepted++;
          }
    expect(accepted).toBeGreaterThan(0);
  });
});

describe('run ids', () => {
  const ids = ['run-1', 'A.b_c-9', '2026-01-01T00-00-00Z-abc', 'x'.repeat(128), '..', '.hidden', '-flag', '_x', 'a..b', 'x'.repeat(129), '', 'a/b', 'a b', 'ü'];

  it('the schema accepts exactly the ids the run store accepts, and names the rule', () => {
    for (const runId of ids) {
      let storeOk = true;
      try {
        assertRunId(runId);
      } catch {
        storeOk = false;
      }
      let schemaOk = true;
      try {
        parseRequest('run:resume', { runId });
      } catch (e) {
        schemaOk = false;
        expect((e as Error).message).toMatch(/runId: /);
      }
      expect(schemaOk, runId).toBe(storeOk);
    }
    expect(() => parseRequest('report:export', { runId: '..', format: 'pdf' })).toThrow(/runId: letters, digits, "\.", "_" or "-", starting with a letter or digit, at most 128, no "\.\."/);
  });
});
