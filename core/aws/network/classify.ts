/**
 * Network failures a hospital network causes, in the sentences the user acts on (issue 11). The
 * messages name hosts and proxies by host:port only; a proxy URL's credentials never appear.
 */
import type { AwsErrorClassification } from '../errors';
import { ProxyTunnelError } from './tunnel-agent';

export const UNTRUSTED_CERTIFICATE =
  "The network presents a certificate that is not trusted: add your organisation's CA with ca_bundle in the profile or AWS_CA_BUNDLE.";

const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE',
]);

interface NetErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  hostname?: unknown;
  cause?: unknown;
}

function chain(err: unknown): NetErrorLike[] {
  const out: NetErrorLike[] = [];
  let e: unknown = err;
  while (e && typeof e === 'object' && out.length < 5) {
    out.push(e as NetErrorLike);
    e = (e as NetErrorLike).cause;
  }
  return out;
}

type Base = Pick<AwsErrorClassification, 'httpStatus' | 'requestId'>;

export function classifyNetworkError(err: unknown, base: Base = {}): AwsErrorClassification | undefined {
  for (const e of chain(err)) {
    if (e instanceof ProxyTunnelError) {
      if (e.statusCode === 407) {
        return {
          fault: 'client', code: e.code, ...base,
          message: `The proxy ${e.proxyHost} asks for authentication (407 Proxy Authentication Required).`,
          action: 'Put the proxy user name and password in the proxy URL, for example HTTPS_PROXY=http://user:password@proxy:3128, or ask IT for an account.',
        };
      }
      return {
        fault: 'client', code: e.code, ...base,
        message: `The proxy ${e.proxyHost} refused the tunnel to ${e.target} (HTTP ${e.statusCode}).`,
        action: 'Ask IT to allow this endpoint through the proxy, or add it to NO_PROXY if it is reachable directly.',
      };
    }
    const code = typeof e.code === 'string' ? e.code : '';
    if (UNTRUSTED_CODES.has(code)) {
      return { fault: 'client', code, ...base, message: UNTRUSTED_CERTIFICATE, action: 'ca_bundle = /path/to/org-ca.pem in [profile ...] of ~/.aws/config, or export AWS_CA_BUNDLE=/path/to/org-ca.pem.' };
    }
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      return { fault: 'client', code, ...base, message: 'The certificate the network presents is for a different host name than the endpoint.', action: 'Check the endpoint URL; a proxy that inspects TLS must re-sign for this host.' };
    }
    if (code === 'ENOTFOUND') {
      const host = typeof e.hostname === 'string' ? e.hostname : 'the endpoint host';
      return {
        fault: 'transient', code, ...base,
        message: `The host name ${host} does not resolve (DNS lookup failed).`,
        action: 'Check the endpoint and region, the network, or set HTTPS_PROXY if this network reaches AWS only through a proxy.',
      };
    }
    if (e.name === 'TimeoutError' && /exceeded the configured \d+ ms requestTimeout|socket timed out after \d+ ms of inactivity/i.test(String(e.message))) {
      return {
        fault: 'transient', code: 'RequestTimeout', ...base,
        message: 'The service did not answer in time (request timeout); will retry.',
        action: 'If this persists, check the proxy or firewall between this computer and AWS.',
      };
    }
    if (e.name === 'TimeoutError' && /Socket timed out without establishing a connection/i.test(String(e.message))) {
      return {
        fault: 'transient', code: 'ConnectTimeout', ...base,
        message: 'The connection to the service timed out (no answer within the connect timeout).',
        action: 'Check the network and firewall, or set HTTPS_PROXY if this network reaches AWS only through a proxy.',
      };
    }
  }
  return undefined;
}
