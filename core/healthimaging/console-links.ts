/**
 * Links to AWS: the console pages of what a run made, and the one rule for which links may leave
 * the product (the reports, the Done screen, shell.openExternal). Pure (no Node imports): shared
 * by the run report, the renderer and the main process.
 */
/**
 * Whether the AWS console can show what a run made: not for sandbox runs, and not for a run whose
 * profile sent HealthImaging to a custom endpoint outside AWS (a VPC or FIPS endpoint under
 * amazonaws.com is still AWS, so its resources are in the console).
 */
export function consoleLinksApply(context: { sandbox: boolean; endpoint?: string } | undefined): boolean {
  if (!context || context.sandbox) return false;
  if (!context.endpoint) return true;
  try {
    const host = new URL(context.endpoint).hostname.toLowerCase();
    return host === 'amazonaws.com' || host.endsWith('.amazonaws.com') || host.endsWith('.amazonaws.com.cn');
  } catch {
    return false;
  }
}

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

const ALLOWED_HOSTS = [/^([a-z0-9-]+\.)*console\.aws\.amazon\.com$/, /^docs\.aws\.amazon\.com$/, /^aws\.amazon\.com$/];

/**
 * Which links may leave the product: https only, to the AWS console, AWS documentation or
 * aws.amazon.com, on the default port, with no credentials in the URL. Everything else is refused.
 */
export function vetAwsLink(raw: unknown): { ok: true; url: string } | { ok: false; reason: string } {
  if (typeof raw !== 'string' || raw.length > 2048) return { ok: false, reason: 'not a URL' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'only https links open outside the app' };
  if (url.username || url.password) return { ok: false, reason: 'links with credentials are refused' };
  if (url.port !== '') return { ok: false, reason: 'links with a port are refused' };
  const host = url.hostname.toLowerCase();
  if (!ALLOWED_HOSTS.some((re) => re.test(host))) {
    return { ok: false, reason: `only AWS console and documentation links open outside the app (not ${host})` };
  }
  return { ok: true, url: url.toString() };
}
