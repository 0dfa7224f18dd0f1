/**
 * A leak guard for rendered reports (and anything else that is about to leave the process):
 * throws when the text holds a known secret, a piece of one, or any credential marker
 * (SigV4 signatures, security-token headers, secret-key settings).
 */

/** Markers that only ever appear next to credentials. */
const CREDENTIAL_MARKERS: Array<[RegExp, string]> = [
  [/Signature=/i, 'a request signature (Signature=)'],
  [/X-Amz-Signature/i, 'a presigned-URL signature (X-Amz-Signature)'],
  [/X-Amz-Security-Token/i, 'a session token header (X-Amz-Security-Token)'],
  [/X-Amz-Credential/i, 'a signing credential (X-Amz-Credential)'],
  [/AWS4-HMAC-SHA256\s+Credential/i, 'a SigV4 Authorization header'],
  [/aws_secret/i, 'a secret access key setting (aws_secret...)'],
  [/aws_session_token/i, 'a session token setting (aws_session_token)'],
];

export class SecretLeakError extends Error {
  override name = 'SecretLeakError';
}

/** Pieces of a secret that must not appear either: the whole, its encodings and any long slice. */
function fragments(secret: string): string[] {
  const out = new Set<string>([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
  // Every 24-character window at a step of 8: any slice of 31 characters or more contains one.
  if (secret.length >= 32) {
    const n = 24;
    for (let at = 0; at + n <= secret.length; at += 8) out.add(secret.slice(at, at + n));
    out.add(secret.slice(secret.length - n));
  }
  return [...out].filter((f) => f.length >= 8);
}

/**
 * A checker for one set of known secrets (fragments computed once, so guarding many strings is
 * cheap). Returns what was found, in words that never echo the secret, or undefined.
 */
export function leakFinder(knownSecrets: readonly string[]): (text: string) => string | undefined {
  const pieces = knownSecrets.map((secret) => (secret ? fragments(secret) : []));
  return (text) => {
    for (let i = 0; i < pieces.length; i++) {
      for (const fragment of pieces[i]!) {
        const at = text.indexOf(fragment);
        if (at >= 0) return `known secret #${i + 1} (or a part of it) appears at offset ${at}`;
      }
    }
    for (const [marker, what] of CREDENTIAL_MARKERS) {
      const m = marker.exec(text);
      if (m) return `${what} appears at offset ${m.index}`;
    }
    return undefined;
  };
}

/**
 * Throws SecretLeakError naming what was found (never echoing the secret itself).
 * `knownSecrets`: the secret access key, session token, signatures... used to make the run.
 */
export function assertNoSecrets(text: string, knownSecrets: readonly string[]): void {
  const found = leakFinder(knownSecrets)(text);
  if (found) throw new SecretLeakError(found);
}
