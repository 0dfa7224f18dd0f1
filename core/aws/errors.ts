/**
 * Turns whatever the AWS SDK threw (a service error, a credential-provider error, a network error)
 * into one of the engine's fault kinds plus a message in words and the user's next action.
 * Messages never include credentials: we only read names, codes, HTTP status and the service's
 * own message.
 */
import type { FaultKind } from '../engine/binding';
import { classifyNetworkError } from './network/classify';
import { redactText } from '../redaction/redact';

export interface AwsErrorClassification {
  fault: Exclude<FaultKind, 'none'>;
  /** AWS error code (ThrottlingException...), SDK error name, or a Node error code (ECONNRESET). */
  code: string;
  message: string;
  /** Plain next action for the user. */
  action?: string;
  httpStatus?: number;
  requestId?: string;
  /** From a Retry-After / x-amz-retry-after header, when the service sent one. */
  retryAfterMs?: number;
}

export interface ClassifyContext {
  /** The profile the credentials came from, so messages can name it. */
  profile?: string;
  /** The operation that failed (CreateDatastore...), so AccessDenied can name the permission. */
  operation?: string;
}

// Same lists the SDK's retry strategy uses (@smithy/core retry), so the engine and the SDK agree.
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded', 'EC2ThrottledException', 'LimitExceededException', 'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException',
  'SlowDown', 'ThrottledException', 'Throttling', 'ThrottlingException', 'TooManyRequestsException',
  'TransactionInProgressException',
]);
const TRANSIENT_CODES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'InternalServerException', 'ServiceUnavailable', 'ServiceUnavailableException']);
const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND',
  'EAI_AGAIN', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE',
]);
const EXPIRED_CODES = new Set(['ExpiredToken', 'ExpiredTokenException', 'RequestExpired', 'TokenRefreshRequired', 'ExpiredTokenError']);
const INVALID_CREDENTIAL_CODES = new Set([
  'InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidSignatureException', 'SignatureDoesNotMatch',
  'MissingAuthenticationToken', 'MissingAuthenticationTokenException', 'IncompleteSignature', 'IncompleteSignatureException',
  'AuthFailure', 'InvalidAccessKeyId',
]);

/** IAM actions per HealthImaging operation, for AccessDenied messages. */
const PERMISSION_HINTS: Record<string, string> = {
  CreateDatastore: 'medical-imaging:CreateDatastore (and kms:CreateGrant / kms:DescribeKey when a kmsKeyArn is given)',
  GetDatastore: 'medical-imaging:GetDatastore',
  ListDatastores: 'medical-imaging:ListDatastores',
  DeleteDatastore: 'medical-imaging:DeleteDatastore',
  StartDICOMImportJob: 'medical-imaging:StartDICOMImportJob and iam:PassRole on the data-access role',
  GetDICOMImportJob: 'medical-imaging:GetDICOMImportJob',
  ListDICOMImportJobs: 'medical-imaging:ListDICOMImportJobs',
  TagResource: 'medical-imaging:TagResource',
  UntagResource: 'medical-imaging:UntagResource',
  ListTagsForResource: 'medical-imaging:ListTagsForResource',
  GetCallerIdentity: 'sts:GetCallerIdentity',
  GetObject: 's3:GetObject on the output location',
  HeadObject: 's3:GetObject on the output location',
  ListObjectsV2: 's3:ListBucket on the output bucket',
  PutObject: 's3:PutObject',
};

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
  $retryable?: { throttling?: boolean };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Node puts the socket error code on the error or on its cause (undici / http2 wrap them). */
function networkCode(e: ErrorLike, depth = 0): string | undefined {
  const code = str(e.code);
  if (code && NETWORK_CODES.has(code)) return code;
  const msg = str(e.message) ?? '';
  if (/socket hang up/i.test(msg)) return 'ECONNRESET';
  if (e.cause && typeof e.cause === 'object' && depth < 5) return networkCode(e.cause as ErrorLike, depth + 1);
  return undefined;
}

function headerValue(e: ErrorLike, name: string): string | undefined {
  const headers = e.$response?.headers;
  if (!headers) return undefined;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v ?? undefined;
  return undefined;
}

