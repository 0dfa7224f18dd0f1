/**
 * The browser host: serves the BUILT renderer (out/renderer) under the app's own CSP and gives the
 * page `window.onboarding` through a bridge (e2e/host/browser-preload.ts), whose commands run the
 * REAL main-side handlers (electron/main/handlers.ts: real core, real SDK, real sandbox). Only the
 * transport differs from the Electron app: HTTP POST + Server-Sent Events instead of IPC.
 *
 * Safety (it listens on 127.0.0.1 only, but a browser may have other tabs open):
 * - every bridge call needs the random session token (header, or query for the event stream);
 * - the Host header must name this server (no DNS rebinding), and an Origin, when sent, must be ours;
 * - payloads are validated with the same zod schemas as the IPC manager, errors are redacted;
 * - report paths come only from this host's save "dialog", which writes into one directory.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { PushName, Pushes, ReportFormat } from '../../contract/ipc';
import { InvalidRequestError, isCommandName, parseRequest } from '../../contract/schemas';
import { mimeType } from '../../electron/main/app-path';
import { SECURITY_HEADERS } from '../../electron/main/csp';
import { vetAwsLink as vetExternalUrl } from '../../core/healthimaging/console-links';
import { createHandlers, type HandlerDeps, type Handlers } from '../../electron/main/handlers';
import { appBatchService } from '../../electron/main/handlers/batches';
import { safeErrorMessage } from '../../electron/main/redact';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '../..');
export const DEFAULT_RENDERER_DIR = path.join(REPO_ROOT, 'out/renderer');
const BRIDGE_PATH = '/__host/bridge.js';
const MAX_BODY = 256 * 1024;

export interface BrowserHostOptions {
  /** Where the app keeps runs, the sandbox's data and settings (a fresh temp dir per spec). */
  userDataDir: string;
  /** Where the save "dialog" writes exported reports. Default: userDataDir/reports. */
  reportDir?: string;
  rendererDir?: string;
  port?: number;
  /** Default: a random 32-byte hex token. */
  token?: string;
  env?: NodeJS.ProcessEnv;
  /** Renders report HTML to PDF; default: a local Chromium through playwright-core. */
  printToPdf?: HandlerDeps['printToPdf'];
  /** Overrides for the handlers' deps (tests). */
  handlerDeps?: Partial<HandlerDeps>;
  log?: (line: string) => void;
}

export interface BrowserHost {
  /** Open this in a browser: it carries the session token. */
  url: string;
  origin: string;
  token: string;
  handlers: Handlers;
  /** Paths written by report exports, in order. */
  savedReports: string[];
  /** URLs the page asked to open externally (the host never opens anything). */
  openedExternal: string[];
  /** Pushes sent, for tests. */
  pushCount(): number;
  close(): Promise<void>;
}

let bridgeScript: Promise<string> | undefined;

/** Bundles browser-preload.ts (and the contract constants it imports) to one classic script. */
export function buildBridgeScript(): Promise<string> {
  bridgeScript ??= (async () => {
    const result = await build({
      configFile: false,
      logLevel: 'silent',
      root: REPO_ROOT,
      build: {
        write: false,
        minify: false,
        target: 'es2022',
        lib: { entry: path.join(here, 'browser-preload.ts'), formats: ['iife'], name: 'ahiBridge' },
        rolldownOptions: { output: { entryFileNames: 'bridge.js' } },
      },
    });
    const outputs = Array.isArray(result) ? result : [result];
    for (const out of outputs) {
      if ('output' in out) {
        const chunk = out.output.find((o) => o.type === 'chunk');
        if (chunk && 'code' in chunk) return chunk.code;
      }
    }
    throw new Error('Could not bundle the browser bridge');
  })();
  return bridgeScript;
}

/** Local Chromium for PDF export in the browser host (the Electron app uses printToPDF). */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates = [env['CHROMIUM_PATH'], '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  for (const c of candidates) {
    if (!c) continue;
    try {
      if (statSync(c).isFile()) return c;
    } catch {
      // not there; try the next
    }
  }
  return undefined;
}

