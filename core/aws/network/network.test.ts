/** Proxy choice by the AWS CLI/curl conventions, CA sources, and the classified failures. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyAwsError } from '../errors';
import { describeProxy, proxyForUrl } from './proxy';
import { createRequestHandler } from './request-handler';
import { CaBundleError, resolveTrust } from './trust';

const tmp = mkdtempSync(join(tmpdir(), 'ahi-netunit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('proxyForUrl', () => {
  const P = 'http://proxy.hospital.org:3128';
  it('https endpoints use HTTPS_PROXY, http ones HTTP_PROXY; lowercase wins; a bare host:port is an http proxy', () => {
    expect(proxyForUrl('https://medical-imaging.us-east-1.amazonaws.com/', { HTTPS_PROXY: P })).toBe(P);
    expect(proxyForUrl('http://127.0.0.1:8080/', { HTTPS_PROXY: P })).toBeUndefined();
    expect(proxyForUrl('http://127.0.0.1:8080/', { HTTP_PROXY: P })).toBe(P);
    expect(proxyForUrl('https://sts.amazonaws.com/', { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:2' })).toBe('http://lower:2');
    expect(proxyForUrl('https://sts.amazonaws.com/', { HTTPS_PROXY: 'proxy:3128' })).toBe('http://proxy:3128');
    expect(proxyForUrl('https://sts.amazonaws.com/', {})).toBeUndefined();
  });
  it('NO_PROXY: exact host, .suffix, bare suffix, host:port, *, comma and space lists', () => {
    const at = (url: string, noProxy: string) => proxyForUrl(url, { HTTPS_PROXY: P, no_proxy: noProxy });
    expect(at('https://s3.us-east-1.amazonaws.com/', 's3.us-east-1.amazonaws.com')).toBeUndefined();
    expect(at('https://bucket.s3.us-east-1.amazonaws.com/', '.amazonaws.com')).toBeUndefined();
    expect(at('https://bucket.s3.us-east-1.amazonaws.com/', 'amazonaws.com')).toBeUndefined();
    expect(at('https://notamazonaws.com/', 'amazonaws.com')).toBe(P);
    expect(at('https://127.0.0.1:8443/', 'localhost, 127.0.0.1:8443')).toBeUndefined();
    expect(at('https://127.0.0.1:9443/', '127.0.0.1:8443')).toBe(P);
    expect(at('https://sts.amazonaws.com/', '*')).toBeUndefined();
    expect(at('https://sts.amazonaws.com/', 'example.org')).toBe(P);
  });
  it('describes a proxy without its credentials', () => {
    expect(describeProxy('http://user:pa55@proxy:3128')).toBe('http://proxy:3128 (with credentials)');
    expect(describeProxy(undefined)).toBe('none (direct)');
  });
});

describe('resolveTrust', () => {
  it('adds the bundle to the default roots; AWS_CA_BUNDLE wins over ca_bundle', () => {
    const pem = `${tls.rootCertificates[0]}\n`;
    const a = join(tmp, 'a.pem');
    writeFileSync(a, pem);
    const t = resolveTrust({ AWS_CA_BUNDLE: a }, join(tmp, 'missing.pem'));
    expect(t.bundle).toEqual({ path: a, from: 'AWS_CA_BUNDLE', certificates: 1 });
    expect(t.ca.length).toBeGreaterThanOrEqual(tls.rootCertificates.length);
    expect(resolveTrust({}, a).bundle?.from).toBe('ca_bundle');
    expect(resolveTrust({}).bundle).toBeUndefined();
  });
  it('a bundle that is missing or holds no certificate is an error naming the setting', () => {
    expect(() => resolveTrust({}, join(tmp, 'nope.pem'))).toThrow(CaBundleError);
    expect(() => resolveTrust({}, join(tmp, 'nope.pem'))).toThrow(/ca_bundle .*nope\.pem cannot be read \(ENOENT\)/);
    const empty = join(tmp, 'empty.pem');
    writeFileSync(empty, 'not a certificate');
    expect(() => resolveTrust({ AWS_CA_BUNDLE: empty })).toThrow(/AWS_CA_BUNDLE .* holds no PEM certificate/);
  });
});

describe('classified network failures with a real STS client', () => {
  const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x'.repeat(40) };
  const call = async (endpoint: string, env: NodeJS.ProcessEnv, extra: { connectTimeoutMs?: number } = {}) => {
    const requestHandler = createRequestHandler({ env, ca: [...tls.rootCertificates], ...extra });
    const sts = new STSClient({ region: 'us-east-1', endpoint, credentials: creds, maxAttempts: 1, requestHandler });
    try {
      await sts.send(new GetCallerIdentityCommand({}));
      throw new Error('expected a failure');
    } catch (e) {
      return classifyAwsError(e, { operation: 'GetCallerIdentity' });
    } finally {
      sts.destroy();
    }
  };

  it('a proxy that refuses the tunnel (403) names the proxy and the target', async () => {
    const proxy = createServer((s) => s.once('data', () => s.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n')));
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as AddressInfo).port;
    const c = await call('https://sts.example.invalid', { HTTPS_PROXY: `http://u:hidden@127.0.0.1:${port}` });
    proxy.close();
    expect(c).toMatchObject({ fault: 'client', code: 'ProxyTunnelRefused' });
    expect(c.message).toBe(`The proxy 127.0.0.1:${port} refused the tunnel to sts.example.invalid:443 (HTTP 403).`);
    expect(JSON.stringify(c)).not.toContain('hidden');
  });

  it('a host name that does not resolve is named', async () => {
    const c = await call('https://no-such-host.invalid', {});
    expect(c.code).toBe('ENOTFOUND');
    expect(c.message).toBe('The host name no-such-host.invalid does not resolve (DNS lookup failed).');
  });

  it('a server that accepts TCP but never speaks TLS does not hang: the request times out', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    const started = Date.now();
    const requestHandler = createRequestHandler({ env: {}, ca: [], requestTimeoutMs: 500 });
    const sts = new STSClient({ region: 'us-east-1', endpoint: `https://127.0.0.1:${port}`, credentials: creds, maxAttempts: 1, requestHandler });
    const err = await sts.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(classifyAwsError(err).message).toBe('The service did not answer in time (request timeout); will retry.');
    sts.destroy();
    silent.close();
  });
});
