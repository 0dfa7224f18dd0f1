/**
 * The one SDK request handler every AWS client of the product gets (HealthImaging, S3, STS, and
 * the STS/SSO clients the credential providers build): proxies by environment, the extra CAs, and
 * connect/request timeouts so nothing hangs on a silent network.
 *
 * A proxy is chosen per request, not per client: NO_PROXY can exempt one endpoint of a client
 * (s3 vs a bucket's virtual host) and the SDK picks default endpoints itself. So this handler
 * routes each request to a NodeHttpHandler for "direct" or for one proxy URL, made on first use.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { HttpProxyAgent } from 'http-proxy-agent';
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import type { HttpHandler, HttpRequest, HttpResponse } from '@smithy/protocol-http';
import type { HttpHandlerOptions } from '@smithy/types';
import { noProxyMatches, proxyForUrl } from './proxy';
import { TunnelAgent } from './tunnel-agent';

export const CONNECT_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 60_000;

/** The OS's proxy for a URL (Electron resolves PAC asynchronously); undefined means direct. */
export type OsProxyLookup = (url: string) => string | undefined | Promise<string | undefined>;

export interface NetworkOptions {
  env: NodeJS.ProcessEnv;
  /** PEM certificates trusted for TLS (roots + system + extra; see trust.ts). */
  ca: string[];
  /** A proxy the OS chose for a URL (the desktop app's session.resolveProxy); env wins where set. */
  osProxyFor?: OsProxyLookup;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
}

export interface RoutedHandler extends HttpHandler<NodeHttpHandlerOptions> {
  /** CONNECT tunnels opened so far, over all proxies. */
  tunnels(): number;
}

function endpointUrl(request: HttpRequest): string {
  const port = request.port ? `:${request.port}` : '';
  return `${request.protocol}//${request.hostname}${port}/`;
}

export function createRequestHandler(opts: NetworkOptions): RoutedHandler {
  const routes = new Map<string, NodeHttpHandler>();
  const tunnelAgents: TunnelAgent[] = [];
  const requestTimeout = opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  // smithy's requestTimeout only logs a warning unless throwOnRequestTimeout is set: without it a
  // silent proxy or a half-open TLS session would hang the run. socketTimeout catches idle sockets.
  const timeouts = { connectionTimeout: opts.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, requestTimeout, throwOnRequestTimeout: true, socketTimeout: requestTimeout };
  const tls = { ca: opts.ca, keepAlive: true };

  const route = async (url: string): Promise<NodeHttpHandler> => {
    // The environment wins where set: a proxy, or NO_PROXY saying direct; else ask the OS.
    const proxy = proxyForUrl(url, opts.env) ?? (noProxyMatches(url, opts.env) ? undefined : await opts.osProxyFor?.(url));
    const secure = url.startsWith('https:');
    const key = `${secure ? 'https' : 'http'} ${proxy ?? 'direct'}`;
    let handler = routes.get(key);
    if (!handler) {
      let agents: Pick<NodeHttpHandlerOptions, 'httpAgent' | 'httpsAgent'>;
      if (!proxy) agents = { httpsAgent: new https.Agent(tls), httpAgent: new http.Agent({ keepAlive: true }) };
      else if (secure) {
        const agent = new TunnelAgent(proxy, tls);
        tunnelAgents.push(agent);
        agents = { httpsAgent: agent };
      } else agents = { httpAgent: new HttpProxyAgent(proxy, { keepAlive: true }) };
      handler = new NodeHttpHandler({ ...timeouts, ...agents });
      routes.set(key, handler);
    }
    return handler;
  };

  let config: Partial<NodeHttpHandlerOptions> = {};
  return {
    metadata: { handlerProtocol: 'http/1.1' },
    async handle(request: HttpRequest, options?: HttpHandlerOptions): Promise<{ response: HttpResponse }> {
      return (await route(endpointUrl(request))).handle(request, options);
    },
    updateHttpClientConfig(key, value) {
      config = { ...config, [key]: value };
      for (const h of routes.values()) h.updateHttpClientConfig(key, value);
    },
    httpHandlerConfigs: () => ({ ...timeouts, ...config }) as NodeHttpHandlerOptions,
    destroy() {
      for (const h of routes.values()) h.destroy();
      routes.clear();
    },
    tunnels: () => tunnelAgents.reduce((n, a) => n + a.tunnels, 0),
  };
}
