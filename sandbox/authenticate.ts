/**
 * SigV4 checks in the order the server runs them: first everything that needs no body (header
 * shape, service, key id, region, date), then for S3 the payload-hash header and the signature
 * itself (S3 signs the declared hash, not the body), and after the body is read, whether the body
 * matches the declared hash. So an unauthenticated upload is refused before it is read.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError, authError, type ServiceName } from './errors';
import { parseAmzDate, signatureMatches, type ParsedAuthorization, type SignedRequest } from './sigv4';

export const MAX_SKEW_MS = 5 * 60 * 1000;

const stamp = (d: Date) => d.toISOString().replace(/[-:]|\.\d{3}/g, '');

/** Missing or malformed header, wrong service, unknown key, wrong region, bad or skewed date: all before the body. */
export function checkCredentialScope(
  service: ServiceName,
  headers: IncomingHttpHeaders,
  auth: ParsedAuthorization | null,
  expected: { accessKeyId: string; region: string },
  now = Date.now(),
): { auth: ParsedAuthorization; signingDate: Date } {
  if (!headers['authorization']) throw authError(service, 'missing', '');
  if (!auth) throw authError(service, 'malformed', 'Authorization header is not a valid AWS4-HMAC-SHA256 signature (Credential, SignedHeaders, Signature).');
  if (auth.service !== service)
    throw authError(service, 'badSignature', `Credential should be scoped to a valid service: medical-imaging, s3, sts, iam or kms, not '${auth.service}'.`);
  if (auth.accessKeyId !== expected.accessKeyId) throw authError(service, 'unknownKey', '');
  if (auth.region !== expected.region)
    throw authError(service, 'wrongRegion', `Credential should be scoped to a valid region. The sandbox serves '${expected.region}', not '${auth.region}'.`);
  const amzDate = headers['x-amz-date'];
  const signingDate = parseAmzDate(typeof amzDate === 'string' ? amzDate : undefined);
  if (!signingDate || typeof amzDate !== 'string' || amzDate.slice(0, 8) !== auth.shortDate)
    throw authError(service, 'malformed', 'X-Amz-Date must be present, in ISO 8601 basic format, and match the credential scope date.');
  const skew = signingDate.getTime() - now;
  if (Math.abs(skew) > MAX_SKEW_MS)
    throw authError(
      service,
      'skewed',
      skew < 0
        ? `Signature expired: ${stamp(signingDate)} is now earlier than ${stamp(new Date(now - MAX_SKEW_MS))} (${stamp(new Date(now))} - 5 min.)`
        : `Signature not yet current: ${stamp(signingDate)} is still later than ${stamp(new Date(now + MAX_SKEW_MS))} (${stamp(new Date(now))} + 5 min.)`,
    );
  return { auth, signingDate };
}

const STREAMING = [
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD',
  'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER',
];
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * S3's rules for x-amz-content-sha256, as AWS applies them: required, one of the known values or a
 * hex SHA-256, and (like every x-amz-* header) signed. Returns the declared value.
 */
export function s3DeclaredPayload(headers: IncomingHttpHeaders, auth: ParsedAuthorization): string {
  const declared = headers['x-amz-content-sha256'];
  if (typeof declared !== 'string' || declared === '')
    throw new ApiError('InvalidRequest', 400, 'Missing required header for this request: x-amz-content-sha256');
  if (!(declared === 'UNSIGNED-PAYLOAD' || STREAMING.includes(declared) || SHA256_HEX.test(declared)))
    throw new ApiError('InvalidArgument', 400, `x-amz-content-sha256 must be UNSIGNED-PAYLOAD, ${STREAMING.join(', ')} or a valid sha256 value.`, {
      ArgumentName: 'x-amz-content-sha256',
      ArgumentValue: declared.slice(0, 100),
    });
  const signed = new Set(auth.signedHeaders);
  const unsigned = Object.keys(headers).filter((h) => h.startsWith('x-amz-') && !signed.has(h));
  if (unsigned.length)
    throw new ApiError('AccessDenied', 403, 'There were headers present in the request which were not signed', { HeadersNotSigned: unsigned.join(', ') });
  return declared;
}

export function isStreamingPayload(declared: string): boolean {
  return declared.startsWith('STREAMING-');
}

/** Recomputes the signature; S3 passes no body (its canonical request carries the declared hash). */
export async function checkSignature(service: ServiceName, req: SignedRequest, auth: ParsedAuthorization, secretAccessKey: string, signingDate: Date): Promise<void> {
  if (!(await signatureMatches(req, auth, secretAccessKey, signingDate)))
    throw authError(
      service,
      'badSignature',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
}

/** After the body is read: a declared hex SHA-256 must be the body's. */
export function checkDeclaredHash(service: ServiceName, declared: string | string[] | undefined, body: Buffer): void {
  if (typeof declared !== 'string' || !SHA256_HEX.test(declared)) return;
  const computed = createHash('sha256').update(body).digest('hex');
  if (computed === declared) return;
  throw service === 's3'
    ? new ApiError('XAmzContentSHA256Mismatch', 400, "The provided 'x-amz-content-sha256' header does not match what was computed.", {
        ClientComputedContentSHA256: declared,
        S3ComputedContentSHA256: computed,
      })
    : authError(service, 'badSignature', 'The payload hash does not match the body that was sent.');
}