/** Retry-After in seconds or an HTTP date; x-amz-retry-after in milliseconds. */
export function retryAfterMsOf(err: unknown): number | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as ErrorLike;
  const amz = headerValue(e, 'x-amz-retry-after');
  if (amz && /^\d+$/.test(amz)) return Number(amz);
  const ra = headerValue(e, 'retry-after');
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Math.round(Number(ra) * 1000);
  const at = Date.parse(ra);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

function profileWords(profile?: string): string {
  return profile ? `profile "${profile}"` : 'the default credentials';
}

function ssoAction(profile?: string): string {
  // ahi-onboard signs in itself (and shares the AWS CLI's token cache), so no AWS CLI is needed.
  return profile ? `Sign in again: ahi-onboard login --profile ${profile}` : 'Sign in again: ahi-onboard login --profile NAME';
}

/**
 * Redaction happens here, at the source: AWS answers a bad signature (InvalidSignatureException,
 * SignatureDoesNotMatch) with a message quoting the canonical request, session token included.
 * Every classification leaves this function redacted, so no event, result object, print path,
 * log or report downstream can carry the raw text, whether or not it redacts again.
 */
export function classifyAwsError(err: unknown, ctx: ClassifyContext = {}): AwsErrorClassification {
  const c = classifyRaw(err, ctx);
  return { ...c, message: redactText(c.message), ...(c.action !== undefined ? { action: redactText(c.action) } : {}) };
}

