/**
 * The browser host's bridge, probed over plain HTTP: it must be as strict as the IPC manager
 * (token, host, origin, schema), serve only the built renderer, and send the app's CSP on every
 * response. No browser needed.
 */
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { CONTENT_SECURITY_POLICY } from '../electron/main/csp';
import { startBrowserHost, type BrowserHost } from './host/server';
import { ensureBuilt, RENDERER_DIR } from './support/environment';

/** A raw request, so Host and Origin headers can be forged (fetch would not allow it). */
function request(
  host: BrowserHost,
  pathname: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { port } = new URL(host.origin);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (c) => {
        body += c;
        // An event stream never ends by itself: enough once the first comment arrived.
        if (res.headers['content-type']?.startsWith('text/event-stream')) req.destroy();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('close', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

test.describe('browser host bridge', () => {
  let host: BrowserHost;
  let dir: string;
  const json = (token: string | undefined, extra: Record<string, string> = {}) => ({
    'Content-Type': 'application/json',
    ...(token ? { 'X-AHI-Bridge-Token': token } : {}),
    ...extra,
  });

  test.beforeAll(async () => {
    ensureBuilt();
    dir = mkdtempSync(path.join(tmpdir(), 'bridge-'));
    host = await startBrowserHost({ userDataDir: dir, rendererDir: RENDERER_DIR });
  });

  test.afterAll(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('listens on 127.0.0.1 and prints a URL carrying a random token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?bridge=[0-9a-f]{64}$/);
  });

  test('serves the built renderer with the bridge script first, under the app CSP', async () => {
    const res = await request(host, '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(res.body.indexOf('/__host/bridge.js')).toBeGreaterThan(0);
    expect(res.body.indexOf('/__host/bridge.js')).toBeLessThan(res.body.indexOf('type="module"'));
    const bridge = await request(host, '/__host/bridge.js');
    expect(bridge.headers['content-type']).toMatch(/javascript/);
    expect(bridge.body).not.toMatch(/\bimport\s|require\(/);
  });

  test('answers a valid command with the real handlers', async () => {
    const res = await request(host, '/ipc/profiles:list', { method: 'POST', headers: json(host.token), body: '{}' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, result: [{ name: '__sandbox__' }] });
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  test('refuses calls without the token, with a wrong one, and an event stream without it', async () => {
    for (const token of [undefined, 'x'.repeat(64), host.token.slice(1)]) {
      const res = await request(host, '/ipc/profiles:list', { method: 'POST', headers: json(token), body: '{}' });
      expect(res.status).toBe(403);
    }
    expect((await request(host, '/ipc/events')).status).toBe(403);
    expect((await request(host, `/ipc/events?token=${host.token}`)).headers['content-type']).toMatch(/text\/event-stream/);
  });

  test('refuses a forged Host (DNS rebinding) or a foreign Origin even with the token', async () => {
    const rebinding = await request(host, '/ipc/profiles:list', { method: 'POST', headers: json(host.token, { Host: 'evil.example' }), body: '{}' });
    expect(rebinding.status).toBe(403);
    const foreign = await request(host, '/ipc/profiles:list', { method: 'POST', headers: json(host.token, { Origin: 'https://evil.example' }), body: '{}' });
    expect(foreign.status).toBe(403);
  });

  test('validates payloads with the same schemas as the IPC manager, naming the field', async () => {
    const bad = await request(host, '/ipc/run:start', {
      method: 'POST',
      headers: json(host.token),
      body: JSON.stringify({ request: { profile: '__sandbox__', region: 'us-east-1', inputs: { datastoreName: 7 } } }),
    });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatch(/Invalid request for 'run:start': inputs\.datastoreName/);
    expect((await request(host, '/ipc/run:start', { method: 'POST', headers: json(host.token), body: '{not json' })).status).toBe(400);
    expect((await request(host, '/ipc/shell:exec', { method: 'POST', headers: json(host.token), body: '{}' })).status).toBe(404);
    expect((await request(host, '/ipc/profiles:list', { method: 'POST', headers: { 'X-AHI-Bridge-Token': host.token, 'Content-Type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await request(host, '/ipc/profiles:list', { method: 'GET', headers: json(host.token) })).status).toBe(405);
    expect(await host.handlers['runs:list']()).toEqual([]);
  });

  test('serves nothing outside the built renderer', async () => {
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/assets/..%5c..%5cpackage.json', '/%00']) {
      const res = await request(host, p);
      expect([400, 403, 404]).toContain(res.status);
      expect(res.body).not.toContain('"devDependencies"');
    }
  });
});
