/** The report as JSON: the documented schema (report.schema.json), two-space indented. */
import type { RunReport } from './types';

export function renderJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
