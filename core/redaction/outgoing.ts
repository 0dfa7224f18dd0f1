/**
 * The last check on whatever leaves the process: terminal output, report files, what the app's
 * window is sent. Redaction happens at the source (classifyAwsError, redactEvent, buildReport);
 * this guard (secrets-guard.ts: the credentials in use plus credential markers) makes sure it did.
 * A text that still trips it is redacted by shape as well, and withheld when even that does not
 * clean it: output with a hole in it is a bug report, output with a token in it is an incident.
 */
import { redactText } from './redact';
import { leakFinder } from './secrets-guard';

/** What stands in for a text the guard would not let out. Holds none of the guard's markers. */
export const WITHHELD = '[withheld: it held a credential]';

/** The secrets in use right now (session credentials), asked for at every check. */
export type SecretSource = () => readonly string[];

function knownFrom(sources: readonly SecretSource[]): string[] {
  const out: string[] = [];
  for (const source of sources) {
    try {
      for (const s of source()) if (s) out.push(s);
    } catch {
      /* a source that cannot answer adds nothing; the markers still apply */
    }
  }
  return out;
}

/** One string through the guard: as it is when clean, else redacted by shape too, else withheld. */
function guardOne(text: string, find: (t: string) => string | undefined): string {
  if (find(text) === undefined) return text;
  const shaped = redactText(text);
  return find(shaped) === undefined ? shaped : WITHHELD;
}

/**
 * Text for a terminal or a log: the marker rules always apply (Authorization values, signatures,
 * key ids, canonical requests), so nothing credential-shaped is printed even when no secret is known.
 */
export function guardText(text: string, known: readonly string[] = []): string {
  const out = guardOne(redactText(text, { shapeRules: false }), leakFinder(known));
  // A withheld line still ends its line, so the next one is not glued to it.
  return out === WITHHELD && text.endsWith('\n') ? `${WITHHELD}\n` : out;
}

/**
 * A value for a file or the window: each string is checked on its own and left exactly as it is
 * when clean (a 40-character data store name stays whole); keys and structure are kept.
 */
export function guardValue<T>(value: T, known: readonly string[] = []): T {
  const find = leakFinder(known);
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return guardOne(v, find);
    if (depth > 40 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = walk(x, depth + 1);
    return out;
  };
  return walk(value, 0) as T;
}

/** A guard whose known secrets come from sources added as they appear (a session once opened). */
export interface OutgoingGuard {
  text(text: string): string;
  value<T>(value: T): T;
  addSecrets(source: SecretSource): void;
  /** The secrets known now, for a writer that checks a whole file itself (exportReport). */
  secrets(): string[];
}

export function createOutgoingGuard(): OutgoingGuard {
  const sources: SecretSource[] = [];
  return {
    text: (t) => guardText(t, knownFrom(sources)),
    value: (v) => guardValue(v, knownFrom(sources)),
    addSecrets: (source) => void sources.push(source),
    secrets: () => knownFrom(sources),
  };
}
