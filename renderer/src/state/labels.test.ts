import { describe, expect, it } from 'vitest';
import { commandOfAction, formatDuration, IMPORT_CALLS, PLANNED_CALLS, stepTitle } from './labels';

describe('labels', () => {
  it('formats durations for people', () => {
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(83)).toBe('83 ms');
    expect(formatDuration(1_240)).toBe('1.2 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(24 * 3600_000 + 61_000)).toBe('24 h 1 min');
  });

  it('finds the command in an action', () => {
    expect(commandOfAction('Run: aws sso login --profile dev')).toBe('aws sso login --profile dev');
    expect(commandOfAction('Run: aws sso login --profile dev.')).toBe('aws sso login --profile dev');
    expect(commandOfAction('Check the role trust policy, then import again.')).toBeUndefined();
  });

  it('titles steps by operation, falling back to the step id', () => {
    expect(stepTitle({ stepId: 'x', operationId: 'GetDICOMImportJob' })).toBe('Wait for the import job to finish');
    expect(stepTitle({ stepId: 'custom', operationId: 'Other' })).toBe('custom');
    // The import's one-time check is not a wait.
    expect(stepTitle({ stepId: 'checkDatastore', operationId: 'GetDatastore', polling: false })).toBe('Check that the data store is ACTIVE');
    expect(stepTitle({ stepId: 'pollDatastore', operationId: 'GetDatastore', polling: true })).toBe('Wait for the data store to become ACTIVE');
  });

  it('lists the calls each workflow makes: an import into an existing store sends no CreateDatastore and polls only the job', () => {
    expect(PLANNED_CALLS.map((c) => c.operation)).toEqual(['CreateDatastore', 'GetDatastore', 'StartDICOMImportJob', 'GetDICOMImportJob']);
    expect(IMPORT_CALLS.map((c) => [c.operation, c.polling])).toEqual([
      ['GetDatastore', false],
      ['StartDICOMImportJob', false],
      ['GetDICOMImportJob', true],
    ]);
  });
});
