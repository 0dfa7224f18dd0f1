/**
 * HTTPS for the sandbox (`--tls`): a certificate authority and a server certificate for
 * 127.0.0.1/localhost, generated with @peculiar/x509 into the data directory, and a TLS endpoint
 * in front of the plain sandbox. Clients must trust the CA through AWS_CA_BUNDLE or ca_bundle,
 * exactly as they must trust a hospital's TLS-inspecting proxy: no verification is skipped.
 * The front only terminates TLS and pipes bytes, so SigV4 (Host header included) is checked by
 * the sandbox itself as before.
 */
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as tls from 'node:tls';
import './reflect-shim';
import * as x509 from '@peculiar/x509';

export interface SandboxCertificates {
  caPath: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.trimEnd()}\n-----END ${label}-----\n`;
}

/** A fresh CA and a leaf for 127.0.0.1 and localhost (valid one year). Nothing is written. */
export async function generateCertificates(commonName = 'HealthImaging sandbox'): Promise<Omit<SandboxCertificates, 'caPath'>> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const now = Date.now();
  const caKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^[89a-f]/, '1'),
    name: `CN=${commonName} CA`,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const leafKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^[89a-f]/, '1'),
    subject: `CN=${commonName}`,
    issuer: ca.subject,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
    publicKey: leafKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'dns', value: 'localhost' },
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  return {
    caPem: ca.toString('pem') + '\n',
    certPem: leaf.toString('pem') + '\n',
    keyPem: pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey)),
  };
}

/** The data dir's certificates, generated on first use so AWS_CA_BUNDLE stays valid across restarts. */
export async function loadOrCreateCertificates(dir: string): Promise<SandboxCertificates> {
  const tlsDir = join(dir, 'tls');
  const paths = { ca: join(tlsDir, 'ca.pem'), cert: join(tlsDir, 'server.pem'), key: join(tlsDir, 'server-key.pem') };
  if (![paths.ca, paths.cert, paths.key].every((p) => existsSync(p))) {
    const made = await generateCertificates();
    mkdirSync(tlsDir, { recursive: true });
    writeFileSync(paths.key, made.keyPem, { mode: 0o600 });
    writeFileSync(paths.cert, made.certPem);
    writeFileSync(paths.ca, made.caPem);
  }
  return { caPath: paths.ca, caPem: readFileSync(paths.ca, 'utf8'), certPem: readFileSync(paths.cert, 'utf8'), keyPem: readFileSync(paths.key, 'utf8') };
}

export interface TlsFront {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * HTTPS on 127.0.0.1 that forwards each connection to the plain endpoint of `target`. Given the
 * sandbox itself, the front's port is added to the Host values the sandbox answers to.
 */
export async function startTlsFront(
  target: number | { port: number; allowPort(port: number): void },
  certs: Pick<SandboxCertificates, 'certPem' | 'keyPem'>,
  port = 0,
): Promise<TlsFront> {
  const targetPort = typeof target === 'number' ? target : target.port;
  const open = new Set<import('node:net').Socket>();
  const server = tls.createServer({ cert: certs.certPem, key: certs.keyPem }, (socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
    const upstream = connect(targetPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  // A client that rejects our certificate closes mid-handshake; that is its right, not our error.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  if (typeof target !== 'number') target.allowPort(actual);
  return {
    url: `https://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of open) s.destroy(); // keep-alive sockets would hold close() open
      }),
  };
}
