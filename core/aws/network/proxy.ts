/**
 * Which proxy an endpoint goes through, by the conventions the AWS CLI and curl share:
 * HTTPS_PROXY/https_proxy for https URLs, HTTP_PROXY/http_proxy for http ones, NO_PROXY/no_proxy a
 * comma (or space) list of exact hosts, `.suffix` or `suffix` matches, `host:port`, or `*`.
 *
 * Same semantics as `proxy-from-env` (getProxyForUrl), re-stated over an explicit env object
 * because that library only reads process.env and our sessions take their env as a parameter
 * (the app's handlers and the tests pass their own). Lowercase wins over uppercase, as there.
 * One difference: a proxy given without a scheme is an http proxy (curl, the AWS CLI), where
 * proxy-from-env would borrow the endpoint's scheme.
 */
const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

function envVar(env: NodeJS.ProcessEnv, name: string): string {
  return env[name.toLowerCase()] || env[name.toUpperCase()] || '';
}

/** True when NO_PROXY says this host:port must be reached directly. */
export function bypassesProxy(hostname: string, port: number, env: NodeJS.ProcessEnv): boolean {
  const noProxy = envVar(env, 'no_proxy').toLowerCase();
  if (!noProxy) return false;
  if (noProxy === '*') return true;
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return noProxy.split(/[,\s]/).some((entry) => {
    if (!entry) return false;
    const m = /^(.+):(\d+)$/.exec(entry);
    let parsedHost = m ? m[1]! : entry;
    const parsedPort = m ? Number(m[2]) : 0;
    if (parsedPort && parsedPort !== port) return false;
    if (!/^[.*]/.test(parsedHost)) return host === parsedHost || host.endsWith(`.${parsedHost}`);
    if (parsedHost.startsWith('*')) parsedHost = parsedHost.slice(1);
    return host.endsWith(parsedHost);
  });
}

/** The proxy URL for this endpoint, or undefined to go direct. */
export function proxyForUrl(target: string, env: NodeJS.ProcessEnv): string | undefined {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  const protocol = url.protocol;
  if (!(protocol in DEFAULT_PORTS)) return undefined;
  const port = Number(url.port) || DEFAULT_PORTS[protocol]!;
  if (bypassesProxy(url.hostname, port, env)) return undefined;
  const scheme = protocol.slice(0, -1);
  const proxy = envVar(env, `${scheme}_proxy`) || envVar(env, 'all_proxy');
  if (!proxy) return undefined;
  // "proxy:3128" without a scheme means an http proxy, as curl and proxy-from-env read it.
  return proxy.includes('://') ? proxy : `http://${proxy}`;
}

/** True when NO_PROXY names this URL's host: the environment then says "direct", over the OS. */
export function noProxyMatches(target: string, env: NodeJS.ProcessEnv): boolean {
  try {
    const url = new URL(target);
    return bypassesProxy(url.hostname, Number(url.port) || DEFAULT_PORTS[url.protocol] || 0, env);
  } catch {
    return false;
  }
}

/** A proxy URL for display: scheme, host and port only; user and password never leave here. */
export function describeProxy(proxy: string | undefined): string {
  if (!proxy) return 'none (direct)';
  try {
    const u = new URL(proxy);
    return `${u.protocol}//${u.host}${u.username ? ' (with credentials)' : ''}`;
  } catch {
    return 'an unreadable proxy URL';
  }
}
