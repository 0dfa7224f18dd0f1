/** Aligned columns and dates as the AWS CLI's table output shows them. */

export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (c ?? '').padEnd(widths[i]!)).join('  ').trimEnd() + '\n';
  return line(head) + rows.map(line).join('');
}

/** 2026-12-03 11:32:18 UTC: unambiguous, sortable, the same on every machine. */
export function when(d: Date | undefined): string {
  if (!d || Number.isNaN(d.getTime())) return '-';
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
