import * as electron from 'electron';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../main/csp';
import { guardWebContents, isAppUrl, permissionAllowed, setupSecurity } from '../main/security';
import { FakeWebContents, type FakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const fake = electron as unknown as FakeElectron;

function prevented(contents: FakeWebContents, event: string, url: string): boolean {
  let wasPrevented = false;
  const e = { preventDefault: () => (wasPrevented = true), url };
  contents.emit(event, e, url);
  return wasPrevented;
}

describe('security baseline', () => {
  beforeAll(() => {
    setupSecurity({ session: fake.session.defaultSession as never });
  });

  it('guards every web contents the app creates', () => {
    const contents = new FakeWebContents();
    fake.app.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler).toBeDefined();
    expect(contents.listenerCount('will-navigate')).toBe(1);
    expect(contents.listenerCount('will-redirect')).toBe(1);
    expect(contents.listenerCount('will-attach-webview')).toBe(1);
  });

  it('denies all navigation, even to vetted AWS pages (which open in the system browser instead)', () => {
    const contents = new FakeWebContents();
    guardWebContents(contents as never);
    fake.shell.openExternal.mockClear();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'app://bundle/other.html', 'javascript:alert(1)', 'https://console.aws.amazon.com/']) {
      expect(prevented(contents, 'will-navigate', url)).toBe(true);
    }
    expect(fake.shell.openExternal).toHaveBeenCalledTimes(1);
    expect(fake.shell.openExternal).toHaveBeenCalledWith('https://console.aws.amazon.com/');
  });

  it('denies redirects and frame navigation away from the app, and every webview', () => {
    const contents = new FakeWebContents();
    guardWebContents(contents as never);
    expect(prevented(contents, 'will-redirect', 'https://evil.example/')).toBe(true);
    expect(prevented(contents, 'will-redirect', 'app://bundle/index.html')).toBe(false);
    expect(prevented(contents, 'will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(prevented(contents, 'will-attach-webview', 'https://evil.example/')).toBe(true);
  });

  it('denies window.open, handing only vetted https AWS links to the system browser', () => {
    const contents = new FakeWebContents();
    guardWebContents(contents as never);
    fake.shell.openExternal.mockClear();
    for (const url of ['https://evil.example/', 'http://docs.aws.amazon.com/', 'https://docs.aws.amazon.com/healthimaging/latest/devguide/', 'about:blank']) {
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    }
    expect(fake.shell.openExternal.mock.calls).toEqual([['https://docs.aws.amazon.com/healthimaging/latest/devguide/']]);
  });

  it('denies every permission request and check', () => {
    const s = fake.session.defaultSession;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const cb = vi.fn();
      s.permissionRequestHandler!({}, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect(s.permissionCheckHandler!({}, permission, 'app://bundle')).toBe(false);
    }
    expect(s.devicePermissionHandler!({})).toBe(false);
    const mediaCb = vi.fn();
    s.displayMediaHandler!({}, mediaCb);
    expect(mediaCb).toHaveBeenCalledWith({});
  });

  it('grants the Copy buttons their clipboard write, to the app page in its main frame only; everything else stays denied', () => {
    const s = fake.session.defaultSession;
    const main = { requestingUrl: 'app://bundle/index.html', isMainFrame: true };
    const cb = vi.fn();
    s.permissionRequestHandler!({}, 'clipboard-sanitized-write', cb, main);
    expect(cb).toHaveBeenCalledWith(true);
    expect(s.permissionCheckHandler!({}, 'clipboard-sanitized-write', 'app://bundle', { ...main })).toBe(true);
    const denied: Array<[string, { requestingUrl?: string; isMainFrame: boolean } | undefined]> = [
      ['clipboard-sanitized-write', { requestingUrl: 'https://evil.example/', isMainFrame: true }], // another origin
      ['clipboard-sanitized-write', { requestingUrl: 'app://bundle/index.html', isMainFrame: false }], // an iframe
      ['clipboard-sanitized-write', { requestingUrl: 'http://localhost:5173/', isMainFrame: true }], // a dev server that is not configured
      ['clipboard-sanitized-write', undefined], // no details: nothing to vouch for it
      ['clipboard-read', main], // reading the clipboard: never
      ['deprecated-sync-clipboard-read', main],
      ['notifications', main],
      ['media', main],
    ];
    for (const [permission, details] of denied) {
      const deny = vi.fn();
      s.permissionRequestHandler!({}, permission, deny, details);
      expect(deny, `${permission} ${JSON.stringify(details)}`).toHaveBeenCalledWith(false);
      expect(s.permissionCheckHandler!({}, permission, details?.requestingUrl ?? 'app://bundle', details), permission).toBe(false);
    }
    expect(permissionAllowed('clipboard-sanitized-write', 'http://localhost:5173/', true, 'http://localhost:5173')).toBe(true);
  });

  it('puts the strict CSP on every response, replacing any the response had', () => {
    const cb = vi.fn();
    fake.session.defaultSession.headersListener!(
      { url: 'https://example.com/', responseHeaders: { 'content-security-policy': ["default-src *"], 'X-Other': ['1'] } },
      cb,
    );
    const headers = cb.mock.calls[0]![0].responseHeaders as Record<string, string[]>;
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers['content-security-policy']).toBeUndefined();
    expect(headers['X-Other']).toEqual(['1']);
  });

  it('the CSP allows only the app’s own scripts', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/script-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/style-src 'self'(;|$)/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/object-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
  });

  it('recognises app URLs by scheme and host only', () => {
    expect(isAppUrl('app://bundle/index.html')).toBe(true);
    expect(isAppUrl('app://other/index.html')).toBe(false);
    expect(isAppUrl('http://localhost:5173/')).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
