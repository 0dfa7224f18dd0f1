/**
 * The app on a hospital-like network (browser host: real handlers, SDK and sandbox): a profile whose
 * endpoints are an HTTPS front of the sandbox signed by a CA generated here (ca_bundle), reached
 * through a local CONNECT proxy that wants Basic authentication, credentials in HTTPS_PROXY.
 * The Account step signs in through it, and "Test connection" shows the proxy per endpoint (never
 * its password), the CA sources and three signed calls that succeeded.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ListDatastoresCommand, MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createProxy } from 'proxy';
import { expect, test } from '@playwright/test';
import { writeTempAwsConfig, type TempAwsConfig } from '../core/aws/test-config';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { generateCertificates, startTlsFront, type TlsFront } from '../sandbox/tls';
import { ensureBuilt, skipReason } from './support/environment';
import { keepOnFailure } from './support/failure';
import { captureStage } from './support/screenshots';
import { launchBrowserHost, type HostSession } from './support/hosts';
import { atWizardStep, completeOnboarding, identitySignedIn, STAGE_TIMEOUT } from './support/wizard';

const reason = skipReason('chromium');
if (reason) console.log(`[e2e] network spec skipped: ${reason}`);
const PASSWORD = ['pr0xy', 'pa55', String(process.pid)].join('-');

test.describe('Test connection through a proxy and a TLS-inspecting CA (browser host)', () => {
  test.skip(Boolean(reason), reason);
  test.describe.configure({ mode: 'serial' });
  keepOnFailure(() => host?.page);
  let sandbox: Sandbox;
  let front: TlsFront;
  let cfg: TempAwsConfig;
  let host: HostSession;
  const proxy = createProxy(createServer());
  const tunnels: string[] = [];
  let proxyAddr = '';

  test.beforeAll(async () => {
    ensureBuilt();
    sandbox = await startSandbox({ timeScale: 60, demoData: true });
    const certs = await generateCertificates('e2e network');
    front = await startTlsFront(sandbox, certs);
    const expected = `Basic ${Buffer.from(`nurse:${PASSWORD}`).toString('base64')}`;
    proxy.authenticate = (req) => req.headers['proxy-authorization'] === expected;
    proxy.on('connect', (req: IncomingMessage) => tunnels.push(req.url ?? ''));
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyAddr = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const { accessKeyId, secretAccessKey } = sandbox.credentials;
    cfg = writeTempAwsConfig(
      `[profile hospital]\nregion = ${sandbox.region}\nservices = hospital\nca_bundle = CA_PATH\n\n[services hospital]\nmedical_imaging =\n  endpoint_url = ${front.url}\ns3 =\n  endpoint_url = ${front.url}\nsts =\n  endpoint_url = ${front.url}\niam =\n  endpoint_url = ${front.url}\nkms =\n  endpoint_url = ${front.url}\n`,
      `[hospital]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`,
    );
    const caPath = path.join(cfg.dir, 'org-ca.pem');
    writeFileSync(caPath, certs.caPem);
    writeFileSync(cfg.env.AWS_CONFIG_FILE!, (await import('node:fs')).readFileSync(cfg.env.AWS_CONFIG_FILE!, 'utf8').replace('CA_PATH', caPath));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(aws_|https?_proxy$|no_proxy$)/i.test(k)));
    host = await launchBrowserHost('network', { env: { ...env, ...cfg.env, HTTPS_PROXY: `http://nurse:${PASSWORD}@${proxyAddr}` } });
  });

  test.afterAll(async () => {
    await host?.close();
    proxy.close();
    proxy.closeAllConnections();
    await front?.close();
    await sandbox?.close();
    cfg?.cleanup();
  });

  test('signs in through the proxy, and Test connection shows proxy, CAs and three signed calls in words', async () => {
    const page = host.page;
    await atWizardStep(page, 'Account');
    await page.getByLabel('AWS profile', { exact: true }).click();
    await page.getByRole('option').filter({ hasText: 'hospital (' }).click();
    await identitySignedIn(page);
    await page.getByRole('button', { name: 'Test connection' }).click();
    const result = page.getByTestId('connection-result');
    await result.getByText('All checks passed.').waitFor({ timeout: STAGE_TIMEOUT });
    await captureStage(page, 'browser', 'network-01-test-connection');
    const text = await result.innerText();
    expect(text).toContain(`HealthImaging: ${front.url} via http://${proxyAddr} (with credentials) (from the environment)`);
    expect(text).toMatch(/STS GetCallerIdentity\s+Signed in as arn:aws:/);
    expect(text).toMatch(/HealthImaging ListDatastores\s+HealthImaging answered/);
    expect(text).toMatch(/S3 ListBuckets\s+S3 answered/);
    expect(text).toContain('ca_bundle');
    expect(await page.content()).not.toContain(PASSWORD);
    expect(tunnels.length).toBeGreaterThan(0);
    expect(new Set(tunnels)).toEqual(new Set([`127.0.0.1:${front.port}`]));
  });

  test('runs a whole onboarding through the proxy to Completed, one data store, the password in no run log', async () => {
    const page = host.page;
    const before = tunnels.length;
    await completeOnboarding(page, { ...sandbox.demo, datastoreName: 'behind-the-proxy' });
    // Every request of the run went through the proxy's tunnel to the TLS front, none around it.
    expect(tunnels.length).toBeGreaterThan(before);
    expect(new Set(tunnels)).toEqual(new Set([`127.0.0.1:${front.port}`]));
    const client = new MedicalImagingClient({ endpoint: sandbox.url, region: sandbox.region, credentials: sandbox.credentials });
    try {
      const stores = (await client.send(new ListDatastoresCommand({}))).datastoreSummaries ?? [];
      expect(stores.filter((d) => d.datastoreName === 'behind-the-proxy').map((d) => d.datastoreStatus)).toEqual(['ACTIVE']);
    } finally {
      client.destroy();
    }
    const runsDir = path.join(host.userDataDir, 'runs');
    for (const run of readdirSync(runsDir)) {
      const log = readFileSync(path.join(runsDir, run, 'events.ndjson'), 'utf8');
      expect(log).not.toContain(PASSWORD);
      expect(log).not.toContain(Buffer.from(`nurse:${PASSWORD}`).toString('base64'));
    }
    expect(await page.content()).not.toContain(PASSWORD);
  });
});
