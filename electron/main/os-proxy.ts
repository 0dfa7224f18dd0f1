/**
 * The operating system's proxy settings (manual, PAC file, WPAD) for the app's AWS clients, as
 * Chromium resolves them: Electron's session.resolveProxy per endpoint origin, read by
 * proxyFromPacResult. Environment variables still win (core/aws/network/request-handler.ts asks
 * this only when HTTPS_PROXY/NO_PROXY said nothing). Answers are cached per origin for a minute:
 * a PAC script is consulted per host, not per request, and network changes are picked up soon.
 */
import type { Session } from 'electron';
import { proxyFromPacResult, type OsProxyLookup } from '../../core/aws/network';

const CACHE_MS = 60_000;

export function osProxyLookup(session: Pick<Session, 'resolveProxy'>, now: () => number = Date.now): OsProxyLookup {
  const cache = new Map<string, { at: number; proxy: Promise<string | undefined> }>();
  return (url) => {
    const origin = new URL(url).origin;
    const hit = cache.get(origin);
    if (hit && now() - hit.at < CACHE_MS) return hit.proxy;
    // A failing lookup (no network service yet) means direct, as Chromium falls back to DIRECT.
    const proxy = session.resolveProxy(origin).then(proxyFromPacResult, () => undefined);
    cache.set(origin, { at: now(), proxy });
    return proxy;
  };
}
