/** AWS console links for what a run created, for the run's own region. */
const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d$/;
const DATASTORE_ID_RE = /^[0-9a-z]{32}$/;

export function datastoreConsoleUrl(region: string, datastoreId: string): string | undefined {
  if (!REGION_RE.test(region) || !DATASTORE_ID_RE.test(datastoreId)) return undefined;
  return `https://${region}.console.aws.amazon.com/medical-imaging/home?region=${region}#/data-stores/${datastoreId}`;
}

const JOB_ID_RE = /^[0-9a-z]{1,32}$/;

/** The same deep link the run report uses (core/report/links.ts), so app and report agree. */
export function importJobConsoleUrl(region: string, datastoreId: string, jobId: string): string | undefined {
  const base = datastoreConsoleUrl(region, datastoreId);
  if (!base || !JOB_ID_RE.test(jobId)) return undefined;
  return `${base}/import-jobs/${jobId}`;
}


export { consoleLinksApply } from '../../../core/healthimaging/console-links';
