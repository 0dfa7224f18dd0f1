import { describe, expect, it } from 'vitest';
import { commandOfAction, formatDuration, stepTitle } from './labels';

describe('labels', () => {
  it('formats durations for people', () => {
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(83)).toBe('83 ms');
    expect(formatDuration(1_250)).toBe('1.2 s');
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
  });
});
