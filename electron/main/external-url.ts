/**
 * Which links may leave the app: https only, to the AWS console, AWS documentation or aws.amazon.com,
 * on the default port, with no credentials in the URL. Everything else is refused. No electron import.
 */
const ALLOWED_HOSTS = [/^([a-z0-9-]+\.)*console\.aws\.amazon\.com$/, /^docs\.aws\.amazon\.com$/, /^aws\.amazon\.com$/];

export function vetExternalUrl(raw: unknown): { ok: true; url: string } | { ok: false; reason: string } {
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
