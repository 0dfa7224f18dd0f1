/// <reference lib="dom" />
/**
 * The browser twin of electron/preload: installs `window.onboarding` (the same OnboardingApi) over
 * HTTP instead of IPC. Commands are `POST /ipc/<command>` with `{ request }`; pushes arrive over
 * Server-Sent Events from `/ipc/events`. Every call carries the session token the host printed
 * (first seen as `?bridge=TOKEN` in the page URL, then kept in sessionStorage so a reload still
 * works, and removed from the address bar). Served by e2e/host/server.ts as a classic script that
 * runs before the renderer's module script; bundled to an IIFE, so it imports only constants.
 */
import { API_KEY, COMMAND_NAMES, PUSH_NAMES, type OnboardingApi, type PushName, type Pushes } from '../../contract/ipc';

const TOKEN_KEY = 'ahi-bridge-token';
const TOKEN_HEADER = 'X-AHI-Bridge-Token';

function takeToken(): string {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('bridge');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('bridge');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const token = takeToken();
const commands: ReadonlySet<string> = new Set(COMMAND_NAMES);
const pushes: ReadonlySet<string> = new Set(PUSH_NAMES);
const listeners = new Map<PushName, Set<(payload: never) => void>>();
let source: EventSource | undefined;

function ensureEvents(): void {
  if (source) return;
  source = new EventSource(`./ipc/events?token=${encodeURIComponent(token)}`);
  for (const name of PUSH_NAMES) {
    source.addEventListener(name, (message) => {
      const payload = JSON.parse((message as MessageEvent<string>).data) as Pushes[typeof name];
      for (const listener of listeners.get(name) ?? []) (listener as (p: typeof payload) => void)(payload);
    });
  }
}

const api = {
  async invoke(command, request) {
    if (!commands.has(command)) throw new Error(`Unknown command: ${String(command)}`);
    const response = await fetch(`./ipc/${encodeURIComponent(command)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify(request === undefined ? {} : { request }),
    });
    const body = (await response.json().catch(() => ({ ok: false, error: `Bridge answered HTTP ${response.status}` }))) as
      | { ok: true; result?: unknown }
      | { ok: false; error: string };
    if (!body.ok) throw new Error(body.error);
    return body.result as never;
  },
  on(push, listener) {
    if (!pushes.has(push) || typeof listener !== 'function') throw new Error(`Unknown push: ${String(push)}`);
    ensureEvents();
    let set = listeners.get(push);
    if (!set) listeners.set(push, (set = new Set()));
    const wrapped = (payload: never) => listener(payload);
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  },
} satisfies OnboardingApi;

// Open the event stream at once, so no push is missed between page load and the first subscription
// (pushes that arrive with no listener are dropped, exactly like IPC messages with no listener).
ensureEvents();
Object.defineProperty(window, API_KEY, { value: Object.freeze(api), writable: false, configurable: false, enumerable: true });
