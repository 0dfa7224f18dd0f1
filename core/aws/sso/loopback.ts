/**
 * The one-shot listener on 127.0.0.1 that receives the browser's redirect in the authorization
 * code flow. It answers one /oauth/callback whose `state` matches, then closes; anything else gets
 * a 404 or 400 and is otherwise ignored, so a stray request cannot end or hijack the sign-in.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Callback {
  redirectUri: string;
  /** Resolves with the code; rejects when the browser reports an error or time runs out. */
  code: Promise<string>;
  close(): void;
}

const PAGE = (text: string) => `<!doctype html><meta charset="utf-8"><title>ahi-onboard sign-in</title><p>${text}</p>`;

export async function listenForCallback(state: string, timeoutMs: number): Promise<Callback> {
  let settle!: { resolve: (c: string) => void; reject: (e: Error) => void };
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  code.catch(() => undefined); // the caller awaits it; avoid an unhandled rejection if it never does
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/oauth/callback') {
      res.writeHead(404).end();
      return;
    }
    if (url.searchParams.get('state') !== state) {
      res.writeHead(400, { 'content-type': 'text/html' }).end(PAGE('This sign-in link does not belong to the sign-in in progress.'));
      return;
    }
    const error = url.searchParams.get('error');
    const got = url.searchParams.get('code');
    res.writeHead(error || !got ? 400 : 200, { 'content-type': 'text/html' });
    res.end(PAGE(error || !got ? 'Sign-in was not completed. You can close this window.' : 'Signed in. You can close this window and return to ahi-onboard.'));
    if (error === 'access_denied') settle.reject(new Error('The sign-in was denied in the browser.'));
    else if (error || !got) settle.reject(new Error(`The browser returned an error: ${error ?? 'no code'}.`));
    else settle.resolve(got);
    close();
  });
  const timer = setTimeout(() => {
    settle.reject(new Error(`No sign-in arrived from the browser within ${Math.round(timeoutMs / 60_000)} minutes.`));
    close();
  }, timeoutMs);
  timer.unref();
  function close() {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return { redirectUri: `http://127.0.0.1:${port}/oauth/callback`, code, close };
}
