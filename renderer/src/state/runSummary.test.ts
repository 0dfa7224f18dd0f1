import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../contract/ipc';
import { runStateStatus, sortRuns } from './runSummary';

describe('history rows', () => {
  it('never shows a FAILED import as a success', () => {
    expect(runStateStatus({ state: 'succeeded', jobStatus: 'COMPLETED' })).toEqual({ type: 'success', text: 'Succeeded' });
    expect(runStateStatus({ state: 'succeeded', jobStatus: 'COMPLETED', failedFiles: 36 })).toEqual({ type: 'warning', text: 'Completed with errors' });
    expect(runStateStatus({ state: 'succeeded', jobStatus: 'FAILED' })).toEqual({ type: 'error', text: 'Import failed' });
    expect(runStateStatus({ state: 'interrupted' }).text).toBe('Interrupted');
    expect(runStateStatus({ state: 'timed_out' }).type).toBe('error');
  });

  it('sorts newest first', () => {
    const run = (runId: string, startedAt: string): RunSummary => ({ runId, startedAt, workflowId: 'w', state: 'succeeded', region: 'us-east-1', sandbox: true, resumable: false });
    expect(sortRuns([run('a', '2026-01-01T00:00:00Z'), run('b', '2026-03-01T00:00:00Z')]).map((r) => r.runId)).toEqual(['b', 'a']);
  });
});
