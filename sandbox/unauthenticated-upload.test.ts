/**
 * An unauthenticated upload is refused before it is read. The sandbox runs as its own process
 * (the standalone CLI), so its resident memory is measured alone, not mixed with this test's
 * 50 MB buffers and the vitest worker's heap.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const MB = 1024 * 1024;
const creds = { accessKeyId: 'AKIA' + 'UPLOADGUARD00001', secretAccessKey: 'u'.repeat(40) };
let child: ChildProcess;
let base: URL;

/** Resident memory of a process in bytes (Linux: /proc; elsewhere: ps). */
function rssOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    if (kb) return Number(kb) * 1024;
  } catch {
    // not Linux
  }
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString().trim()) * 1024;
}

interface Upload {
  status: number;
  text: string;
  ms: number;
  sentBytes: number;
}

/** PUTs `size` bytes (one reused 1 MB chunk, so this process stays small), stopping once answered. */
function upload(path: string, size: number, headers: Record<string, string>): Promise<Upload> {
  const chunk = Buffer.alloc(MB, 0x61);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request({ host: base.hostname, port: base.port, method: 'PUT', path, headers: { ...headers, 'content-length': String(size) } }, (res) => {
      answered = true;
      const ms = Date.now() - started;
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        req.destroy(); // answered: stop uploading, as a client should
        resolve({ status: res.statusCode ?? 0, text, ms, sentBytes: sent });
      });
      res.on('error', () => resolve({ status: res.statusCode ?? 0, text, ms, sentBytes: sent }));
    });
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    const pump = () => {
      while (!answered && sent < size) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (sent >= size) req.end();
    };
    pump();
  });
}

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'cli.ts'), '--port', '0', '--no-demo-data'], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  base = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${out}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /AWS_ENDPOINT_URL_S3=(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(new URL(m[1]!));
      }
    });
  });
});
afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGTERM');
});

describe('an unauthenticated 50 MB PUT', () => {
  it('is refused with 403 within a second, three times over, and the sandbox grows by less than 40 MB', async () => {
    // Warm the request path first so the baseline already holds what any request loads.
    const warm = await upload('/some-bucket/warm-up', 1024, {});
    expect(warm.status).toBe(403);
    const before = rssOf(child.pid!);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await upload(`/some-bucket/big-${i}.bin`, 50 * MB, { 'content-type': 'application/octet-stream' });
      expect(res.status).toBe(403);
      expect(res.text).toContain('<Code>AccessDenied</Code>');
      expect(res.ms).toBeLessThan(1000);
      times.push(res.ms);
    }
    const grew = rssOf(child.pid!) - before;
    console.log(`unsigned 50 MB PUTs answered in ${times.join(', ')} ms; sandbox RSS ${(before / MB).toFixed(1)} MB before, grew ${(grew / MB).toFixed(1)} MB`);
    expect(grew).toBeLessThan(40 * MB);
  });

  it('signed with a wrong secret, it is refused before its body too (SignatureDoesNotMatch)', async () => {
    const signer = new SignatureV4({ credentials: { ...creds, secretAccessKey: 'w'.repeat(40) }, region: 'us-east-1', service: 's3', sha256: Sha256, uriEscapePath: false });
    const signed = await signer.sign(
      new HttpRequest({
        method: 'PUT',
        protocol: 'http:',
        hostname: base.hostname,
        port: Number(base.port),
        path: '/some-bucket/forged.bin',
        headers: { host: base.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': String(50 * MB) },
      }),
    );
    const before = rssOf(child.pid!);
    const res = await upload('/some-bucket/forged.bin', 50 * MB, signed.headers as Record<string, string>);
    expect(res.status).toBe(403);
    expect(res.text).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(res.ms).toBeLessThan(1000);
    expect(rssOf(child.pid!) - before).toBeLessThan(40 * MB);
  });

  it('the sandbox still serves afterwards', async () => {
    const res = await fetch(new URL('/', base));
    expect(res.status).toBe(403); // unsigned ListBuckets: refused, but answered
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
  });
});
