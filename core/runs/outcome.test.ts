import { describe, expect, it } from 'vitest';
import { classifyRunOutcome, failedFileCount, OUTCOME_LABELS } from './outcome';

const read = (customer: number, server: number) => ({ state: 'read' as const, numberOfFilesWithCustomerError: customer, numberOfFilesWithServerError: server });

describe('classifyRunOutcome', () => {
  it('a COMPLETED job with failed files is completed_with_errors; without failures it succeeded', () => {
    expect(classifyRunOutcome({ status: 'succeeded', jobStatus: 'COMPLETED', importResults: read(36, 0) })).toBe('completed_with_errors');
    expect(classifyRunOutcome({ status: 'succeeded', jobStatus: 'COMPLETED', importResults: read(0, 1) })).toBe('completed_with_errors');
    expect(classifyRunOutcome({ status: 'succeeded', jobStatus: 'COMPLETED', importResults: read(0, 0) })).toBe('succeeded');
    expect(classifyRunOutcome({ status: 'succeeded', jobStatus: 'COMPLETED' })).toBe('succeeded');
  });
  it('results that could not be read count no failures; other endings keep their status', () => {
    expect(failedFileCount({ state: 'access-denied', numberOfFilesWithCustomerError: 3 })).toBe(0);
    for (const status of ['failed', 'cancelled', 'timed_out', 'error'] as const) expect(classifyRunOutcome({ status, jobStatus: 'COMPLETED', importResults: read(5, 0) })).toBe(status);
  });
  it('has one label per code', () => {
    expect(OUTCOME_LABELS.completed_with_errors).toBe('Completed with errors');
  });
});
