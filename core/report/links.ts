/**
 * The only links a report may hold: https AWS console pages and AWS documentation. Built here and
 * checked again by the renderers (isAllowedReportLink), so nothing in a report can point elsewhere.
 */
import type { ReportLink } from './types';

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const DATASTORE_ID = /^[0-9a-z]{32}$/;
const JOB_ID = /^[0-9a-z]{1,32}$/;

export function datastoreConsoleUrl(region: string, datastoreId: string): string | undefined {
  if (!REGION.test(region) || !DATASTORE_ID.test(datastoreId)) return undefined;
  return `https://${region}.console.aws.amazon.com/medical-imaging/home?region=${region}#/data-stores/${datastoreId}`;
}

export function importJobConsoleUrl(region: string, datastoreId: string, jobId: string): string | undefined {
  const base = datastoreConsoleUrl(region, datastoreId);
  if (!base || !JOB_ID.test(jobId)) return undefined;
  return `${base}/import-jobs/${jobId}`;
}

/** The S3 console page of an s3:// prefix (the import's output folder). */
export function s3ConsoleUrl(region: string, s3Uri: string): string | undefined {
  const m = /^s3:\/\/([a-z0-9][.\-a-z0-9]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(s3Uri);
  if (!m || !REGION.test(region)) return undefined;
  const bucket = m[1]!;
  const prefix = m[2] ?? '';
  const q = new URLSearchParams({ region });
  if (prefix) q.set('prefix', prefix);
  return `https://s3.console.aws.amazon.com/s3/buckets/${bucket}?${q.toString()}`;
}

export const DOC_LINKS: ReportLink[] = [
  {
    title: 'Getting import job properties (HealthImaging Developer Guide)',
    url: 'https://docs.aws.amazon.com/healthimaging/latest/devguide/get-dicom-import-job.html',
  },
  {
    title: 'Listing import jobs (HealthImaging Developer Guide)',
    url: 'https://docs.aws.amazon.com/healthimaging/latest/devguide/list-dicom-import-jobs.html',
  },
  {
    title: 'GetDICOMImportJob (HealthImaging API Reference)',
    url: 'https://docs.aws.amazon.com/healthimaging/latest/APIReference/API_GetDICOMImportJob.html',
  },
];

/** https on an AWS console or AWS documentation host, nothing else. */
export function isAllowedReportLink(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol !== 'https:' || u.username || u.password || u.port) return false;
  const host = u.hostname;
  return host === 'docs.aws.amazon.com' || host === 'console.aws.amazon.com' || /^[a-z0-9-]+\.console\.aws\.amazon\.com$/.test(host);
}
