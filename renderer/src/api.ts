/**
 * The renderer's only way out: the `window.onboarding` object the preload (or the browser host)
 * provides, typed by the contract. Nothing here knows about IPC, HTTP or credentials.
 */
import type { CommandName, CommandRequest, CommandResponse, OnboardingApi, PushName, Pushes } from '../../contract/ipc';

declare global {
  interface Window {
    onboarding?: OnboardingApi;
  }
}

export function hasApi(): boolean {
  return typeof window !== 'undefined' && typeof window.onboarding?.invoke === 'function';
}

function api(): OnboardingApi {
  const value = window.onboarding;
  if (!value) throw new Error('The app bridge (window.onboarding) is missing: open this page from the HealthImaging Onboarding app.');
  return value;
}

export function invoke<K extends CommandName>(command: K, request: CommandRequest<K>): Promise<CommandResponse<K>> {
  return api().invoke(command, request);
}

export function subscribe<P extends PushName>(push: P, listener: (payload: Pushes[P]) => void): () => void {
  return api().on(push, listener);
}

/** A message for the user from whatever a failed command threw. */
export function errorMessage(error: unknown): string {
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : 'Unknown error';
  return raw.replace(/^Error invoking remote method '[^']*': (?:[A-Za-z]*Error: )?/, '');
}
