/**
 * The app's "Sign in" for an SSO profile: core's ssoLogin with the browser opened by the OS (only
 * for vetted sign-in URLs) and the device code handed to the renderer to show. The result names the
 * start URL and expiry; no token, refresh token or client secret leaves this module. Ready to be
 * registered as an IPC command ('sso:sign-in') next to the others.
 */
import type { SsoSignInResult } from '../../contract/ipc';
import { readSharedConfig } from '../../core/aws/shared-config';
import { ssoLogin, SsoLoginError } from '../../core/aws/sso/login';
import { resolveSsoSettings, SsoConfigError } from '../../core/aws/sso/settings';
import { vetSignInUrl } from './sign-in-url';

export interface SsoSignInRequest {
  profile: string;
  useDeviceCode?: boolean;
}

export type { SsoSignInResult };

export interface SsoSignInDeps {
  env: NodeJS.ProcessEnv;
  /** shell.openExternal in the app; the URL has been vetted by vetSignInUrl first. */
  openSignInUrl(url: string): Promise<void>;
  /** Device flow: what to show ("open URL, enter CODE"). */
  showDeviceCode(prompt: { profile: string; verificationUri: string; userCode: string; expiresInSeconds: number }): void;
}

export async function ssoSignIn(req: SsoSignInRequest, deps: SsoSignInDeps): Promise<SsoSignInResult> {
  try {
    const s = resolveSsoSettings(await readSharedConfig(deps.env), req.profile);
    const r = await ssoLogin(s, {
      env: deps.env,
      useDeviceCode: Boolean(req.useDeviceCode),
      onDeviceCode: (p) => deps.showDeviceCode({ profile: req.profile, verificationUri: p.verificationUri, userCode: p.userCode, expiresInSeconds: p.expiresInSeconds }),
      openUrl: async (url) => {
        const vetted = vetSignInUrl(url, deps.env);
        if (!vetted.ok) throw new SsoLoginError('failed', `Refused to open the sign-in page: ${vetted.reason}.`);
        await deps.openSignInUrl(vetted.url);
      },
    });
    return { ok: true, profile: req.profile, startUrl: r.startUrl, expiresAt: r.expiresAt, ...(s.accountId ? { accountId: s.accountId } : {}), ...(s.roleName ? { roleName: s.roleName } : {}) };
  } catch (e) {
    if (e instanceof SsoConfigError) return { ok: false, reason: 'not-sso', message: e.message };
    if (e instanceof SsoLoginError) return { ok: false, reason: e.reason, message: e.message };
    // SDK errors carry service messages only (no request bodies), so the name and message are safe to show.
    return { ok: false, reason: 'failed', message: `${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}` };
  }
}
