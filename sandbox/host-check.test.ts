/**
 * The sandbox answers only to its own addresses: a page that rebinds evil.example to 127.0.0.1
 * sends Host: evil.example and is refused before routing, on the SigV4 services and on the
 * unsigned Identity Center routes alike.
 */
import { ListDatastoresCommand, MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ manualClock: true, demoData: false, hosts: ['sandbox.internal', 'other.internal:9999'] });
});
afterAll(async () => {
  await sb.close();
});

/** A raw request with any Host header (fetch does not let a caller choose it). */
function withHost(host: string | undefined, method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: sb.port, method, path, headers: host === undefined ? headers : { ...headers, host }, setHost: host !== undefined }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the Host check', () => {
  it('a foreign Host is 400 in each service shape, with a message naming it', async () => {
    const evil = `evil.example:${sb.port}`;
    const mi = await withHost(evil, 'GET', '/datastore');
    expect(mi.status).toBe(400);
    expect(mi.headers['x-amzn-errortype']).toBe('ValidationException');
    expect(JSON.parse(mi.text).message).toBe(
      `The request was sent with Host '${evil}', which is not an address of this sandbox (it answers to 127.0.0.1:${sb.port}, localhost:${sb.port}, [::1]:${sb.port}, ...).`,
    );

    const s3 = await withHost(evil, 'GET', '/some-bucket?list-type=2');
    expect(s3.status).toBe(400);
    expect(s3.text).toContain('<Code>InvalidRequest</Code>');
    expect(s3.text).toContain(`Host &apos;${evil}&apos;`);

    const sts = await withHost(evil, 'POST', '/', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(sts.status).toBe(400);
    expect(sts.text).toContain('<Code>InvalidParameterValue</Code>');
  });

  it('the unsigned Identity Center routes are refused too (the page a rebinding attack would want)', async () => {
    const page = await withHost('evil.example', 'GET', '/device?user_code=ABCD-EFGH');
    expect(page.status).toBe(400);
    expect(JSON.parse(page.text)).toMatchObject({ error: 'invalid_request' });
    const portal = await withHost('evil.example', 'GET', '/assignment/accounts');
    expect(portal.status).toBe(400);
    expect(JSON.parse(portal.text).message).toContain("Host 'evil.example'");
  });

  it('a request without Host is refused', async () => {
    const res = await withHost(undefined, 'GET', '/datastore');
    expect(res.status).toBe(400); // by Node's HTTP/1.1 parser already; the sandbox's own check is the second line
  });

  it('a loopback name at another port is foreign too', async () => {
    const res = await withHost(`127.0.0.1:${sb.port + 1}`, 'GET', '/datastore');
    expect(res.status).toBe(400);
  });

  it('its own addresses pass (case-insensitively), so do configured hosts and ports added with allowPort', async () => {
    const own = [`127.0.0.1:${sb.port}`, `LOCALHOST:${sb.port}`, `[::1]:${sb.port}`, `sandbox.internal:${sb.port}`, 'other.internal:9999'];
    for (const host of own) {
      const res = await withHost(host, 'GET', '/datastore');
      expect(res.status, host).toBe(403); // past the Host check: unsigned, so refused by authentication
      expect(res.headers['x-amzn-errortype']).toBe('MissingAuthenticationTokenException');
    }
    expect((await withHost('localhost:4443', 'GET', '/datastore')).status).toBe(400);
    sb.allowPort(4443);
    expect((await withHost('localhost:4443', 'GET', '/datastore')).status).toBe(403);
  });

  it('the SDK works through localhost as through 127.0.0.1', async () => {
    const mi = new MedicalImagingClient({ region: sb.region, endpoint: `http://localhost:${sb.port}`, credentials: sb.credentials, maxAttempts: 1 });
    await expect(mi.send(new ListDatastoresCommand({}))).resolves.toMatchObject({ datastoreSummaries: [] });
  });
});
