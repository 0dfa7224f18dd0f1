/**
 * The window-level half of the security baseline: every web contents the app ever creates may not
 * navigate away from the app, open windows, attach webviews or be granted any permission but
 * the clipboard write its Copy buttons need, and every response carries the app's CSP. Links to vetted AWS console/documentation pages that the
 * page tries to follow are handed to the system browser instead.
 */
import { app, shell, type Session, type WebContents } from 'electron';
import { APP_ORIGIN } from './app-path';
import { CONTENT_SECURITY_POLICY } from './csp';
import { vetAwsLink as vetExternalUrl } from '../../core/healthimaging/console-links';

export interface SecurityOptions {
  session: Session;
  /** The Vite dev server origin in `electron-vite dev`; undefined in the built app. */
  devServerOrigin?: string;
  /** CSP to send; the strict one unless in development. */
  csp?: string;
}

/** True for a URL that belongs to the app itself (its protocol, or the dev server in development). */
export function isAppUrl(url: string, devServerOrigin?: string): boolean {
  try {
    // Custom schemes report origin "null" in WHATWG URL; compare scheme + host instead.
    const parsed = new URL(url);
    if (`${parsed.protocol}//${parsed.host}` === APP_ORIGIN) return true;
    return devServerOrigin !== undefined && parsed.origin === devServerOrigin;
  } catch {
    return false;
  }
}

/** The one permission the app grants: writing text to the clipboard, which the Copy buttons need (never reading it). */
const GRANTED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

/** True only for a granted permission asked by the app's own page in its main frame (no iframe, no other origin). */
export function permissionAllowed(permission: string, requestingUrl: string | undefined, isMainFrame: boolean | undefined, devServerOrigin?: string): boolean {
  return GRANTED_PERMISSIONS.has(permission) && isMainFrame === true && requestingUrl !== undefined && isAppUrl(requestingUrl, devServerOrigin);
}

function openIfVetted(url: string): void {
  const vetted = vetExternalUrl(url);
  if (vetted.ok) void shell.openExternal(vetted.url);
}

/** Locks down one web contents: navigation, redirects, new windows, webviews. */
export function guardWebContents(contents: WebContents, devServerOrigin?: string): void {
  contents.on('will-navigate', (event, url) => {
    // The app is a single page: any navigation would replace it. Follow nothing; AWS links open outside.
    event.preventDefault();
    openIfVetted(url);
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isAppUrl(event.url, devServerOrigin)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, devServerOrigin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openIfVetted(url);
    return { action: 'deny' };
  });
}

export function setupSecurity({ session, devServerOrigin, csp = CONTENT_SECURITY_POLICY }: SecurityOptions): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, devServerOrigin));

  // No permission (camera, notifications from the page, clipboard-read, geolocation, HID...) is ever
  // granted, but the clipboard write of the Copy buttons to the app's own page.
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(permissionAllowed(permission, details?.requestingUrl, details?.isMainFrame, devServerOrigin)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionAllowed(permission, details?.requestingUrl ?? requestingOrigin, details?.isMainFrame, devServerOrigin),
  );
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));

  // Every response, whatever serves it, carries the CSP (app:// responses also set it themselves).
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    }
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
}
