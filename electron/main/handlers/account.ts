/**
 * The Account step: profiles, who the caller is, the connection, MFA answers and IAM Identity
 * Center sign-in. Only identities and classified errors cross to the page, never credentials.
 */
import { SANDBOX_PROFILE, type HandlersFor, type IdentityResult, type ProfileSummary } from '../../../contract/ipc';
import { AwsFaultError, AwsSetupError, classifyAwsError } from '../../../core/aws/errors';
import { listProfiles } from '../../../core/aws/profiles';
import { checkConnection } from '../../../core/aws/network/connection-check';
import { isSandboxTarget } from '../../../core/app/sessions';
import { ssoSignIn } from '../sso-sign-in';
import type { HandlerContext } from './context';

export type AccountHandlers = HandlersFor<'profiles:list' | 'identity:check' | 'network:check' | 'mfa:answer' | 'sso:sign-in'>;

export const SANDBOX_LABEL = 'Local sandbox (no AWS account needed)';

type IdentityFailureReason = Exclude<IdentityResult, { ok: true }>['reason'];

export function identityFailure(error: unknown, profile: string | undefined): IdentityResult {
  if (error instanceof AwsSetupError) {
    return { ok: false, reason: 'other', error: { code: error.code, message: error.message, ...(error.action ? { action: error.action } : {}) } };
  }
  const c = error instanceof AwsFaultError ? error.classification : classifyAwsError(error, { operation: 'GetCallerIdentity', ...(profile ? { profile } : {}) });
  const runError = {
    code: c.code,
    message: c.message,
    ...(c.action ? { action: c.action } : {}),
    ...(c.httpStatus !== undefined ? { httpStatus: c.httpStatus } : {}),
    ...(c.requestId ? { requestId: c.requestId } : {}),
  };
  const reason: IdentityFailureReason =
    c.code === 'SsoSignInRequired'
      ? 'sso-login-required'
      : c.code === 'MfaRequired'
        ? 'mfa-required'
        : c.code === 'CredentialsUnavailable'
          ? 'no-credentials'
          : c.fault === 'credentials' && /expire/i.test(c.code + c.message)
            ? 'expired'
            : c.fault === 'credentials'
              ? 'no-credentials'
              : /AccessDenied/.test(c.code)
                ? 'access-denied'
                : c.fault === 'transient'
                  ? 'network'
                  : 'other';
  return { ok: false, reason, error: runError };
}

export function accountHandlers({ deps, env, sessions, mfa }: HandlerContext): AccountHandlers {
  return {
    async 'profiles:list'(): Promise<ProfileSummary[]> {
      const sandboxEntry: ProfileSummary = { name: SANDBOX_PROFILE, label: SANDBOX_LABEL, region: 'us-east-1', kind: 'sandbox' };
      let profiles: ProfileSummary[] = [];
      try {
        profiles = (await listProfiles(env)).map((p) => ({
          name: p.name,
          label: p.region ? `${p.name} (${p.region})` : p.name,
          ...(p.region ? { region: p.region } : {}),
          kind: p.kind,
          ...(p.customEndpoint ? { customEndpoint: true } : {}),
          ...(p.mfa ? { mfa: true } : {}),
        }));
      } catch {
        // Unreadable ~/.aws files must not hide the sandbox; the identity check reports the problem.
      }
      return [sandboxEntry, ...profiles];
    },

    async 'identity:check'(target): Promise<IdentityResult> {
      try {
        const session = await sessions.sessionFor(target);
        const id = await session.identity();
        return { ok: true, accountId: id.accountId, arn: id.arn, ...(id.userId ? { userId: id.userId } : {}) };
      } catch (error) {
        await sessions.drop(target);
        return identityFailure(error, isSandboxTarget(target) ? undefined : target.profile);
      }
    },

    // Test connection: the same checks as `ahi-onboard doctor`, on the session a run would use.
    async 'network:check'(target) {
      return checkConnection(await sessions.sessionFor(target));
    },

    async 'mfa:answer'({ requestId, code }) {
      mfa.answer(requestId, code);
    },

    async 'sso:sign-in'(req) {
      return ssoSignIn(req, {
        env,
        openSignInUrl: deps.openSignInUrl ?? (async () => Promise.reject(new Error('this build cannot open a browser for sign-in'))),
        showDeviceCode: (p) => deps.push('sso:device-code', p),
      });
    },
  };
}
