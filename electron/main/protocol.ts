/**
 * The app:// protocol that serves the built renderer instead of file://: a standard, secure origin
 * of its own (so the CSP's 'self' means exactly the app's files), a path-traversal guard, and the
 * security headers on every response.
 */
import { readFile } from 'node:fs/promises';
import { protocol, type Protocol } from 'electron';
import { APP_SCHEME, mimeType, resolveAppFile } from './app-path';
import { SECURITY_HEADERS } from './csp';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

function refuse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS } });
}

/** Answers one app:// request from rendererDir; exported for tests. */
export async function serveAppRequest(rendererDir: string, request: { method: string; url: string }): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed');
  const file = resolveAppFile(rendererDir, request.url);
  if (!file) return refuse(403, 'Forbidden');
  try {
    const body = await readFile(file);
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: { 'Content-Type': mimeType(file), 'Cache-Control': 'no-cache', ...SECURITY_HEADERS },
    });
  } catch {
    return refuse(404, 'Not found');
  }
}

export function setupAppProtocol(rendererDir: string, target: Pick<Protocol, 'handle'> = protocol): void {
  target.handle(APP_SCHEME, (request) => serveAppRequest(rendererDir, request));
}
