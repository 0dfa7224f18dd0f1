/**
 * Whole `ahi-onboard run`s on a hospital-like network, all on 127.0.0.1: the sandbox behind an
 * HTTPS endpoint signed by a CA generated here, reached through a local CONNECT proxy (the `proxy`
 * package), with and without Basic authentication. The child process gets only the environment.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProxy, type ProxyServer } from 'proxy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { generateCertificates, startTlsFront, type TlsFront } from '../sandbox/tls';
import { writeTempAwsConfig, type TempAwsConfig } from '../core/aws/test-config';
import { runCli as runCliIn } from './testing/spawn-cli';

const tmp = mkdtempSync(join(tmpdir(), 'ahi-net-'));
// Assembled at run time so no password-looking literal sits in the source.
const PROXY_PASSWORD = ['s3cr3t', 'Pr0xy', String(process.pid)].join('-');

interface Proxy {
  url: string;
  tunnels: string[];
  close(): Promise<void>;
}

async function startProxy(auth?: { user: string; password: string }): Promise<Proxy> {
  const server: ProxyServer = createProxy(createServer());
  const tunnels: string[] = [];
  server.on('connect', (req: IncomingMessage) => tunnels.push(req.url ?? ''));
  if (auth) {
    const expected = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
    server.authenticate = (req) => req.headers['proxy-authorization'] === expected;
  }
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    close: () => new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

const runCli = (args: string[], env: NodeJS.ProcessEnv) => runCliIn(args, { env });

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

describe('ahi-onboard run through a proxy to a TLS endpoint', () => {
  let sandbox: Sandbox;
  let front: TlsFront;
  let cfg: TempAwsConfig;
  let open: Proxy;
  let authed: Proxy;
  let caPath = '';
  let inputsFile = '';

  beforeAll(async () => {
    sandbox = await startSandbox({ timeScale: 600 });
    const certs = await generateCertificates('network test');
    caPath = join(tmp, 'org-ca.pem');
    writeFileSync(caPath, certs.caPem);
    front = await startTlsFront(sandbox, certs);
    open = await startProxy();
    authed = await startProxy({ user: 'radiology', password: PROXY_PASSWORD });
    const services = (name: string) => `[services ${name}]\nmedical_imaging =\n  endpoint_url = ${front.url}\ns3 =\n  endpoint_url = ${front.url}\nsts =\n  endpoint_url = ${front.url}\niam =\n  endpoint_url = ${front.url}\nkms =\n  endpoint_url = ${front.url}\n`;
    cfg = writeTempAwsConfig(
      `[profile hosp]\nregion = ${sandbox.region}\nservices = tls\nca_bundle = ${caPath}\n\n[profile noca]\nregion = ${sandbox.region}\nservices = tls\n\n${services('tls')}`,
      ['hosp', 'noca'].map((p) => `[${p}]\naws_access_key_id = ${sandbox.credentials.accessKeyId}\naws_secret_access_key = ${sandbox.credentials.secretAccessKey}\n`).join('\n'),
    );
    inputsFile = join(tmp, 'inputs.json');
    writeFileSync(inputsFile, JSON.stringify({ datastoreName: 'network-test', dataAccessRoleArn: sandbox.demo.dataAccessRoleArn, inputS3Uri: sandbox.demo.inputS3Uri, outputS3Uri: sandbox.demo.outputS3Uri }));
  });
  afterAll(async () => {
    await Promise.all([open?.close(), authed?.close(), front?.close()]);
    await sandbox?.close();
    cfg?.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** No AWS_*, no proxy settings from the machine running the tests. */
  const env = (extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
    const base: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!/^(aws_|https?_proxy$|no_proxy$|all_proxy$)/i.test(k)) base[k] = v;
    return { ...base, HOME: tmp, XDG_DATA_HOME: join(tmp, 'data'), NO_COLOR: '1', AWS_CONFIG_FILE: cfg.env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: cfg.env.AWS_SHARED_CREDENTIALS_FILE, ...extra };
  };
  const run = (profile: string, name: string, extra: NodeJS.ProcessEnv) => {
    const runsDir = join(tmp, `runs-${name}`);
    const report = join(tmp, `report-${name}.json`);
    return runCli(['run', '--inputs', inputsFile, '--profile', profile, '--runs-dir', runsDir, '--report', report, '--json', '--poll-interval', '0.2'], env(extra)).then((r) => ({ ...r, runsDir, report }));
  };
  const target = () => `127.0.0.1:${front.port}`;

  it('HTTPS_PROXY with ca_bundle in the profile: the whole run succeeds through tunnels', async () => {
    const before = open.tunnels.length;
    const r = await run('hosp', 'ca-bundle', { HTTPS_PROXY: open.url });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/"type":"run-ended".*"status":"succeeded"/);
    expect(open.tunnels.slice(before).length).toBeGreaterThan(0);
    expect(new Set(open.tunnels.slice(before))).toEqual(new Set([target()]));
  }, 60_000);

  it('lowercase https_proxy with credentials in the URL and AWS_CA_BUNDLE: succeeds, and the password is nowhere', async () => {
    const before = authed.tunnels.length;
    const proxyUrl = authed.url.replace('http://', `http://radiology:${PROXY_PASSWORD}@`);
    const r = await run('noca', 'auth', { https_proxy: proxyUrl, AWS_CA_BUNDLE: caPath });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(authed.tunnels.length).toBeGreaterThan(before);
    const written = [r.report, ...allFiles(r.runsDir)].map((f) => readFileSync(f, 'utf8'));
    for (const text of [r.stdout, r.stderr, ...written]) {
      expect(text).not.toContain(PROXY_PASSWORD);
      expect(text).not.toContain(Buffer.from(`radiology:${PROXY_PASSWORD}`).toString('base64'));
    }
  }, 60_000);

  it('without the CA: exit 3 with the certificate sentence, nothing created', async () => {
    const r = await run('noca', 'no-ca', { HTTPS_PROXY: open.url });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("The network presents a certificate that is not trusted: add your organisation's CA with ca_bundle in the profile or AWS_CA_BUNDLE.");
    expect(r.stderr).toContain('Nothing was created.');
  }, 60_000);

  it('a proxy that wants authentication, no credentials given: exit 3 with the proxy-authentication sentence', async () => {
    const r = await run('hosp', '407', { HTTPS_PROXY: authed.url });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`The proxy ${authed.url.slice('http://'.length)} asks for authentication (407 Proxy Authentication Required).`);
  }, 60_000);

  it('a wrong proxy password: exit 3, and the wrong password is not echoed either', async () => {
    const wrong = `${PROXY_PASSWORD}-wrong`;
    const r = await run('hosp', 'wrong-pass', { HTTPS_PROXY: authed.url.replace('http://', `http://radiology:${wrong}@`) });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/asks for authentication \(407/);
    expect(r.stdout + r.stderr + readFileSync(r.report, 'utf8')).not.toContain(wrong);
  }, 60_000);

  it('NO_PROXY matching the endpoint (host:port form): no tunnel, direct TLS with the CA', async () => {
    const before = open.tunnels.length;
    const r = await run('hosp', 'no-proxy', { HTTPS_PROXY: open.url, NO_PROXY: `example.org,${target()}` });
    expect(r.code).toBe(0);
    expect(open.tunnels.length).toBe(before);
  }, 60_000);

  it('doctor: proxy per endpoint (no password), CA sources, three signed calls OK; without the CA: exit 3 in words', async () => {
    const proxyUrl = authed.url.replace('http://', `http://radiology:${PROXY_PASSWORD}@`);
    const ok = await runCli(['doctor', '--profile', 'noca', '--bucket', 'healthimaging-sandbox-demo'], env({ HTTPS_PROXY: proxyUrl, AWS_CA_BUNDLE: caPath }));
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`HealthImaging ${front.url}  via ${authed.url} (with credentials) (from the environment)`);
    expect(ok.stdout).toContain(`AWS_CA_BUNDLE ${caPath} (1 certificate)`);
    expect(ok.stdout).toMatch(/OK {3}STS GetCallerIdentity .*account 123456789012/);
    expect(ok.stdout).toMatch(/OK {3}HealthImaging ListDatastores/);
    expect(ok.stdout).toMatch(/OK {3}S3 HeadBucket .*healthimaging-sandbox-demo is reachable/);
    expect(ok.stdout).not.toContain(PROXY_PASSWORD);

    const bad = await runCli(['doctor', '--profile', 'noca', '--json'], env({ HTTPS_PROXY: open.url }));
    expect(bad.code).toBe(3);
    const report = JSON.parse(bad.stdout) as { ok: boolean; checks: { ok: boolean; message: string }[] };
    expect(report.ok).toBe(false);
    expect(report.checks.every((c) => !c.ok && c.message.startsWith('The network presents a certificate that is not trusted'))).toBe(true);

    const usage = await runCli(['doctor', '--bogus'], env({}));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/doctor: Unknown option '--bogus'/);
  }, 60_000);
});
