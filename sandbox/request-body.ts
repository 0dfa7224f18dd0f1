/**
 * Reading a request body, only once the request has been authenticated: the server calls readBody
 * after the checks that need no body, and a refused request is answered with `Connection: close`
 * without ever reading what the client is uploading (see endWithoutBody).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export class BodyTooLarge extends Error {}
export class ClientAborted extends Error {}

/** True when the client says a body follows (a length above zero, or chunked transfer). */
export function hasBody(req: IncomingMessage): boolean {
  const length = Number(req.headers['content-length'] ?? 0);
  return (Number.isFinite(length) && length > 0) || req.headers['transfer-encoding'] !== undefined;
}

/** The declared Content-Length, or undefined when there is none (chunked transfer). */
export function declaredLength(req: IncomingMessage): number | undefined {
  const raw = req.headers['content-length'];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Reads the whole body, at most `limit` bytes. A client that sent `Expect: 100-continue` is told to
 * go ahead only now (the server listens for 'checkContinue', so Node does not say it on its own).
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer> {
  if (/100-continue/i.test(String(req.headers['expect'] ?? '')) && !res.headersSent) res.writeContinue();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        // Keep draining a while so the client can read our answer; give up on absurd uploads.
        if (size > limit * 4) req.destroy();
        return;
      }
      chunks.push(c);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      if (tooLarge) reject(new BodyTooLarge());
      else resolve(Buffer.concat(chunks));
    });
    // A client that goes away mid-upload must not leave this request hanging forever.
    const gone = () => {
      if (!ended) reject(tooLarge ? new BodyTooLarge() : new ClientAborted());
    };
    req.on('error', gone);
    req.on('close', gone);
  });
}

/** How long a refused upload's connection stays open so its client can read the answer. */
const LINGER_MS = 2000;

/**
 * Sends the answer to a request whose body was never read, then reads nothing more: the socket is
 * left paused (the kernel's buffers fill and the client's writes stall) until the client hangs up
 * or LINGER_MS pass. Closing at once would reset the connection while the client is still
 * sending, and most clients then report the reset (EPIPE) instead of the answer; letting Node end
 * the response would make it read and discard the whole upload.
 */
export function endWithoutBody(res: ServerResponse, body: Buffer | undefined): void {
  const socket = res.socket;
  if (body?.length) res.write(body);
  else res.flushHeaders();
  if (!socket) return;
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
