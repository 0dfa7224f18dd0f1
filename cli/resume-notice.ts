/**
 * The stderr line after a run that stopped short: how to finish it. A full disk gets its own words
 * (the run's error names the runs folder), because "resume" alone would fail again until space is freed.
 */
import type { RunEndedEvent } from '../core/engine/events';

export function resumeNotice(ended: Pick<RunEndedEvent, 'status' | 'resumable' | 'error'>, resumeCommand: string): string | undefined {
  if (ended.error?.code === 'DiskFull') return `${ended.error.message}\nFree space, then run: ${resumeCommand}\n`;
  if (ended.resumable && ended.status !== 'succeeded') return `Resume with: ${resumeCommand}\n`;
  return undefined;
}
