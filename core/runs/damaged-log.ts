/**
 * Reading a run log that may be damaged (a line cut short by a full disk and then appended to, a
 * file edited by hand): the events before the first bad line, plus where and why it is bad, so a
 * damaged run is shown and reported instead of vanishing. A torn LAST line is not damage: it is
 * what a kill leaves, dropped on read and cut off before the next append.
 */
import type { RunEvent } from '../engine/events';
import type { RunLogDamage } from './damage-types';

export type { RunLogDamage } from './damage-types';

export interface ReadableRunLog {
  /** The events before the first bad line, in file order. */
  events: RunEvent[];
  damage?: RunLogDamage;
  /** True when the last line is torn (unterminated or unparseable, with nothing after it). */
  torn: boolean;
}

/** The log of `runId` is damaged: reading it whole (to resume) is refused until it is repaired. */
export class RunLogDamagedError extends Error {
  override name = 'RunLogDamagedError';
  constructor(
    readonly runId: string,
    readonly damage: RunLogDamage,
  ) {
    super(`the run log of run ${runId} is damaged at line ${damage.line} (byte ${damage.offset}): ${damage.reason}. Repair the log first: it is cut at line ${damage.line} and the damaged file is kept as a backup`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Why `line` is not a run event, or undefined when it is one (then `event` is set). */
function parseLine(bytes: Buffer): { event: RunEvent } | { reason: string } {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { reason: 'not valid UTF-8' };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (text.includes('\u0000')) return { reason: 'not valid JSON: it holds NUL bytes, space the file system reserved but never wrote' };
    if (text.indexOf('{"type":', 1) > 0) return { reason: 'not valid JSON: an event cut short runs into the next one, as when a write does not finish' };
    return { reason: 'not valid JSON' };
  }
  const v = value as { type?: unknown; seq?: unknown } | null;
  if (v === null || typeof v !== 'object' || Array.isArray(v) || typeof v.type !== 'string' || typeof v.seq !== 'number')
    return { reason: 'not a run event (a JSON value without "type" and "seq")' };
  return { event: value as RunEvent };
}

/** Parses NDJSON bytes tolerantly: never throws for bad content. */
export function parseRunLog(buf: Buffer): ReadableRunLog {
  const events: RunEvent[] = [];
  let torn = buf.length > 0 && buf[buf.length - 1] !== 0x0a;
  let start = 0;
  let line = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(0x0a, start);
    const end = nl < 0 ? buf.length : nl;
    line += 1;
    const bytes = buf.subarray(start, end);
    if (bytes.toString('latin1').trim() !== '') {
      const parsed = parseLine(bytes);
      if ('event' in parsed) events.push(parsed.event);
      else {
        const rest = nl < 0 ? '' : buf.subarray(nl + 1).toString('latin1');
        if (rest.trim() === '') {
          torn = true;
          break;
        }
        return { events, torn: false, damage: { line, offset: start, reason: parsed.reason } };
      }
    }
    if (nl < 0) break;
    start = nl + 1;
  }
  return { events, torn };
}
