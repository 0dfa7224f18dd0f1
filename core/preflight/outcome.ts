/**
 * Building check results, and the one rule about errors from a check's own AWS call: AccessDenied
 * means the caller may not ask, so the check is `skipped` with the reason, never failed (a
 * preflight must not block users whose policies are narrower than ours). Other AWS errors
 * (network, credentials, throttling, 5xx) are a failed check plus an error the CLI maps to exit 3.
 */
import { classifyAwsError } from '../aws/errors';
import { redactText } from '../redaction/redact';
import { CHECK_TITLES, type CheckId, type CheckResult, type PreflightError } from './types';

export interface CheckOutcome {
  result: CheckResult;
  error?: PreflightError;
}

export const pass = (id: CheckId, detail: string): CheckOutcome => ({ result: { id, status: 'pass', title: CHECK_TITLES[id], detail } });
export const warn = (id: CheckId, detail: string, fix: string): CheckOutcome => ({ result: { id, status: 'warn', title: CHECK_TITLES[id], detail, fix } });
export const fail = (id: CheckId, detail: string, fix: string): CheckOutcome => ({ result: { id, status: 'fail', title: CHECK_TITLES[id], detail, fix } });
export const skipped = (id: CheckId, detail: string): CheckOutcome => ({ result: { id, status: 'skipped', title: CHECK_TITLES[id], detail } });

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'Forbidden']);

export function errorName(err: unknown): string {
  const e = err as { name?: unknown; Code?: unknown };
  return typeof e?.name === 'string' ? e.name : typeof e?.Code === 'string' ? e.Code : 'Error';
}

export function isAccessDenied(err: unknown): boolean {
  const status = (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  return ACCESS_DENIED.has(errorName(err)) || (status === 403 && errorName(err) === 'Unknown');
}

/**
 * The outcome for an error of this check's own call `operation` (e.g. "iam:GetRole"). Callers
 * handle the errors that are findings (NoSuchEntity, NoSuchBucket...) before calling this.
 */
export function fromCallError(id: CheckId, err: unknown, permission: string, signal?: AbortSignal): CheckOutcome {
  if (signal?.aborted) throw signal.reason ?? err;
  if (isAccessDenied(err)) {
    const raw = (err as { message?: unknown })?.message;
    const said = typeof raw === 'string' && raw ? ` (${errorName(err)}: ${redactText(raw)})` : '';
    return skipped(id, `Not checked: you are not allowed ${permission}${said}. The import itself does not need this permission.`);
  }
  const c = classifyAwsError(err, { operation: permission.replace(/^[a-z0-9-]+:/, '') });
  return {
    result: { id, status: 'fail', title: CHECK_TITLES[id], detail: `Could not check: ${permission} failed: ${c.message.replace(/; will retry\.$/, '.')}`, fix: c.action ?? 'Check the network and the credentials, then run the preflight again.' },
    error: { checkId: id, code: c.code, message: c.message, ...(c.httpStatus !== undefined ? { httpStatus: c.httpStatus } : {}) },
  };
}
