/**
 * MFA codes asked of the window: a `mfa:request` push, answered by the `mfa:answer` command, or
 * given up after five minutes.
 */
import { randomUUID } from 'node:crypto';
import type { PushName, Pushes } from '../../../contract/ipc';

const MFA_TIMEOUT_MS = 5 * 60_000;

/**
 * No MFA code came back (cancelled, timed out, app closing). Named like the SDK's provider errors
 * and worded with "MFA", so it is classified as MfaRequired, a credentials fault: an identity check
 * says an MFA code is needed, and a run pauses (resumable with Continue) instead of failing.
 */
export class MfaCodeNotGivenError extends Error {
  override name = 'CredentialsProviderError';
}

export interface MfaPrompt {
  /** The SDK's mfaCodeProvider for a profile. */
  providerFor(profile: string): (serialNumber: string) => Promise<string>;
  /** The window's answer; null means the user cancelled. */
  answer(requestId: string, code: string | null): void;
  /** Gives up every open question (the app is closing). */
  cancelAll(): void;
}

export function createMfaPrompt(push: <P extends PushName>(push: P, payload: Pushes[P]) => void): MfaPrompt {
  const waiters = new Map<string, { resolve(code: string): void; reject(error: Error): void; timer: ReturnType<typeof setTimeout> }>();
  return {
    providerFor: (profile) => (serialNumber) =>
      new Promise<string>((resolve, reject) => {
        const requestId = randomUUID();
        const timer = setTimeout(() => {
          waiters.delete(requestId);
          reject(new MfaCodeNotGivenError(`No MFA code was entered within 5 minutes for profile "${profile}".`));
        }, MFA_TIMEOUT_MS);
        timer.unref?.();
        waiters.set(requestId, { resolve, reject, timer });
        push('mfa:request', { requestId, profile, serialNumber });
      }),
    answer(requestId, code) {
      const waiter = waiters.get(requestId);
      if (!waiter) throw new Error('That MFA request is no longer waiting (it timed out or was answered).');
      waiters.delete(requestId);
      clearTimeout(waiter.timer);
      if (code === null) waiter.reject(new MfaCodeNotGivenError('MFA code entry was cancelled.'));
      else waiter.resolve(code);
    },
    cancelAll() {
      for (const waiter of waiters.values()) {
        clearTimeout(waiter.timer);
        waiter.reject(new MfaCodeNotGivenError('The app is closing: no MFA code.'));
      }
      waiters.clear();
    },
  };
}
