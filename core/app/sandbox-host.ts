/**
 * The embedded sandbox as both adapters host it: one time scale, one polling policy and one set of
 * demo inputs, so the app and `ahi-onboard --sandbox` behave alike. Core does not import the
 * sandbox: the adapter passes in how to start it.
 */
import type { SandboxTarget } from '../aws/session';
import type { PollingPolicy } from '../engine/polling';
import { generateClientToken } from '../healthimaging/client-token';

/**
 * One sandbox minute passes in one real second: a data store (about 2 minutes at AWS pace) is
 * ACTIVE in about 2 s and the demo import finishes in a few seconds, so a whole run takes well
 * under a minute while still showing every status.
 */
export const DEMO_TIME_SCALE = 60;

/**
 * Polling suited to that time scale, for every step of a sandbox run. At demo speed a "fast phase"
 * of 5 sandbox minutes is 5 s; 600 s per step is 10 sandbox hours, far beyond any demo job.
 */
export const DEMO_POLLING = {
  initialDelayMs: 500,
  multiplier: 1.5,
  maxDelayMs: 2_000,
  fastPhaseMs: 5_000,
  stepTimeoutMs: 600_000,
} as const satisfies Partial<PollingPolicy>;

/** Where the sandbox's demo data lives (its bucket, prefixes and import role). */
export interface DemoLocations {
  inputS3Uri: string;
  outputS3Uri: string;
  dataAccessRoleArn: string;
}

/** What a host needs of a started sandbox (sandbox/index.ts's Sandbox satisfies it). */
export interface HostedSandbox extends Omit<SandboxTarget, 'endpoint'> {
  url: string;
  demo: DemoLocations;
  close(): Promise<void>;
}

export function sandboxTarget(sandbox: HostedSandbox): SandboxTarget {
  return { endpoint: sandbox.url, ...(sandbox.endpoints ? { endpoints: sandbox.endpoints } : {}), region: sandbox.region, credentials: sandbox.credentials };
}

/** demo-YYYYMMDD-HHMM in local time: readable, valid as a data store name. */
export function demoDatastoreName(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `demo-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}`;
}

/** The import's inputs against the demo bucket, for an import into an existing sandbox data store. */
export function demoImportInputs(demo: DemoLocations): { dataAccessRoleArn: string; inputS3Uri: string; outputS3Uri: string } {
  return { dataAccessRoleArn: demo.dataAccessRoleArn, inputS3Uri: demo.inputS3Uri, outputS3Uri: demo.outputS3Uri };
}

/** The onboarding's inputs against the demo bucket, with fresh client tokens (recorded with the run). */
export function demoOnboardingInputs(demo: DemoLocations, now = new Date()) {
  return {
    datastoreName: demoDatastoreName(now),
    datastoreClientToken: generateClientToken(),
    importClientToken: generateClientToken(),
    ...demoImportInputs(demo),
  };
}

export interface SandboxHost {
  /** Starts the sandbox on first use; a failed start is retried by the next call. */
  get(): Promise<HostedSandbox>;
  /** The running sandbox, if it was started. */
  started(): Promise<HostedSandbox | undefined>;
  /** Stops it (if started) and refuses to start it again. */
  close(): Promise<void>;
}

export function createSandboxHost(start: () => Promise<HostedSandbox>): SandboxHost {
  let pending: Promise<HostedSandbox> | undefined;
  let closed = false;
  return {
    get() {
      if (closed) return Promise.reject(new Error('The sandbox host is closing.'));
      if (!pending) {
        const attempt = start();
        pending = attempt;
        attempt.catch(() => {
          if (pending === attempt) pending = undefined;
        });
      }
      return pending;
    },
    async started() {
      return pending?.catch(() => undefined);
    },
    async close() {
      closed = true;
      const sandbox = await pending?.catch(() => undefined);
      pending = undefined;
      await sandbox?.close();
    },
  };
}
