/**
 * Which URLs the app may open in the browser for an IAM Identity Center sign-in: https on the
 * default port to the identity center hosts (OIDC authorize and device pages, AWS access portals),
 * or, for tests and the sandbox, the configured local SSO OIDC endpoint itself. Kept apart from
 * core/healthimaging/console-links.ts (vetAwsLink): those links are for any page, these only during a sign-in. No electron import.
 */
const SIGN_IN_HOSTS = [
  /^oidc\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com$/,
  /^device\.sso\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com$/,
  /^[a-z0-9-]+\.awsapps\.com$/,
  /^[a-z0-9-]+\.portal\.[a-z]{2}(-[a-z]+)+-\d\.app\.aws$/,
];

export function vetSignInUrl(raw: unknown, env: NodeJS.ProcessEnv = process.env): { ok: true; url: string } | { ok: false; reason: string } {
  if (typeof raw !== 'string' || raw.length > 4096) return { ok: false, reason: 'not a URL' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'links with credentials are refused' };
  const local = env.AWS_ENDPOINT_URL_SSO_OIDC;
  if (local) {
    try {
      if (new URL(local).origin === url.origin) return { ok: true, url: url.toString() };
    } catch {
      // A malformed override allows nothing extra.
    }
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'only https sign-in pages open' };
  if (url.port !== '') return { ok: false, reason: 'sign-in links with a port are refused' };
  if (!SIGN_IN_HOSTS.some((re) => re.test(url.hostname.toLowerCase()))) return { ok: false, reason: `not an IAM Identity Center sign-in page (${url.hostname})` };
  return { ok: true, url: url.toString() };
}
