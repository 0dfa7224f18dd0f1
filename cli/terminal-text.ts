/**
 * Text from outside the product (profile names from ~/.aws/config, AWS error messages, paths) can
 * carry control characters: escape sequences that retitle the window, rewrite or hide earlier
 * lines, plant hyperlinks or answer back, a bare CR that overwrites a line, bidi overrides that
 * reorder it. None of that may reach the terminal.
 */

/** C0 controls but tab and newline, DEL, C1 controls, and the bidi embedding/override/isolate marks. */
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
/** The same, but the colour codes cli/output.ts writes itself (reset, bold, dim, red, green, yellow) and CRLF pass. */
const CONTROLS_BUT_OWN = /\x1b\[(?:0|1|2|31|32|33)m|\r\n|[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A value shown in a line (a profile name in a table): every control character removed. */
export function stripControls(value: string): string {
  return value.replace(CONTROLS, '');
}

/** A whole line the CLI writes: foreign control characters removed, its own colours kept. */
export function terminalSafe(text: string): string {
  return text.replace(CONTROLS_BUT_OWN, (m) => (m.length > 1 ? m : ''));
}

/** The CLI's output, filtered: whatever a command prints goes through terminalSafe. */
export function terminalSafeIO<T extends { out: (s: string) => void; err: (s: string) => void }>(io: T): T {
  return { ...io, out: (s: string) => io.out(terminalSafe(s)), err: (s: string) => io.err(terminalSafe(s)) };
}
