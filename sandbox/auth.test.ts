import { ListDatastoresCommand } from '@aws-sdk/client-medical-imaging';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
import { clients, rawRequest } from './test-clients';

let sb: Sandbox;
const lines: string[] = [];
beforeAll(async () => {
  sb = await startSandbox({ manualClock: true, log: (l) => lines.push(l) });
});
afterAll(async () => {
  await sb.close();
});

const wrongSecret = () => ({ accessKeyId: sb.credentials.accessKeyId, secretAccessKey: 'w'.repeat(40) });
const unknownKey = () => ({ accessKeyId: 'AKIA' + 'UNKNOWNUNKNOWN00', secretAccessKey: sb.credentials.secretAccessKey });
const TEN_MINUTES = 10 * 60 * 1000;

describe('SigV4 through the real SDK clients', () => {
  it('accepts correctly signed requests on all three services', async () => {
    const c = clients(sb);
    await expect(c.mi.send(new ListDatastoresCommand({}))).resolves.toBeTruthy();
    await expect(c.s3.send(new ListObjectsV2Command({ Bucket: sb.demo.bucket, MaxKeys: 1 }))).resolves.toBeTruthy();
    await expect(c.sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({ Account: sb.accountId });
  });

  it('a wrong secret: InvalidSignatureException / SignatureDoesNotMatch (403)', async () => {
    const c = clients(sb, { credentials: wrongSecret() });
    await expect(c.mi.send(new ListDatastoresCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
    await expect(c.s3.send(new ListObjectsV2Command({ Bucket: sb.demo.bucket }))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    await expect(c.sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
  });

  it('an unknown access key: UnrecognizedClientException / InvalidAccessKeyId / InvalidClientTokenId (403)', async () => {
    const c = clients(sb, { credentials: unknownKey() });
    await expect(c.mi.send(new ListDatastoresCommand({}))).rejects.toMatchObject({ name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403 } });
    await expect(c.s3.send(new ListObjectsV2Command({ Bucket: sb.demo.bucket }))).rejects.toMatchObject({ name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } });
    await expect(c.sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
  });

  it('a client signing for another region is refused', async () => {
    const c = clients(sb);
    const { MedicalImagingClient } = await import('@aws-sdk/client-medical-imaging');
    const other = new MedicalImagingClient({ region: 'eu-west-1', endpoint: sb.url, credentials: sb.credentials, maxAttempts: 1 });
    await expect(other.send(new ListDatastoresCommand({}))).rejects.toMatchObject({ name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } });
    void c;
  });

  it('answers a skewed client in a way the SDK self-corrects from (clock-skew error + Date header)', async () => {
    const { MedicalImagingClient } = await import('@aws-sdk/client-medical-imaging');
    const skewed = new MedicalImagingClient({
      region: sb.region,
      endpoint: sb.url,
      credentials: sb.credentials,
      maxAttempts: 3,
      systemClockOffset: -TEN_MINUTES,
    });
    const out = await skewed.send(new ListDatastoresCommand({}));
    expect(out.$metadata.attempts).toBe(2);
  });

  it('never logs the Authorization header, signature or secret', () => {
    const all = lines.join('\n');
    expect(all).not.toContain(sb.credentials.secretAccessKey);
    expect(all).not.toContain('Signature=');
    expect(all).not.toContain('AWS4-HMAC-SHA256');
    expect(lines.some((l) => /GET \/datastore medical-imaging:ListDatastores 403 \d+ms/.test(l))).toBe(true);
  });
});

describe('SigV4 on the wire (raw requests)', () => {
  it('an unsigned request: MissingAuthenticationTokenException (HealthImaging), AccessDenied (S3), MissingAuthenticationToken (STS)', async () => {
    const mi = await rawRequest(sb, { method: 'GET', path: '/datastore', unsigned: true });
    expect(mi.status).toBe(403);
    expect(mi.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(mi.headers.get('x-amzn-requestid')).toBeTruthy();

    const s3 = await rawRequest(sb, { method: 'GET', path: `/${sb.demo.bucket}`, query: { 'list-type': '2' }, unsigned: true });
    expect(s3.status).toBe(403);
    expect(s3.text).toContain('<Code>AccessDenied</Code>');

    const sts = await rawRequest(sb, {
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
      unsigned: true,
    });
    expect(sts.status).toBe(403);
    expect(sts.text).toContain('<Code>MissingAuthenticationToken</Code>');
  });

  it('a request dated more than 5 minutes off (either way) is refused with 403', async () => {
    for (const offset of [-TEN_MINUTES, TEN_MINUTES]) {
      const signingDate = new Date(Date.now() + offset);
      const mi = await rawRequest(sb, { method: 'GET', path: '/datastore', signingDate });
      expect(mi.status).toBe(403);
      expect(mi.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
      expect(JSON.parse(mi.text).message).toMatch(offset < 0 ? /Signature expired/ : /Signature not yet current/);

      const s3 = await rawRequest(sb, { method: 'GET', path: `/${sb.demo.bucket}`, query: { 'list-type': '2' }, service: 's3', signingDate });
      expect(s3.status).toBe(403);
      expect(s3.text).toContain('<Code>RequestTimeTooSkewed</Code>');
    }
    // Within 5 minutes is fine.
    const ok = await rawRequest(sb, { method: 'GET', path: '/datastore', signingDate: new Date(Date.now() - 4 * 60 * 1000) });
    expect(ok.status).toBe(200);
  });

  it('a body changed after signing fails the signature check', async () => {
    const { HttpRequest } = await import('@smithy/protocol-http');
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { Sha256 } = await import('@aws-crypto/sha256-js');
    const url = new URL(sb.url);
    const signer = new SignatureV4({ credentials: sb.credentials, region: sb.region, service: 'medical-imaging', sha256: Sha256 });
    const signed = await signer.sign(
      new HttpRequest({ method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: '/datastore', headers: { host: url.host, 'content-type': 'application/json' }, body: '{"clientToken":"a"}' }),
    );
    const headers = { ...signed.headers } as Record<string, string>;
    delete headers['host'];
    const res = await fetch(`${sb.url}/datastore`, { method: 'POST', headers, body: '{"clientToken":"b"}' });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
  });

  it('a malformed Authorization header is refused', async () => {
    const res = await fetch(`${sb.url}/datastore`, { headers: { authorization: 'Bearer abc' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
  });
});
