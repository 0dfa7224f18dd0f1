/**
 * `--sandbox`: the embedded HealthImaging sandbox, started in-process with its demo data at a
 * demo-friendly time scale (core/app/sandbox-host.ts: the same set-up as the app's).
 *
 * The sandbox keeps its state (and the key pair the CLI generated for it) in a data directory, so
 * a sandbox run interrupted with Ctrl-C can be resumed by a later `ahi-onboard resume`, which
 * starts the sandbox again over the same state.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCredentials, startSandbox, type Sandbox } from '../sandbox/index';
import type { SandboxTarget } from '../core/aws/session';
import { DEMO_TIME_SCALE, sandboxTarget } from '../core/app/sandbox-host';

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
    target: sandboxTarget(sandbox),
  };
}
