import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as electron from 'electron';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveAppFile } from '../main/app-path';
import { CONTENT_SECURITY_POLICY } from '../main/csp';
import { registerAppScheme, serveAppRequest, setupAppProtocol } from '../main/protocol';
import type { FakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const fake = electron as unknown as FakeElectron;

describe('app:// protocol', () => {
  let root: string;
  let secretFile: string;

  beforeAll(() => {
    const base = mkdtempSync(path.join(tmpdir(), 'app-protocol-'));
    root = path.join(base, 'renderer');
    mkdirSync(path.join(root, 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
    secretFile = path.join(base, 'secret.txt');
    writeFileSync(secretFile, 'aws_secret_access_key=nope');
    mkdirSync(path.join(base, 'renderer-evil'));
    writeFileSync(path.join(base, 'renderer-evil', 'x.html'), 'evil');
  });

  it('is registered as a privileged standard, secure scheme', () => {
    registerAppScheme();
    expect(fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
  });

  it('serves the built renderer with the CSP and a correct content type', async () => {
    setupAppProtocol(root, fake.session.defaultSession.protocol as never);
    const handler = fake.session.defaultSession.protocol.handlers.get('app')!;
    const res = await handler(new Request('app://bundle/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('<title>app</title>');
    const js = await handler(new Request('app://bundle/assets/index-abc.js'));
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await handler(new Request('app://bundle/'))).status).toBe(200);
  });

  it('blocks path traversal in every spelling, and other hosts', async () => {
    const attempts = [
      'app://bundle/../secret.txt',
      'app://bundle/%2e%2e/secret.txt',
      'app://bundle/%2E%2E%2Fsecret.txt',
      'app://bundle/assets/..%2f..%2fsecret.txt',
      'app://bundle/..%5csecret.txt',
      'app://bundle/%2e%2e%5c..%5csecret.txt',
      `app://bundle/${encodeURIComponent(secretFile)}`,
      'app://bundle/../renderer-evil/x.html',
      'app://bundle/%2e%2e/renderer-evil/x.html',
      'app://bundle/index.html%00.js',
      'app://bundle/%E0%A4%A',
      'app://evil/index.html',
      'app://bundle@evil/index.html',
    ];
    for (const url of attempts) {
      const file = resolveAppFile(root, url);
      if (file !== null) expect(file.startsWith(root + path.sep)).toBe(true);
      const res = await serveAppRequest(root, { method: 'GET', url });
      expect([403, 404]).toContain(res.status);
      const body = await res.text();
      expect(body).not.toContain('nope');
      expect(body).not.toContain('evil');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('answers 404 for a missing file and 405 for anything but GET/HEAD', async () => {
    expect((await serveAppRequest(root, new Request('app://bundle/missing.js'))).status).toBe(404);
    expect((await serveAppRequest(root, new Request('app://bundle/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});
