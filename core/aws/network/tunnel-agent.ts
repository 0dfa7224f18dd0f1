/**
 * https-proxy-agent, with one change: when the proxy answers the CONNECT with anything but 200,
 * the request fails with a ProxyTunnelError (status, proxy host) instead of the library's default
 * of replaying the proxy's answer as if the AWS endpoint had sent it. The SDK would otherwise try
 * to parse a proxy's 407 page as a HealthImaging error and the user would read nonsense.
 */
import type * as http from 'node:http';
import { HttpsProxyAgent, type HttpsProxyAgentOptions } from 'https-proxy-agent';

export class ProxyTunnelError extends Error {
  override name = 'ProxyTunnelError';
  readonly code: string;
  constructor(
    readonly statusCode: number,
    /** host:port of the proxy; never its credentials. */
    readonly proxyHost: string,
    /** host:port the tunnel was for. */
    readonly target: string,
  ) {
    super(`The proxy ${proxyHost} answered ${statusCode} to CONNECT ${target}`);
    this.code = statusCode === 407 ? 'ProxyAuthenticationRequired' : 'ProxyTunnelRefused';
  }
}

type ConnectOpts = Parameters<HttpsProxyAgent<string>['connect']>[1];

export class TunnelAgent extends HttpsProxyAgent<string> {
  /** Tunnels opened (status 200), for tests and doctor; no request content is kept. */
  tunnels = 0;

  /** CAs for the TLS session to the endpoint inside the tunnel (https-proxy-agent resets
   * `this.options`, so agent options never reach that tls.connect: we add them per connect). */
  private readonly targetCa: string[] | undefined;

  constructor(proxy: string, opts: HttpsProxyAgentOptions<string> & { ca?: string[] }) {
    super(proxy, opts);
    this.targetCa = opts.ca;
  }

  override async connect(req: http.ClientRequest, opts: ConnectOpts): ReturnType<HttpsProxyAgent<string>["connect"]> {
    let status: number | undefined;
    req.once('proxyConnect', (c: { statusCode: number }) => (status = c.statusCode));
    const socket = await super.connect(req, this.targetCa ? ({ ...opts, ca: this.targetCa } as ConnectOpts) : opts);
    if (status !== undefined && status !== 200) {
      socket.destroy();
      throw new ProxyTunnelError(status, this.proxy.host, `${opts.host}:${opts.port}`);
    }
    this.tunnels++;
    return socket;
  }
}
