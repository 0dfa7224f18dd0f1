/**
 * The name a saved report gets: ahi-onboarding-<datastoreName>-<YYYY-MM-DD>.<ext>, with the data
 * store id in place of a name the run never learned (an import into a store it could not read),
 * and the run id when neither is known. The data store name may hold `/` and `#` (HealthImaging
 * allows them), so it is reduced to characters that are safe in a file name on every platform;
 * the date is the run's start (UTC).
 */
import type { RunReport } from './types';

export function reportFileName(report: RunReport, ext: string): string {
  const raw = report.outputs.datastoreName ?? (typeof report.inputs.datastoreName === 'string' ? report.inputs.datastoreName : undefined) ?? report.outputs.datastoreId ?? '';
  let name = raw
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/[-.]{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .replace(/[-.]+$/g, '');
  if (!name) name = report.runId.replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40) || 'run';
  const date = /^\d{4}-\d{2}-\d{2}/.exec(report.startedAt)?.[0] ?? report.generatedAt.slice(0, 10);
  const safeExt = ext.replace(/^\./, '').replace(/[^A-Za-z0-9]/g, '').toLowerCase() || 'txt';
  return `ahi-onboarding-${name}-${date}.${safeExt}`;
}
