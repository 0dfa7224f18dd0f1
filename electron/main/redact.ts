/**
 * Turns anything thrown by a handler into a message safe to show in the window or write to a log:
 * no stack, no access keys, session tokens, signatures or Authorization headers, bounded length.
 */
const PATTERNS: Array<[RegExp, string]> = [
  [/\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b/g, '[redacted-key-id]'],
  [/(aws_secret_access_key|secretAccessKey|SecretAccessKey|aws_session_token|sessionToken|SessionToken)(["'\s:=]+)[^\s"',;}]+/g, '$1$2[redacted]'],
  [/(X-Amz-Signature|X-Amz-Security-Token|X-Amz-Credential)=[^&\s"']+/gi, '$1=[redacted]'],
  [/(Signature=)[0-9a-f]{16,}/gi, '$1[redacted]'],
  [/(Authorization["'\s:=]+)[^\n"']+/gi, '$1[redacted]'],
  [/(x-amz-security-token["'\s:=]+)[^\s"',]+/gi, '$1[redacted]'],
  // Long base64 blobs (session tokens) and 40-char secret keys.
  [/[A-Za-z0-9/+=]{120,}/g, '[redacted-token]'],
  [/(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g, '[redacted-secret]'],
];

export function redactSecrets(text: string): string {
  let out = text;
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement);
  return out;
}

/** The message of a thrown value, redacted, without its stack. */
export function safeErrorMessage(error: unknown, max = 1000): string {
  const raw =
    error instanceof Error ? error.message : typeof error === 'string' ? error : 'Unexpected error in the main process';
  const message = redactSecrets(raw.split('\n    at ')[0] ?? raw).trim() || 'Unexpected error in the main process';
  return message.length > max ? message.slice(0, max) + '…' : message;
}
