/**
 * The only links a report may hold: https AWS console pages and AWS documentation. Built here and
 * checked again by the renderers (isAllowedReportLink), so nothing in a report can point elsewhere.
 */
import { vetAwsLink } from '../healthimaging/console-links';
import type { ReportLink } from './types';

export { datastoreConsoleUrl, importJobConsoleUrl, s3ConsoleUrl } from '../healthimaging/console-links';

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

/** The product's one link rule (core/healthimaging/console-links.ts), applied again by the renderers. */
export function isAllowedReportLink(url: string): boolean {
  return vetAwsLink(url).ok;
}
