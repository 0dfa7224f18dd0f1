/**
 * S3 checks the signature over the declared payload hash before reading a body, then the body
 * against that hash. Real uploads through @aws-sdk/client-s3 still work (buffer and stream
 * bodies, small and large); a body changed after signing, a missing or unsigned header do not.
 */
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-s3';
import type { HttpRequest } from '@smithy/protocol-http';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
import { clients, rawRequest } from './test-clients';

const MB = 1024 * 1024;
const BUCKET = 'uploads';
let sb: Sandbox;
let c: ReturnType<typeof clients>;
beforeAll(async () => {
  sb = await startSandbox({ manualClock: true, demoData: false });
  c = clients(sb);
  await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
});
afterAll(async () => {
  await sb.close();
});

/** Runs `touch` on each request as it leaves the SDK, after it was signed. */
function afterSigning(client: ReturnType<typeof clients>['s3'], name: string, touch: (request: HttpRequest) => void): void {
  const middleware: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => async (args) => {
    touch(args.request as HttpRequest);
    return next(args);
  };
  client.middlewareStack.addRelativeTo(middleware, { relation: 'after', toMiddleware: 'httpSigningMiddleware', name });
}

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
async function fetchBack(key: string): Promise<Buffer> {
  const got = await c.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return Buffer.from(await got.Body!.transformToByteArray());
}

describe('signed uploads through the SDK', () => {
  it('a small and a 40 MB buffer PUT round-trip byte for byte', async () => {
    for (const [key, size] of [
      ['small.txt', 1000],
      ['large.bin', 40 * MB],
    ] as const) {
      const body = Buffer.alloc(size, key);
      const put = await c.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
      expect(put.ETag).toBe(`"${md5(body)}"`);
      const back = await fetchBack(key);
      expect(back.length).toBe(size);
      expect(md5(back)).toBe(md5(body));
    }
  });

  it('a 12 MB stream PUT (aws-chunked, signed as a streaming payload) round-trips', async () => {
    const part = Buffer.alloc(MB, 's');
    const body = Readable.from((function* () {
      for (let i = 0; i < 12; i++) yield part;
    })());
    const s3 = clients(sb).s3;
    const sent: Record<string, string>[] = [];
    afterSigning(s3, 'seeHeaders', (r) => sent.push({ ...r.headers }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'streamed.bin', Body: body, ContentLength: 12 * MB }));
    expect(sent[0]!['x-amz-content-sha256']).toMatch(/^STREAMING-/);
    expect(sent[0]!['content-encoding']).toContain('aws-chunked');
    const back = await fetchBack('streamed.bin');
    expect(back.length).toBe(12 * MB);
    expect(md5(back)).toBe(md5(Buffer.concat(Array.from({ length: 12 }, () => part))));
  });

  it('a body changed after signing is XAmzContentSHA256Mismatch (400), and nothing is stored', async () => {
    const tampering = clients(sb).s3;
    // Same length, other bytes: what a proxy corrupting the upload would do after the SDK signed it.
    afterSigning(tampering, 'tamperBody', (r) => {
      r.body = Buffer.alloc(1000, 'y');
    });
    await expect(tampering.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'tampered.txt', Body: Buffer.alloc(1000, 'x') }))).rejects.toMatchObject({
      name: 'XAmzContentSHA256Mismatch',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(c.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'tampered.txt' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  });
});

describe('x-amz-content-sha256, as S3 requires it', () => {
  it('a signed request without it is 400 InvalidRequest naming the header', async () => {
    const { HttpRequest } = await import('@smithy/protocol-http');
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { Sha256 } = await import('@aws-crypto/sha256-js');
    const url = new URL(sb.url);
    const signer = new SignatureV4({ credentials: sb.credentials, region: sb.region, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: false });
    const signed = await signer.sign(new HttpRequest({ method: 'PUT', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: `/${BUCKET}/no-hash.txt`, headers: { host: url.host }, body: 'hello' }));
    const headers = { ...signed.headers } as Record<string, string>;
    delete headers['host'];
    const res = await fetch(`${sb.url}/${BUCKET}/no-hash.txt`, { method: 'PUT', headers, body: 'hello' });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('<Code>InvalidRequest</Code>');
    expect(text).toContain('Missing required header for this request: x-amz-content-sha256');
  });

  it('a value that is neither a SHA-256 nor a known keyword is 400 InvalidArgument', async () => {
    const res = await rawRequest(sb, { method: 'PUT', path: `/${BUCKET}/odd.txt`, service: 's3', headers: { 'x-amz-content-sha256': 'SOMETHING-ELSE' }, body: 'hello' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>InvalidArgument</Code>');
    expect(res.text).toContain('<ArgumentName>x-amz-content-sha256</ArgumentName>');
  });

  it('UNSIGNED-PAYLOAD is accepted, as on AWS', async () => {
    const res = await rawRequest(sb, { method: 'PUT', path: `/${BUCKET}/unsigned-payload.txt`, service: 's3', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: 'hello' });
    expect(res.status).toBe(200);
    expect((await fetchBack('unsigned-payload.txt')).toString()).toBe('hello');
  });

  it('an x-amz-* header added after signing is 403 AccessDenied listing it in HeadersNotSigned', async () => {
    const { HttpRequest } = await import('@smithy/protocol-http');
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { Sha256 } = await import('@aws-crypto/sha256-js');
    const url = new URL(sb.url);
    const signer = new SignatureV4({ credentials: sb.credentials, region: sb.region, service: 's3', sha256: Sha256, uriEscapePath: false });
    const signed = await signer.sign(new HttpRequest({ method: 'PUT', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: `/${BUCKET}/meta.txt`, headers: { host: url.host }, body: 'hello' }));
    const headers = { ...signed.headers, 'x-amz-meta-added': 'later' } as Record<string, string>;
    delete headers['host'];
    const res = await fetch(`${sb.url}/${BUCKET}/meta.txt`, { method: 'PUT', headers, body: 'hello' });
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toContain('<HeadersNotSigned>x-amz-meta-added</HeadersNotSigned>');
  });
});