function classifyRaw(err: unknown, ctx: ClassifyContext): AwsErrorClassification {
  const e: ErrorLike = err && typeof err === 'object' ? (err as ErrorLike) : { message: String(err) };
  const name = str(e.name) ?? 'Error';
  const rawMessage = str(e.message) ?? name;
  const httpStatus = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  const requestId = str(e.$metadata?.requestId);
  const base = {
    ...(httpStatus !== undefined ? { httpStatus } : {}),
    ...(requestId ? { requestId } : {}),
  };

  // 1. Credential providers failed before anything was sent.
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    const sso = /\bSSO\b|sso[_ ]session|sso login|sso token/i.test(rawMessage);
    if (sso) {
      return {
        fault: 'credentials', code: 'SsoSignInRequired', ...base,
        message: `The AWS SSO sign-in for ${profileWords(ctx.profile)} is missing or has expired.`,
        action: ssoAction(ctx.profile),
      };
    }
    if (/multi-factor|MFA/i.test(rawMessage)) {
      return {
        fault: 'credentials', code: 'MfaRequired', ...base,
        message: `${cap(profileWords(ctx.profile))} assumes a role that requires an MFA code, and none was provided.`,
        action: 'Run again where an MFA code can be entered, or choose a profile without mfa_serial.',
      };
    }
    return {
      fault: 'credentials', code: 'CredentialsUnavailable', ...base,
      message: `No usable AWS credentials from ${profileWords(ctx.profile)}: ${rawMessage}`,
      action: ctx.profile
        ? `Check the [profile ${ctx.profile}] section in ~/.aws/config and ~/.aws/credentials, or choose another profile.`
        : 'Configure credentials (aws configure) or choose a profile with --profile NAME.',
    };
  }

  // 2. The service said the credentials are expired or not valid.
  if (EXPIRED_CODES.has(name) || (INVALID_CREDENTIAL_CODES.has(name) && /expire/i.test(rawMessage))) {
    return {
      fault: 'credentials', code: name, ...base,
      message: `The AWS credentials from ${profileWords(ctx.profile)} have expired (${rawMessage}).`,
      action: ctx.profile
        ? `Refresh them (for SSO: ahi-onboard login --profile ${ctx.profile}; for temporary keys: renew them), then continue.`
        : 'Refresh the credentials, then continue.',
    };
  }
  if (INVALID_CREDENTIAL_CODES.has(name)) {
    return {
      fault: 'credentials', code: name, ...base,
      message: `AWS did not accept the credentials from ${profileWords(ctx.profile)} (${name}: ${rawMessage}).`,
      action: 'Check the access key and secret for this profile (or sign in again), then continue.',
    };
  }

  // 3. Throttling: slow down, never a failure of the run by itself.
  if (httpStatus === 429 || THROTTLING_CODES.has(name) || e.$retryable?.throttling === true) {
    const retryAfterMs = retryAfterMsOf(err);
    return {
      fault: 'throttled', code: name, ...base,
      message: `HealthImaging is throttling ${ctx.operation ?? 'requests'}; slowing down.`,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  }

  // Hospital-network failures (certificate, proxy, DNS, connect timeout) in the user's words.
  const network = classifyNetworkError(err, base);
  if (network) return network;

  // 4. Transient: server errors, timeouts, dropped or refused connections, a truncated answer.
  const net = networkCode(e);
  if (net) {
    return {
      fault: 'transient', code: net, ...base,
      message: net === 'ECONNREFUSED'
        ? `Could not connect to the service (connection refused); will retry.`
        : `The connection to the service failed (${net}); will retry.`,
    };
  }
  if ((httpStatus !== undefined && httpStatus >= 500) || TRANSIENT_CODES.has(name)) {
    return {
      fault: 'transient', code: name, ...base,
      message: `The service had a temporary problem (${httpStatus ?? name}: ${rawMessage}); will retry.`,
    };
  }
  if (name === 'SyntaxError' || /Deserialization error/i.test(rawMessage)) {
    // A 2xx answer whose body could not be read: the connection was cut mid-response.
    return { fault: 'transient', code: 'IncompleteResponse', ...base, message: 'The service answer arrived incomplete; will retry.' };
  }

  // 5. Everything else will not succeed by repeating it.
  return { fault: 'client', code: name, ...base, ...clientMessage(name, rawMessage, ctx) };
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function clientMessage(code: string, raw: string, ctx: ClassifyContext): { message: string; action?: string } {
  const op = ctx.operation;
  switch (code) {
    case 'AccessDeniedException':
    case 'AccessDenied': {
      const perm = (op && PERMISSION_HINTS[op]) ?? (op ? `the permission for ${op}` : 'the needed permission');
      return {
        message: `Access denied${op ? ` for ${op}` : ''}: the identity of ${profileWords(ctx.profile)} likely lacks ${perm}. (${raw})`,
        action: `Ask your AWS administrator to grant ${perm}, or choose a profile that has it.`,
      };
    }
    case 'ValidationException':
      return { message: `HealthImaging rejected the request${op ? ` to ${op}` : ''}: ${raw}`, action: 'Correct the named field and run again.' };
    case 'ResourceNotFoundException':
    case 'NoSuchKey':
    case 'NotFound':
    case 'NoSuchBucket':
      return { message: `Not found${op ? ` (${op})` : ''}: ${raw}`, action: 'Check the id, bucket or region, then run again.' };
    case 'ConflictException':
      return {
        message: `Conflict${op ? ` on ${op}` : ''}: ${raw}`,
        action: 'A client token was reused with different parameters, or the data store is not ACTIVE. Use a new token or wait.',
      };
    case 'ServiceQuotaExceededException':
      return {
        message: `A HealthImaging quota was exceeded${op ? ` on ${op}` : ''}: ${raw}`,
        action: 'Delete unused data stores or request a quota increase in Service Quotas.',
      };
    default:
      return { message: raw === code ? `${code}${op ? ` on ${op}` : ''}` : `${code}: ${raw}` };
  }
}

/** Thrown by session helpers (identity, setup) so callers get the classification with the error. */
export class AwsFaultError extends Error {
  override name = 'AwsFaultError';
  constructor(readonly classification: AwsErrorClassification) {
    super(classification.message);
  }
}

/**
 * A problem with what the caller asked for (unknown profile, no region, a malformed endpoint):
 * nothing was sent. The CLI maps this to exit code 2.
 */
export class AwsSetupError extends Error {
  override name = 'AwsSetupError';
  constructor(
    readonly code: 'ProfileNotFound' | 'RegionMissing' | 'RegionInvalid' | 'EndpointInvalid' | 'CaBundleInvalid',
    message: string,
    readonly action?: string,
  ) {
    super(message);
  }
}
