/**
 * AWS sessions as the adapters keep them: one per profile+region (one for the sandbox), kept while
 * they work, so an assumed role's credentials (and its MFA code) are asked for once. The MFA prompt
 * is injected: the app asks the window, the command line asks the terminal.
 */
import { SANDBOX_PROFILE, type RunTarget } from '../../contract/ipc';
import { createAwsSession, type AwsSession, type SandboxTarget } from '../aws/session';
import type { OsProxyLookup } from '../aws/network';

export interface SessionRegistryOptions {
  env: NodeJS.ProcessEnv;
  /** The sandbox to sign against (started on first use by the adapter's host). */
  sandbox(): Promise<SandboxTarget>;
  /** Asks for an MFA code for a profile's role; absent: such profiles fail with MfaRequired. */
  mfaCodeProvider?(profile: string): ((serialNumber: string) => Promise<string>) | undefined;
  osProxyFor?: OsProxyLookup;
  /** Sessions still used by something (an active run) are not closed when dropped. */
  inUse?(session: AwsSession): boolean;
}

export interface SessionRegistry {
  sessionFor(target: RunTarget): Promise<AwsSession>;
  /** Forgets a target's session (after a failed identity check), closing it unless in use. */
  drop(target: RunTarget): Promise<void>;
  closeAll(): Promise<void>;
}

export const isSandboxTarget = (target: Pick<RunTarget, 'profile'>): boolean => target.profile === SANDBOX_PROFILE;

const keyOf = (target: RunTarget) => (isSandboxTarget(target) ? SANDBOX_PROFILE : `${target.profile}\u0000${target.region}`);

export function createSessionRegistry(opts: SessionRegistryOptions): SessionRegistry {
  const sessions = new Map<string, Promise<AwsSession>>();
  return {
    sessionFor(target) {
      const key = keyOf(target);
      let pending = sessions.get(key);
      if (!pending) {
        pending = (async () => {
          // The sandbox signs and answers in its own region only.
          if (isSandboxTarget(target)) return createAwsSession({ sandbox: await opts.sandbox(), env: opts.env });
          const mfa = opts.mfaCodeProvider?.(target.profile);
          return createAwsSession({
            profile: target.profile,
            region: target.region,
            env: opts.env,
            ...(mfa ? { mfaCodeProvider: mfa } : {}),
            ...(opts.osProxyFor ? { osProxyFor: opts.osProxyFor } : {}),
          });
        })();
        sessions.set(key, pending);
        const created = pending;
        created.catch(() => {
          if (sessions.get(key) === created) sessions.delete(key);
        });
      }
      return pending;
    },
    async drop(target) {
      const key = keyOf(target);
      const pending = sessions.get(key);
      sessions.delete(key);
      const session = await pending?.catch(() => undefined);
      if (session && !opts.inUse?.(session)) session.close();
    },
    async closeAll() {
      const all = [...sessions.values()];
      sessions.clear();
      for (const pending of all) (await pending.catch(() => undefined))?.close();
    },
  };
}
