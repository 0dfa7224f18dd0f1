import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../core/engine/events';
import { createEventPrinter, formatElapsed } from './output';

const base = { runId: 'run-1' };
const events: RunEvent[] = [
  { ...base, seq: 1, at: '2026-01-01T00:00:00.000Z', type: 'run-started', workflowId: 'wf', workflowHash: 'h', inputs: {}, context: { region: 'us-east-1', sandbox: true }, steps: [], product: { name: 'p', version: '1' } },
  { ...base, seq: 2, at: '2026-01-01T00:00:00.100Z', type: 'step-started', stepId: 'createDatastore', operationId: 'CreateDatastore' },
  { ...base, seq: 3, at: '2026-01-01T00:00:00.200Z', type: 'request-sent', stepId: 'createDatastore', operationId: 'CreateDatastore', attempt: 1, input: {}, clientToken: 'tok-1' },
  { ...base, seq: 4, at: '2026-01-01T00:00:00.300Z', type: 'response-received', stepId: 'createDatastore', operationId: 'CreateDatastore', attempt: 1, httpStatus: 200, requestId: 'rq', durationMs: 100, observedStatus: 'CREATING', outputs: { datastoreId: 'd1' } },
  { ...base, seq: 5, at: '2026-01-01T00:00:01.000Z', type: 'waiting', stepId: 'pollDatastore', reason: 'throttled', delayMs: 2000, nextAttemptAt: '2026-01-01T00:00:03.000Z' },
  { ...base, seq: 6, at: '2026-01-01T00:01:05.500Z', type: 'run-ended', status: 'succeeded', outputs: { datastoreId: 'd1', jobStatus: 'COMPLETED' }, resumable: false },
];

describe('event output', () => {
  it('plain mode: one line per event with elapsed time, no escape codes', () => {
    let out = '';
    const p = createEventPrinter({ json: false, tty: false, write: (s) => (out += s) });
    for (const e of events) p.print(e);
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(events.length);
    expect(out).not.toContain('\x1b[');
    expect(lines[0]).toMatch(/^\[0:00\.0\] > run run-1 started: wf \(sandbox, us-east-1\)$/);
    expect(lines[2]).toContain('clientToken=tok-1');
    expect(lines[3]).toMatch(/^\[0:00\.3\]\s+<- 200 CREATING datastoreId=d1/);
    expect(lines[4]).toMatch(/throttled, slowing down in 2\.0 s/);
    expect(lines[5]).toMatch(/^\[1:05\.5\] == workflow ended: datastoreId=d1 jobStatus=COMPLETED$/);
  });

  it('--json prints each event as one NDJSON line, unchanged', () => {
    let out = '';
    const p = createEventPrinter({ json: true, tty: true, write: (s) => (out += s) });
    for (const e of events) p.print(e);
    expect(out.trimEnd().split('\n').map((l) => JSON.parse(l))).toEqual(events);
  });

  it('formats elapsed time past a minute and an hour', () => {
    expect(formatElapsed(65_500)).toBe('1:05.5');
    expect(formatElapsed(3_723_000)).toBe('1:02:03');
  });
});
