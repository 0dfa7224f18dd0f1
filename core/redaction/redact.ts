/**
 * Defensive redaction for anything a report shows. The engine already keeps credentials out of
 * events; this pass exists because reports get filed in tickets and audits, so a value that slipped
 * through (a presigned URL pasted as an input, a SignatureDoesNotMatch message quoting the canonical
 * request, a stray `aws_secret_access_key = ...`) must still never reach a report.
 *
 * Replacements never contain the words they remove, so a leak guard (secrets-guard.ts) stays quiet
 * on a redacted report.
 */

import { checkField, fieldForInput } from '../healthimaging/field-rules';

export const REDACTED = '[redacted]';

/** Secret-naming keys, compared lower-case without `-` and `_`. Client tokens are deliberately not here. */
const SECRET_KEY_NAMES = new Set([
  'secretaccesskey',
  'awssecretaccesskey',
  'secretkey',
  'sessiontoken',
  'awssessiontoken',
  'securitytoken',
  'awssecuritytoken',
  'xamzsecuritytoken',
  'xamzsignature',
  'xamzcredential',
  'signature',
  'authorization',
  'password',
  'passwd',
  'privatekey',
  'credential',
  'credentials',
]);

/** True for keys that name a credential (secretAccessKey, sessionToken, Authorization...). */
export function isSecretKeyName(key: string): boolean {
  return SECRET_KEY_NAMES.has(key.toLowerCase().replace(/[-_\s]/g, ''));
}

type Rule = [RegExp, string | ((match: string) => string)];

/** Rules that look for explicit credential markers (names, prefixes, header syntax). */
const MARKER_RULES: Rule[] = [
  // AWS error messages for SignatureDoesNotMatch quote the canonical request and string to sign,
  // which carry the session token and the signing scope: cut everything from there on.
  [/The Canonical String for this request should have been[\s\S]*/gi, `(canonical request ${REDACTED})`],
  [/The String-to-Sign should have been[\s\S]*/gi, `(string to sign ${REDACTED})`],
  // An Authorization header value, up to the end of the line.
  [/\bAuthorization\s*[:=]\s*[^\r\n]*/gi, `Authorization ${REDACTED}`],
  [/AWS4-HMAC-SHA256\s+Credential[^\r\n]*/gi, REDACTED],
  // Query-string or header style credentials in URLs and messages (presigned URLs included).
  // Quotes around the name allowed, so a JSON-quoted header ("x-amz-security-token": "...") goes too.
  [/\b(?:X-Amz-(?:Signature|Security-Token|Credential)|Signature|Credential|AWSAccessKeyId|SecurityToken)["']?\s*[=:]\s*["']?[^&\s,"'<>;)]*/gi, REDACTED],
  // A user name and password in a URL (a proxy URL quoted in an error): the host stays readable.
  // The placeholder of our own advice (http://user:password@proxy:3128) is not a credential.
  [/\b([a-z][a-z0-9+.-]*:\/\/)(?!user:password@)[^\s/?#@:]+:[^\s/?#@]+@/gi, `$1${REDACTED}@`],
  // key = value / "key": "value" forms of secret settings.
  [/\b(?:aws_)?(?:secret_?access_?key|session_?token|security_?token)\b["']?\s*[:=]\s*["']?[^\s"',;}]*/gi, REDACTED],
  // Access key ids (not secret on their own, but they identify credentials; keep them out).
  [/\b(?:AKIA|ASIA|AROA|AIDA)[A-Z0-9]{16}\b/g, '[redacted key id]'],
];

/** Rules that judge by shape alone; they would also mask a long data store name. */
const SHAPE_RULES: Rule[] = [
  // Session tokens: long base64 runs. A long S3 path is made of short segments; a token has long
  // ones (and often '+' or '='), even though real tokens hold runs of slashes.
  [/[A-Za-z0-9+/=]{100,}/g, (run) => (/[+=]/.test(run) || Math.max(...run.split('/').map((p) => p.length)) >= 32 ? REDACTED : run)],
  // A 40-character run that looks like a secret access key (mixed case, and digits or + or /).
  [
    /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])/g,
    (run) => (/[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9+/]/.test(run) ? REDACTED : run),
  ],
];

/** Redacts credential-looking parts of free text; leaves everything else as it is. */
export function redactText(text: string, opts: { shapeRules?: boolean } = {}): string {
  let out = text;
  const rules = opts.shapeRules === false ? MARKER_RULES : [...MARKER_RULES, ...SHAPE_RULES];
  for (const [rule, replacement] of rules) {
    out = typeof replacement === 'string' ? out.replace(rule, replacement) : out.replace(rule, replacement);
  }
  return out;
}

/** A client token as HealthImaging accepts it: shown as-is, it is what makes re-sends safe. */
const CLIENT_TOKEN = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Deep copy of `value` without secret-named keys and with every string passed through
 * redactText. Values under `*clientToken` keys are kept when they are valid client tokens. A value
 * of a HealthImaging field (datastoreName, jobName, an ARN, an S3 URI, an id) that passes its field
 * rule has a known, non-secret shape: only the marker rules apply to it, so a 40-character
 * mixed-case data store name is shown as it is (masking it would also break a resumed create,
 * whose client token is bound to the exact name).
 */
export function redactValue<T>(value: T, key?: string, depth = 0): T {
  if (depth > 20) return REDACTED as unknown as T;
  if (key !== undefined && isSecretKeyName(key)) return REDACTED as unknown as T;
  if (typeof value === 'string') {
    if (key !== undefined && /clienttoken$/i.test(key) && CLIENT_TOKEN.test(value)) return value;
    const field = key === undefined ? undefined : fieldForInput(key);
    const knownShape = field !== undefined && checkField(field, value) === undefined;
    return redactText(value, { shapeRules: !knownShape }) as unknown as T;
  }
  if (Array.isArray(value)) return value.map((v) => redactValue(v, undefined, depth + 1)) as unknown as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    // A secret-named field is left out entirely: even its name reads like a leak in a filed report.
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (!isSecretKeyName(k)) out[k] = redactValue(v, k, depth + 1);
    return out as T;
  }
  return value;
}
