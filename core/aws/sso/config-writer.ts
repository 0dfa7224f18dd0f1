/**
 * Adds or replaces `[profile NAME]` and `[sso-session NAME]` in the AWS config file while keeping
 * every other byte as it was (comments, order, blank lines, line endings), because people edit
 * this file by hand. A section that exists is replaced in place (its header up to the next header);
 * a new one is appended. Written via a temp file and rename.
 */
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ConfigSection {
  /** As written between the brackets: `profile imaging`, `sso-session hospital`, `default`. */
  header: string;
  entries: [string, string][];
}

const HEADER = /^\s*\[\s*([^\]]+?)\s*\]\s*(?:[#;].*)?$/;
const norm = (h: string) => h.replace(/\s+/g, ' ').trim();

export function upsertSections(text: string, sections: ConfigSection[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let out = text;
  for (const s of sections) {
    const body = [`[${s.header}]`, ...s.entries.map(([k, v]) => `${k} = ${v}`)].join(eol) + eol;
    const lines = out.split(/(?<=\n)/); // keep each line's own terminator
    const start = lines.findIndex((l) => norm(HEADER.exec(l.replace(/\r?\n$/, ''))?.[1] ?? '\0') === norm(s.header));
    if (start < 0) {
      const sep = out === '' ? '' : out.endsWith('\n') ? eol : eol + eol;
      out = out + sep + body;
      continue;
    }
    let end = start + 1;
    while (end < lines.length && !HEADER.test(lines[end]!.replace(/\r?\n$/, ''))) end++;
    // Keep trailing blank lines and comments that separate this section from the next one.
    let keep = end;
    while (keep > start + 1 && /^\s*([#;].*)?\r?\n?$/.test(lines[keep - 1]!)) keep--;
    out = [...lines.slice(0, start), body, ...lines.slice(keep)].join('');
  }
  return out;
}

export function writeConfigSections(file: string, sections: ConfigSection[]): void {
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, upsertSections(before, sections), { mode: 0o600 });
  renameSync(tmp, file);
}
