/**
 * The network a session uses: one request handler (proxies, CAs, timeouts) plus the facts doctor
 * and "Test connection" show (which proxy per endpoint, which CA sources). Built once per session.
 */
import { describeProxy, noProxyMatches, proxyForUrl } from './proxy';
import { createRequestHandler, type OsProxyLookup, type RoutedHandler } from './request-handler';
import { resolveTrust, type TrustSources } from './trust';

export { classifyNetworkError, UNTRUSTED_CERTIFICATE } from './classify';
export { CaBundleError } from './trust';
export { describeProxy, proxyForUrl } from './proxy';
export { proxyFromPacResult } from './pac';
export type { OsProxyLookup } from './request-handler';

export interface SessionNetwork {
  handler: RoutedHandler;
  trust: Omit<TrustSources, 'ca'>;
  /** Which proxy an endpoint goes through, for display (no credentials) and where it came from. */
  proxyFor(url: string): Promise<{ proxy: string; source: 'environment' | 'operating system' | 'none' }>;
}

export interface NetworkSettings {
  env: NodeJS.ProcessEnv;
  /** The profile's ca_bundle setting (AWS_CA_BUNDLE in env wins). */
  caBundle?: string;
  /** The desktop app's OS proxy lookup; undefined in the CLI. */
  osProxyFor?: OsProxyLookup;
}

export function createSessionNetwork(s: NetworkSettings): SessionNetwork {
  const { ca, ...trust } = resolveTrust(s.env, s.caBundle);
  const handler = createRequestHandler({ env: s.env, ca, ...(s.osProxyFor ? { osProxyFor: s.osProxyFor } : {}) });
  return {
    handler,
    trust,
    async proxyFor(url) {
      const fromEnv = proxyForUrl(url, s.env);
      if (fromEnv) return { proxy: describeProxy(fromEnv), source: 'environment' };
      const fromOs = noProxyMatches(url, s.env) ? undefined : await s.osProxyFor?.(url);
      if (fromOs) return { proxy: describeProxy(fromOs), source: 'operating system' };
      return { proxy: describeProxy(undefined), source: 'none' };
    },
  };
}
