import { CreateDatastoreCommand, GetDatastoreCommand } from '@aws-sdk/client-medical-imaging';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type StatusChange } from './index';
import { parseArgs } from './cli';
import { clients } from './test-clients';

describe('real clock with a time scale', () => {
  it('shares the lazy lifecycle: at scale 6000 a two-minute creation takes ~20 ms, and listeners hear it', async () => {
    const sb = await startSandbox({ timeScale: 6000, demoData: false });
    try {
      const changes: StatusChange[] = [];
      sb.onStatusChange((ch) => changes.push(ch));
      const c = clients(sb);
      const { datastoreId } = await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'scaled' }));
      await new Promise((r) => setTimeout(r, 300));
      const got = await c.mi.send(new GetDatastoreCommand({ datastoreId: datastoreId! }));
      expect(got.datastoreProperties!.datastoreStatus).toBe('ACTIVE');
      const mine = changes.filter((ch) => ch.id === datastoreId);
      expect(mine.map((ch) => ch.status)).toEqual(['CREATING', 'ACTIVE']);
      expect(mine[1]!.at - mine[0]!.at).toBe(120_000);
    } finally {
      await sb.close();
    }
  });

  it('timings overrides change lifecycle durations', async () => {
    const sb: Sandbox = await startSandbox({ manualClock: true, demoData: false, timings: { datastoreCreateMs: 5_000 } });
    try {
      const c = clients(sb);
      const { datastoreId } = await c.mi.send(new CreateDatastoreCommand({}));
      sb.clock.advance(5_000);
      expect((await c.mi.send(new GetDatastoreCommand({ datastoreId: datastoreId! }))).datastoreProperties!.datastoreStatus).toBe('ACTIVE');
    } finally {
      await sb.close();
    }
  });
});

describe('standalone CLI', () => {
  it('parses its options and refuses bad ones', () => {
    expect(parseArgs(['--port', '0', '--data-dir', '/tmp/x', '--region', 'eu-west-1', '--time-scale=60'])).toEqual({
      port: 0,
      dataDir: '/tmp/x',
      region: 'eu-west-1',
      timeScale: 60,
      demoData: true,
      tls: false,
    });
    expect(parseArgs(['--tls']).tls).toBe(true);
    expect(() => parseArgs(['--port', 'abc'])).toThrow(/--port/);
    expect(() => parseArgs(['--time-scale', '0'])).toThrow(/--time-scale/);
    expect(() => parseArgs(['--bogus'])).toThrow(/unknown option/);
  });

  it('prints the endpoint lines, serves env credentials, logs one line per request, and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ahi-sb-cli-'));
    const env = { ...process.env, AWS_ACCESS_KEY_ID: 'AKIA' + 'CLITEST000000001', AWS_SECRET_ACCESS_KEY: 's'.repeat(40) };
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'cli.ts'), '--port', '0', '--data-dir', dataDir], { env });
    let out = '';
    child.stdout.on('data', (d) => (out += d.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`CLI did not start: ${out}`)), 20_000);
        child.stdout.on('data', () => {
          const m = /AWS_ENDPOINT_URL_KMS=(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        });
      });
      expect(out).toMatch(/^AWS_ENDPOINT_URL_MEDICAL_IMAGING=http:\/\/127\.0\.0\.1:\d+$/m);
      expect(out).toMatch(/^AWS_ENDPOINT_URL_S3=http:\/\/127\.0\.0\.1:\d+$/m);
      expect(out).toMatch(/^AWS_ENDPOINT_URL_IAM=http:\/\/127\.0\.0\.1:\d+$/m);
      expect(out).toMatch(/^AWS_ENDPOINT_URL_KMS=http:\/\/127\.0\.0\.1:\d+$/m);
      expect(out).not.toContain('s'.repeat(40)); // env secrets are never echoed
      const { MedicalImagingClient, ListDatastoresCommand } = await import('@aws-sdk/client-medical-imaging');
      const mi = new MedicalImagingClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY } });
      await mi.send(new ListDatastoresCommand({}));
      await new Promise((r) => setTimeout(r, 100));
      expect(out).toMatch(/GET \/datastore medical-imaging:ListDatastores 200 \d+ms/);
      const code = await new Promise<number | null>((resolve) => {
        child.on('exit', (c) => resolve(c));
        child.kill('SIGTERM');
      });
      expect(code).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
