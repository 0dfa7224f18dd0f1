/** Chromium's proxy answers, and the OS lookup routing a real SDK request (env still wins). */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { createProxy } from 'proxy';
import { describe, expect, it } from 'vitest';
import { osProxyLookup } from '../../../electron/main/os-proxy';
import { proxyFromPacResult } from './pac';
import { createRequestHandler } from './request-handler';

describe('proxyFromPacResult', () => {
  it('takes the first PROXY/HTTPS entry, DIRECT means none, SOCKS is skipped', () => {
    expect(proxyFromPacResult('PROXY proxy.hospital.org:3128; DIRECT')).toBe('http://proxy.hospital.org:3128');
    expect(proxyFromPacResult('HTTPS secure-proxy:443')).toBe('https://secure-proxy:443');
    expect(proxyFromPacResult('DIRECT')).toBeUndefined();
    expect(proxyFromPacResult('SOCKS5 socks:1080; PROXY p:8080')).toBe('http://p:8080');
    expect(proxyFromPacResult('')).toBeUndefined();
  });
});

describe('osProxyLookup', () => {
  it('asks the session once per origin within a minute, and a failed lookup means direct', async () => {
    const asked: string[] = [];
    let t = 0;
    const lookup = osProxyLookup({ resolveProxy: async (u: string) => (asked.push(u), 'PROXY p:1; DIRECT') }, () => t);
    expect(await lookup('https://sts.us-east-1.amazonaws.com/x')).toBe('http://p:1');
    expect(await lookup('https://sts.us-east-1.amazonaws.com/y')).toBe('http://p:1');
    t = 61_000;
    await lookup('https://sts.us-east-1.amazonaws.com/');
    expect(asked).toEqual(['https://sts.us-east-1.amazonaws.com', 'https://sts.us-east-1.amazonaws.com']);
    const failing = osProxyLookup({ resolveProxy: () => Promise.reject(new Error('no network service')) });
    expect(await failing('https://s3.amazonaws.com/')).toBeUndefined();
  });

  it('routes a real request through the OS proxy, unless NO_PROXY says direct', async () => {
    const server = createProxy(createServer());
    const tunnels: string[] = [];
    server.on('connect', (req: IncomingMessage) => tunnels.push(req.url ?? ''));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const send = async (env: NodeJS.ProcessEnv) => {
      const requestHandler = createRequestHandler({ env, ca: [...tls.rootCertificates], osProxyFor: async () => `http://127.0.0.1:${port}`, connectTimeoutMs: 2_000 });
      const sts = new STSClient({ region: 'us-east-1', endpoint: 'https://sts.example.invalid', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x'.repeat(40) }, maxAttempts: 1, requestHandler });
      await sts.send(new GetCallerIdentityCommand({})).catch(() => undefined);
      sts.destroy();
    };
    await send({});
    expect(tunnels).toEqual(['sts.example.invalid:443']);
    await send({ NO_PROXY: '.example.invalid' });
    expect(tunnels).toHaveLength(1);
    server.close();
    server.closeAllConnections();
  });
});