async function chromiumPdf(html: string, env: NodeJS.ProcessEnv): Promise<Buffer> {
  const executablePath = findChromium(env);
  if (!executablePath) throw new Error('PDF export in the browser host needs Chromium: install it (apt-get install chromium) or set CHROMIUM_PATH.');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ javaScriptEnabled: false });
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true });
  } finally {
    await browser.close();
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const rendererDir = opts.rendererDir ?? DEFAULT_RENDERER_DIR;
  const reportDir = opts.reportDir ?? path.join(opts.userDataDir, 'reports');
  const token = opts.token ?? randomBytes(32).toString('hex');
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => undefined);
  const savedReports: string[] = [];
  const openedExternal: string[] = [];
  const clients = new Set<ServerResponse>();
  let pushes = 0;
  let port = 0;

  const indexHtml = await readFile(path.join(rendererDir, 'index.html'), 'utf8').catch(() => {
    throw new Error(`No built renderer at ${rendererDir}: run "npm run build" first.`);
  });
  // A classic script in <head> runs before the renderer's (deferred) module script.
  const servedIndex = indexHtml.replace(/<head([^>]*)>/i, `<head$1>\n    <script src=".${BRIDGE_PATH}"></script>`);
  const bridge = await buildBridgeScript();

  const push = <P extends PushName>(name: P, payload: Pushes[P]) => {
    pushes++;
    const frame = `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const client of clients) client.write(frame);
  };

  const handlers = createHandlers({
    runsDir: path.join(opts.userDataDir, 'runs'),
    userDataDir: opts.userDataDir,
    env,
    appInfo: { name: 'HealthImaging Onboarding', electron: false },
    dialogs: {
      async saveReport(defaultName: string, _format: ReportFormat) {
        mkdirSync(reportDir, { recursive: true });
        const file = path.join(reportDir, path.basename(defaultName));
        savedReports.push(file);
        return file;
      },
    },
    openExternal: async (url) => {
      const vetted = vetExternalUrl(url);
      if (!vetted.ok) throw new Error(vetted.reason);
      openedExternal.push(vetted.url);
      log(`open in your browser: ${vetted.url}`);
    },
    printToPdf: opts.printToPdf ?? ((html) => chromiumPdf(html, env)),
    push,
    // The batch runner, as in the app: archive imports run for real against the sandbox.
    batchService: appBatchService(),
    ...opts.handlerDeps,
  });

  const send = (res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...SECURITY_HEADERS, ...extra });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, JSON.stringify(body ?? null), 'application/json; charset=utf-8');

  const hostAllowed = (req: IncomingMessage) => {
    const host = req.headers.host ?? '';
    return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  };
  const originAllowed = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    return origin === undefined || origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let size = 0;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BODY) {
          reject(new Error('Request body too large'));
          req.destroy();
        } else chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  async function handleIpc(req: IncomingMessage, res: ServerResponse, name: string) {
    const given = req.headers['x-ahi-bridge-token'];
    if (typeof given !== 'string' || !sameToken(given, token)) return json(res, 403, { ok: false, error: 'Missing or wrong bridge token.' });
    if (req.method !== 'POST') return json(res, 405, { ok: false, error: 'POST only.' });
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return json(res, 415, { ok: false, error: 'JSON only.' });
    if (!isCommandName(name)) return json(res, 404, { ok: false, error: `Unknown command: ${name}` });
    let envelope: unknown;
    try {
      envelope = JSON.parse(await readBody(req));
    } catch (error) {
      return json(res, 400, { ok: false, error: `Invalid request for '${name}': ${safeErrorMessage(error)}` });
    }
    if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) {
      return json(res, 400, { ok: false, error: `Invalid request for '${name}': expected an object envelope.` });
    }
    let request;
    try {
      request = parseRequest(name, (envelope as { request?: unknown }).request);
    } catch (error) {
      return json(res, 400, { ok: false, error: error instanceof InvalidRequestError ? error.message : `Invalid request for '${name}'.` });
    }
    try {
      const result = await (handlers[name] as (r: unknown) => Promise<unknown>)(request);
      return json(res, 200, { ok: true, result });
    } catch (error) {
      const message = safeErrorMessage(error);
      log(`[host] '${name}' failed: ${message}`);
      return json(res, 200, { ok: false, error: message });
    }
  }

  function handleEvents(req: IncomingMessage, res: ServerResponse, url: URL) {
    const given = url.searchParams.get('token') ?? '';
    if (!sameToken(given, token)) return json(res, 403, { ok: false, error: 'Missing or wrong bridge token.' });
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', ...SECURITY_HEADERS });
    res.write(': connected\n\n');
    clients.add(res);
    const keepAlive = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      clients.delete(res);
    });
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed', 'text/plain; charset=utf-8');
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, 'Bad request', 'text/plain; charset=utf-8');
    }
    if (pathname === BRIDGE_PATH) return send(res, 200, bridge, 'text/javascript; charset=utf-8');
    if (pathname === '/' || pathname === '/index.html') return send(res, 200, servedIndex, 'text/html; charset=utf-8');
    if (pathname.includes('\0') || pathname.includes('\\')) return send(res, 403, 'Forbidden', 'text/plain; charset=utf-8');
    const root = path.resolve(rendererDir);
    const file = path.resolve(root, '.' + path.posix.normalize(pathname));
    const rel = path.relative(root, file);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return send(res, 403, 'Forbidden', 'text/plain; charset=utf-8');
    try {
      return send(res, 200, await readFile(file), mimeType(file));
    } catch {
      return send(res, 404, 'Not found', 'text/plain; charset=utf-8');
    }
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      if (!hostAllowed(req) || !originAllowed(req)) return json(res, 403, { ok: false, error: 'Forbidden host or origin.' });
      const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
      if (url.pathname === '/ipc/events') return handleEvents(req, res, url);
      if (url.pathname.startsWith('/ipc/')) return handleIpc(req, res, decodeURIComponent(url.pathname.slice('/ipc/'.length)));
      return handleStatic(req, res, url);
    })().catch((error: unknown) => {
      log(`[host] ${safeErrorMessage(error)}`);
      if (!res.headersSent) json(res, 500, { ok: false, error: 'Internal error' });
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?bridge=${token}`,
    origin,
    token,
    handlers,
    savedReports,
    openedExternal,
    pushCount: () => pushes,
    async close() {
      for (const client of clients) client.end();
      clients.clear();
      await handlers.dispose();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections?.();
    },
  };
}
