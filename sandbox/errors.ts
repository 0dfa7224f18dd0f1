/** Errors the sandbox answers with, and how each of its services puts them on the wire. */

export type ServiceName = 'medical-imaging' | 's3' | 'sts' | 'iam' | 'kms';

/** IAM is global: its requests are signed for us-east-1 whatever region the sandbox serves. */
export function signingRegionOf(service: ServiceName, region: string): string {
  return service === 'iam' ? 'us-east-1' : region;
}

/** An error a handler throws; the server renders it in the protocol of the service addressed. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** Extra XML elements for S3 errors (e.g. Key, BucketName). */
    readonly extra: Record<string, string> = {},
    /** Extra response headers (S3's x-amz-bucket-region on a redirect). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const validation = (message: string) => new ApiError('ValidationException', 400, message);
export const notFound = (message: string) => new ApiError('ResourceNotFoundException', 404, message);
export const conflict = (message: string) => new ApiError('ConflictException', 409, message);
export const quotaExceeded = (message: string) => new ApiError('ServiceQuotaExceededException', 402, message);

export type AuthFailure = 'missing' | 'malformed' | 'unknownKey' | 'badSignature' | 'skewed' | 'wrongRegion';

/** The error each AWS service really answers for each authentication failure. */
export function authError(service: ServiceName, failure: AuthFailure, detail: string): ApiError {
  const table: Record<ServiceName, Record<AuthFailure, [string, number, string]>> = {
    'medical-imaging': {
      missing: ['MissingAuthenticationTokenException', 403, 'Missing Authentication Token'],
      malformed: ['IncompleteSignatureException', 403, detail],
      unknownKey: ['UnrecognizedClientException', 403, 'The security token included in the request is invalid.'],
      badSignature: ['InvalidSignatureException', 403, detail],
      skewed: ['InvalidSignatureException', 403, detail],
      wrongRegion: ['InvalidSignatureException', 403, detail],
    },
    s3: {
      missing: ['AccessDenied', 403, 'Access Denied'],
      malformed: ['AuthorizationHeaderMalformed', 400, detail],
      unknownKey: ['InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'],
      badSignature: ['SignatureDoesNotMatch', 403, detail],
      skewed: ['RequestTimeTooSkewed', 403, detail],
      wrongRegion: ['AuthorizationHeaderMalformed', 400, detail],
    },
    sts: {
      missing: ['MissingAuthenticationToken', 403, 'Request is missing Authentication Token'],
      malformed: ['IncompleteSignature', 403, detail],
      unknownKey: ['InvalidClientTokenId', 403, 'The security token included in the request is invalid.'],
      badSignature: ['SignatureDoesNotMatch', 403, detail],
      skewed: ['SignatureDoesNotMatch', 403, detail],
      wrongRegion: ['SignatureDoesNotMatch', 403, detail],
    },
    iam: {
      missing: ['MissingAuthenticationToken', 403, 'Request is missing Authentication Token'],
      malformed: ['IncompleteSignature', 403, detail],
      unknownKey: ['InvalidClientTokenId', 403, 'The security token included in the request is invalid.'],
      badSignature: ['SignatureDoesNotMatch', 403, detail],
      skewed: ['SignatureDoesNotMatch', 403, detail],
      wrongRegion: ['SignatureDoesNotMatch', 403, detail],
    },
    kms: {
      missing: ['MissingAuthenticationTokenException', 400, 'Missing Authentication Token'],
      malformed: ['IncompleteSignatureException', 400, detail],
      unknownKey: ['UnrecognizedClientException', 400, 'The security token included in the request is invalid.'],
      badSignature: ['InvalidSignatureException', 400, detail],
      skewed: ['InvalidSignatureException', 400, detail],
      wrongRegion: ['InvalidSignatureException', 400, detail],
    },
  };
  const [code, status, message] = table[service][failure];
  return new ApiError(code, status, message);
}

export type FaultErrorName = 'InternalServerException' | 'ThrottlingException' | 'ServiceUnavailable' | 'AccessDeniedException' | 'ExpiredTokenException';

/** Forced/throttling errors, spelled as each service spells them. */
export function faultError(service: ServiceName, fault: FaultErrorName): ApiError {
  const table: Record<ServiceName, Record<FaultErrorName, [string, number, string]>> = {
    'medical-imaging': {
      InternalServerException: ['InternalServerException', 500, 'An internal error occurred (sandbox fault injection).'],
      ThrottlingException: ['ThrottlingException', 429, 'Rate exceeded'],
      ServiceUnavailable: ['ServiceUnavailableException', 503, 'Service unavailable (sandbox fault injection).'],
      AccessDeniedException: ['AccessDeniedException', 403, 'User is not authorized to perform this action (sandbox fault injection).'],
      ExpiredTokenException: ['ExpiredTokenException', 403, 'The security token included in the request is expired'],
    },
    s3: {
      InternalServerException: ['InternalError', 500, 'We encountered an internal error. Please try again.'],
      ThrottlingException: ['SlowDown', 503, 'Please reduce your request rate.'],
      ServiceUnavailable: ['ServiceUnavailable', 503, 'Service is unable to handle request.'],
      AccessDeniedException: ['AccessDenied', 403, 'Access Denied'],
      ExpiredTokenException: ['ExpiredToken', 400, 'The provided token has expired.'],
    },
    sts: {
      InternalServerException: ['InternalFailure', 500, 'An internal error occurred.'],
      ThrottlingException: ['Throttling', 400, 'Rate exceeded'],
      ServiceUnavailable: ['ServiceUnavailable', 503, 'Service unavailable.'],
      AccessDeniedException: ['AccessDenied', 403, 'User is not authorized to perform sts:GetCallerIdentity'],
      ExpiredTokenException: ['ExpiredToken', 400, 'The security token included in the request is expired'],
    },
    iam: {
      InternalServerException: ['ServiceFailure', 500, 'The request processing has failed because of an unknown error, exception or failure.'],
      ThrottlingException: ['Throttling', 400, 'Rate exceeded'],
      ServiceUnavailable: ['ServiceUnavailable', 503, 'Service unavailable.'],
      AccessDeniedException: ['AccessDenied', 403, 'User is not authorized to perform this action (sandbox fault injection).'],
      ExpiredTokenException: ['ExpiredToken', 400, 'The security token included in the request is expired'],
    },
    kms: {
      InternalServerException: ['KMSInternalException', 500, 'An internal error occurred (sandbox fault injection).'],
      ThrottlingException: ['ThrottlingException', 400, 'Rate exceeded'],
      ServiceUnavailable: ['DependencyTimeoutException', 503, 'Service unavailable (sandbox fault injection).'],
      AccessDeniedException: ['AccessDeniedException', 400, 'User is not authorized to perform this action (sandbox fault injection).'],
      ExpiredTokenException: ['ExpiredTokenException', 400, 'The security token included in the request is expired'],
    },
  };
  const [code, status, message] = table[service][fault];
  return new ApiError(code, status, message);
}

export function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}
