/**
 * `--sandbox`: the embedded HealthImaging sandbox, started in-process with its demo data at a
 * demo-friendly time scale, and the demo inputs that go with it.
 *
 * The sandbox keeps its state (and the key pair the CLI generated for it) in a data directory, so
 * a sandbox run interrupted with Ctrl-C can be resumed by a later `ahi-onboard resume`, which
 * starts the sandbox again over the same state.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCredentials, startSandbox, type DemoLocations, type Sandbox } from '../sandbox/index';
import type { SandboxTarget } from '../core/aws/session';
import { generateClientToken } from '../core/healthimaging/client-token';

/**
 * One sandbox minute passes in one real second: a data store (about 2 minutes at AWS pace) is
 * ACTIVE in about 2 s and the demo import finishes in a few seconds, so a whole run takes well
 * under a minute while still showing every status.
 */
export const DEMO_TIME_SCALE = 60;

/** Polling suited to that time scale, unless the user gave --poll-interval / --poll-max-interval. */
export const DEMO_POLL_INTERVAL_S = 0.5;
export const DEMO_POLL_MAX_INTERVAL_S = 2;

function loadOrCreateCredentials(dataDir: string): { accessKeyId: string; secretAccessKey: string } {
  const file = join(dataDir, 'cli-sandbox-credentials.json');
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { accessKeyId?: unknown; secretAccessKey?: unknown };
    if (typeof saved.accessKeyId === 'string' && typeof saved.secretAccessKey === 'string') {
      return { accessKeyId: saved.accessKeyId, secretAccessKey: saved.secretAccessKey };
    }
  } catch {
    /* first start: create below */
  }
  const creds = generateCredentials();
  // Sandbox-only keys, but still kept private to the user.
  writeFileSync(file, JSON.stringify(creds), { mode: 0o600 });
  return creds;
}

export interface DemoSandbox {
  sandbox: Sandbox;
  target: SandboxTarget;
}

export async function startDemoSandbox(opts: { dataDir: string; timeScale?: number }): Promise<DemoSandbox> {
  mkdirSync(opts.dataDir, { recursive: true });
  const credentials = loadOrCreateCredentials(opts.dataDir);
  const sandbox = await startSandbox({ dataDir: opts.dataDir, timeScale: opts.timeScale ?? DEMO_TIME_SCALE, credentials, demoData: true });
  return {
    sandbox,
    target: { endpoint: sandbox.url, endpoints: sandbox.endpoints, region: sandbox.region, credentials: sandbox.credentials },
  };
}

/** The import's inputs against the demo bucket, for `import --sandbox` into an existing sandbox data store. */
export function demoImportInputs(demo: DemoLocations): Record<string, unknown> {
  return { dataAccessRoleArn: demo.dataAccessRoleArn, inputS3Uri: demo.inputS3Uri, outputS3Uri: demo.outputS3Uri };
}

/**
 * Inputs for the seed workflow against the demo bucket, with fresh client tokens (recorded with
 * the run, so a resume re-sends the same ones).
 */
export function demoInputs(demo: DemoLocations, now: Date = new Date()): Record<string, unknown> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return {
    datastoreName: `ahi-onboard-demo-${stamp}`,
    datastoreClientToken: generateClientToken(),
    importClientToken: generateClientToken(),
    dataAccessRoleArn: demo.dataAccessRoleArn,
    inputS3Uri: demo.inputS3Uri,
    outputS3Uri: demo.outputS3Uri,
  };
}
