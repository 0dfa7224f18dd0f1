/**
 * The one Content-Security-Policy of the app, sent on every response of the app:// protocol, added
 * to every other response by the session, and served by the browser host used in end-to-end tests
 * (so the tests run the renderer under exactly this policy). No electron import: shared with e2e/host.
 *
 * - script-src 'self': only the bundled scripts; no inline script, no eval.
 * - style-src 'self': only the bundled stylesheets. Cloudscape was expected to need
 *   'unsafe-inline' here; verified that it does not: its components set styles through React's
 *   style prop (CSSOM, which CSP does not govern), never <style> elements or style attributes in
 *   markup. The e2e suite runs the whole wizard under this policy and fails on any violation, so a
 *   component that starts needing inline styles is caught there, not in the field.
 * - connect-src 'self': the browser host's bridge (fetch + EventSource) is same-origin; the Electron
 *   window talks to main over IPC and needs no network at all.
 * - Everything else, frames, objects, forms and <base>, is refused.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

/**
 * Development only (`electron-vite dev`, never packaged): Vite's dev server injects an inline
 * React-refresh preamble and talks to its HMR websocket, so scripts may be inline and connect-src
 * allows the dev server. The packaged and previewed app always uses CONTENT_SECURITY_POLICY.
 */
export function devContentSecurityPolicy(devServerOrigin: string): string {
  const ws = devServerOrigin.replace(/^http/, 'ws');
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", `script-src 'self' 'unsafe-inline' ${devServerOrigin}`)
    .replace("connect-src 'self'", `connect-src 'self' ${devServerOrigin} ${ws}`)
    // Vite's dev server injects CSS as <style> elements (HMR).
    .replace("style-src 'self'", `style-src 'self' 'unsafe-inline' ${devServerOrigin}`);
}

/** Headers every app response carries, CSP first. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
