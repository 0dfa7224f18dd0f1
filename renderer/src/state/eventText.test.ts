import { describe, expect, it } from 'vitest';
import { successfulRun } from './__fixtures__/events';
import { eventText, eventTime } from './eventText';

describe('event log lines', () => {
  it('gives every event of a run one readable line', () => {
    const lines = successfulRun('r', { failedFiles: 2 }).map(eventText);
    expect(lines.every((l) => l.length > 0 && !l.includes('undefined') && !l.includes('[object'))).toBe(true);
    expect(lines[0]).toMatch(/^Run started: .* \(4 steps, sandbox\)$/);
    expect(lines.at(-1)).toBe('Import results: 10/12 files imported, 2 failed');
  });

  it('formats times as hh:mm:ss', () => {
    expect(eventTime(successfulRun()[0]!)).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  });
});
