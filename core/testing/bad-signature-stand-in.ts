/**
 * Test helper: a local stand-in for STS, HealthImaging and S3 that answers the way AWS answers a
 * bad signature (SignatureDoesNotMatch / InvalidSignatureException), quoting the canonical request
 * it expected, the caller's `x-amz-security-token` included. With `identity: 'ok'` STS answers
 * GetCallerIdentity properly, so a run starts and the refusal comes from HealthImaging instead.
 * It records every SigV4 signature it was sent: those must not leak either.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAKE_ACCESS_KEY_ID } from './fake-aws-credentials';

/** Known secrets shaped like real ones, assembled at run time so no credential literal sits in the source. */
export const LEAKY_SECRET = ['wJalrXUtnFEMI', 'K7MDENG', 'bPxRfiCYLEAKYKEY'].join('/');
export const LEAKY_TOKEN = 'IQoJb3JpZ2luX2VjEJr' + 'bGVha3l0b2tlbg'.repeat(16) + '+Zz/leak==';
export const LEAKY_ACCESS_KEY_ID = FAKE_ACCESS_KEY_ID;
export const STAND_IN_ACCOUNT = '123456789012';

export interface BadSignatureStandIn {
  url: string;
  /** 'refuse': every service refuses; 'ok': STS GetCallerIdentity succeeds, the rest refuses. */
  identity: 'refuse' | 'ok';
  /** Every `Signature=` value received. */
  signatures: string[];
  /** What must appear nowhere: the secret, the token, the key id and every signature seen. */
  secrets(): string[];
  close(): Promise<void>;
}

/** What AWS says: the canonical request it expected, built from the request it received. */
function canonicalQuote(req: IncomingMessage): string {
  const h = req.headers;
  return [
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    '',
    'The Canonical String for this request should have been',
    `'${req.method}\n${req.url}\n\nhost:${h.host}\nx-amz-date:${h['x-amz-date']}\nx-amz-security-token:${h['x-amz-security-token']}\n\nhost;x-amz-date;x-amz-security-token\n${h['x-amz-content-sha256'] ?? ''}'`,
    '',
    `The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n${h['x-amz-date']}\n${String(h.authorization)}'`,
  ].join('\n');
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');

export async function startBadSignatureStandIn(identity: 'refuse' | 'ok' = 'refuse'): Promise<BadSignatureStandIn> {
  const signatures: string[] = [];
  const state = { identity };
  const server = createServer((req, res) => {
    const sig = /Signature=([0-9a-f]+)/.exec(String(req.headers.authorization ?? ''))?.[1];
    if (sig) signatures.push(sig);
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      const sts = req.method === 'POST' && req.url === '/' && /Action=GetCallerIdentity/.test(body);
      if (sts && state.identity === 'ok') {
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${STAND_IN_ACCOUNT}:user/leaky</Arn><UserId>LEAKYUSER</UserId><Account>${STAND_IN_ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r-sts</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        );
        return;
      }
      const quote = canonicalQuote(req);
      if (req.method === 'POST' && req.url === '/') {
        // STS (query protocol) answers in XML.
        res.writeHead(403, { 'content-type': 'text/xml' });
        res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>${xml(quote)}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`);
      } else {
        res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidSignatureException', 'x-amzn-requestid': 'r-2' });
        res.end(JSON.stringify({ message: quote }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get identity() {
      return state.identity;
    },
    set identity(v) {
      state.identity = v;
    },
    signatures,
    secrets: () => [LEAKY_SECRET, LEAKY_TOKEN, LEAKY_ACCESS_KEY_ID, ...signatures],
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A profile signing with the known secrets (shared config and credentials file text). */
export function leakyProfile(name: string, region = 'us-east-1'): { config: string; credentials: string } {
  return {
    config: `[profile ${name}]\nregion = ${region}\n`,
    credentials: `[${name}]\naws_access_key_id = ${LEAKY_ACCESS_KEY_ID}\naws_secret_access_key = ${LEAKY_SECRET}\naws_session_token = ${LEAKY_TOKEN}\n`,
  };
}
