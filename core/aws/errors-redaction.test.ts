/**
 * Redaction at the source: a local stand-in answers every request the way AWS answers a bad
 * signature, quoting the canonical request with the caller's session token. The real SDK clients
 * parse it; whatever classifyAwsError returns (and AwsFaultError carries) holds neither the token,
 * the secret, the signature nor the key id.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ListDatastoresCommand, MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAKE_ACCESS_KEY_ID } from '../testing/fake-aws-credentials';
import { AwsFaultError, classifyAwsError } from './errors';

const SECRET = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYEXAMPLEKEY'].join('/');
const TOKEN = 'IQoJb3JpZ2luX2VjEJr' + 'Zm9vYmFy'.repeat(20) + '+token=';
const credentials = { accessKeyId: FAKE_ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN };

/** What AWS says: the canonical request it expected, built from the request it received. */
function canonicalQuote(req: IncomingMessage): string {
  const h = req.headers;
  return [
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    '',
    'The Canonical String for this request should have been',
    `'${req.method}\n${req.url}\n\nhost:${h.host}\nx-amz-date:${h['x-amz-date']}\nx-amz-security-token:${h['x-amz-security-token']}\n\nhost;x-amz-date;x-amz-security-token\n${h['x-amz-content-sha256'] ?? ''}'`,
    '',
    `The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n${h['x-amz-date']}\n${String(h.authorization)}'`,
  ].join('\n');
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

let server: Server;
let endpoint = '';
const seenAuthorization: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seenAuthorization.push(String(req.headers.authorization));
    req.resume();
    req.on('end', () => {
      const quote = canonicalQuote(req);
      if (req.method === 'POST' && req.url === '/') {
        // STS (query protocol) answers in XML.
        res.writeHead(403, { 'content-type': 'text/xml' });
        res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>${xmlEscape(quote)}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`);
      } else {
        res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidSignatureException', 'x-amzn-requestid': 'r-2' });
        res.end(JSON.stringify({ message: quote }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function expectClean(text: string): void {
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain(TOKEN.slice(0, 40));
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(FAKE_ACCESS_KEY_ID);
  for (const auth of seenAuthorization) {
    const sig = /Signature=([0-9a-f]+)/.exec(auth)?.[1];
    if (sig) expect(text).not.toContain(sig);
  }
  expect(text).not.toMatch(/x-amz-security-token:/i);
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('the stand-in should have refused the request');
}

describe('AWS error messages are redacted where they are classified', () => {
  it('STS SignatureDoesNotMatch quoting the canonical request', async () => {
    const sts = new STSClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });
    const err = await caught(sts.send(new GetCallerIdentityCommand({})));
    // The raw SDK error does quote the token: this is what must not get further.
    expect(String((err as Error).message)).toContain(TOKEN);
    const c = classifyAwsError(err, { operation: 'GetCallerIdentity', profile: 'p' });
    expect(c.fault).toBe('credentials');
    expectClean(JSON.stringify(c));
    expectClean(new AwsFaultError(c).message);
    expect(c.message).toContain('SignatureDoesNotMatch');
  });

  it('HealthImaging InvalidSignatureException quoting the canonical request', async () => {
    const mi = new MedicalImagingClient({ region: 'us-east-1', endpoint, credentials, maxAttempts: 1 });
    const err = await caught(mi.send(new ListDatastoresCommand({})));
    expect(String((err as Error).message)).toContain(TOKEN);
    const c = classifyAwsError(err, { operation: 'ListDatastores' });
    expectClean(JSON.stringify(c));
    expect(c.message).toContain('InvalidSignatureException');
    expect(c.requestId).toBe('r-2');
  });

  it('a plain non-AWS error keeps its words', () => {
    const c = classifyAwsError(new Error('boom: nothing secret here'));
    expect(c.message).toContain('nothing secret here');
  });
});
