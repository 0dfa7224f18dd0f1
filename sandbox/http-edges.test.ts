import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
import { rawRequest } from './test-clients';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ manualClock: true, demoData: false });
});
afterAll(async () => {
  await sb.close();
});

describe('wire-level edges never crash the sandbox', () => {
  it('an unknown HealthImaging route is 404 UnknownOperationException', async () => {
    const res = await rawRequest(sb, { method: 'PATCH', path: '/datastore' });
    expect(res.status).toBe(404);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(JSON.parse(res.text).message).toContain('PATCH /datastore');
  });

  it('malformed JSON is 400 SerializationException', async () => {
    const res = await rawRequest(sb, { method: 'POST', path: '/datastore', headers: { 'content-type': 'application/json' }, body: '{"clientToken": ' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('SerializationException');
    const arr = await rawRequest(sb, { method: 'POST', path: '/datastore', headers: { 'content-type': 'application/json' }, body: '[1,2]' });
    expect(arr.headers.get('x-amzn-errortype')).toBe('SerializationException');
  });

  it('a wrongly typed field names the field', async () => {
    const res = await rawRequest(sb, { method: 'POST', path: '/datastore', headers: { 'content-type': 'application/json' }, body: '{"clientToken":"t1","datastoreName":42}' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text).message).toContain("at 'datastoreName' failed to satisfy constraint: Member must be a string");
  });

  it('a body over 1 MiB is 413 with a clear message', async () => {
    const body = JSON.stringify({ clientToken: 'big', datastoreName: 'x'.repeat(1024 * 1024 + 10) });
    const res = await rawRequest(sb, { method: 'POST', path: '/datastore', headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(413);
    expect(res.headers.get('x-amzn-errortype')).toBe('RequestEntityTooLargeException');
    expect(JSON.parse(res.text).message).toContain('1048576');
  });

  it('a garbage request line gets 400 and the server keeps serving', async () => {
    const net = await import('node:net');
    const reply = await new Promise<string>((resolve) => {
      const s = net.connect(sb.port, '127.0.0.1', () => s.write('NOT HTTP AT ALL\r\n\r\n'));
      let data = '';
      s.on('data', (d) => (data += d.toString()));
      s.on('close', () => resolve(data));
      s.on('error', () => resolve(data));
    });
    expect(reply).toContain('400');
    const ok = await rawRequest(sb, { method: 'GET', path: '/datastore' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({ datastoreSummaries: [] });
  });

  it('timestamps are epoch seconds (numbers), never ISO strings', async () => {
    const created = await rawRequest(sb, { method: 'POST', path: '/datastore', headers: { 'content-type': 'application/json' }, body: '{"clientToken":"ts"}' });
    const id = JSON.parse(created.text).datastoreId as string;
    const got = JSON.parse((await rawRequest(sb, { method: 'GET', path: `/datastore/${id}` })).text);
    expect(typeof got.datastoreProperties.createdAt).toBe('number');
    expect(Math.abs(got.datastoreProperties.createdAt - sb.clock.now() / 1000)).toBeLessThan(5);
  });

  it('S3 keys cannot escape their bucket folder', async () => {
    const res = await rawRequest(sb, { method: 'PUT', path: '/some-bucket', service: 's3', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(res.status).toBe(200);
    const escape = await rawRequest(sb, { method: 'GET', path: '/some-bucket/..%2F..%2Fstate.json', service: 's3', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(escape.status).toBe(404);
    expect(escape.text).toContain('NoSuchKey');
  });
});
