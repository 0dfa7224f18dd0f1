/**
 * The local HealthImaging sandbox: HealthImaging's control plane, a small S3 and STS
 * GetCallerIdentity on one 127.0.0.1 port, verified with real SigV4, so the real AWS SDK v3 runs
 * end to end against it. Import it and call startSandbox(), or run sandbox/cli.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClock } from './clock';
import { DEFAULT_TIMINGS, SandboxCore, type SandboxTimings, type StatusChange } from './core';
import { DEMO_ROLE_NAME, demoLocations, demoPermissionsPolicy, demoTrustPolicy, seedDemoData, type DemoLocations } from './demo-data';
import { putRole } from './iam-api';
import { addKmsKey } from './kms-api';
import type { FaultErrorName } from './errors';
import { FaultState, type SandboxFaults } from './faults';
import { HostCheck } from './host-check';
import { generateKeyPair } from './keys';
import { NO_IAM_POLICY, Principals } from './principals';
import { S3Store } from './s3-store';
import { IdentityCenter } from './identity-center';
import { createRequestHandler } from './server';
import { filePersistence, memoryPersistence, type DatastoreStatus } from './state';

export type { SandboxTimings, StatusChange, SandboxFaults, DemoLocations };
export { DEFAULT_TIMINGS, NO_IAM_POLICY };

export interface SandboxOptions {
  port?: number;
  dataDir?: string;
  region?: string;
  accountId?: string;
  timeScale?: number;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  manualClock?: boolean;
  demoData?: boolean;
  timings?: Partial<SandboxTimings>;
  log?: (line: string) => void;
  /** Import jobs a data store runs at once before StartDICOMImportJob answers 402 ServiceQuotaExceededException (default: the region's quota, 100; 20 in ap-southeast-2). */
  maxConcurrentImports?: number;
  /** More Host values to answer to besides 127.0.0.1, localhost and [::1] at its port: `name` (at its port) or `name:port`. */
  hosts?: string[];
}

export interface Sandbox {
  url: string;
  port: number;
  region: string;
  accountId: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  endpoints: { medicalImaging: string; s3: string; sts: string; iam: string; kms: string; ssoOidc: string; sso: string };
  /**
   * Adds an IAM user with its own key pair and identity policy (a JSON document), e.g.
   * NO_IAM_POLICY for a caller that may not read IAM. The sandbox's own pair is allowed everything.
   */
  addUser(userName: string, policyDocument: string): { accessKeyId: string; secretAccessKey: string; arn: string };
  /** Creates an IAM role directly (trust policy and inline policies as JSON documents); returns its ARN. */
  addRole(roleName: string, trustPolicy: string, policies?: Record<string, string>): string;
  /** KMS keys DescribeKey knows; returns the key ARN. */
  kms: { addKey(opts?: { description?: string; enabled?: boolean; alias?: string }): string };
  /** The IAM Identity Center stand-in: approval mode and test levers (see identity-center.ts). */
  identityCenter: IdentityCenter;
  demo: DemoLocations;
  clock: { now(): number; advance(ms: number): void };
  faults: SandboxFaults;
  /** Status transitions as they happen in sandbox time: for the benchmark's latency measure. */
  onStatusChange(listener: (change: StatusChange) => void): () => void;
  /** Answer to the loopback names at another port too: a TLS front or port forward in front of the sandbox. */
  allowPort(port: number): void;
  close(): Promise<void>;
}

const DATASTORE_STATUSES: DatastoreStatus[] = ['CREATING', 'CREATE_FAILED', 'ACTIVE', 'DELETING', 'DELETED'];
const FAULT_ERRORS: FaultErrorName[] = ['InternalServerException', 'ThrottlingException', 'ServiceUnavailable', 'AccessDeniedException', 'ExpiredTokenException'];

/** An access key pair in AWS's shapes (AKIA + 16, 40-character secret), random per sandbox. */
export function generateCredentials(): { accessKeyId: string; secretAccessKey: string } {
  return generateKeyPair();
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  if (!/^\d{12}$/.test(accountId)) throw new Error(`accountId must be 12 digits, got ${accountId}`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`region does not look like an AWS region: ${region}`);
  const credentials = options.credentials ?? generateCredentials();
  const timings: SandboxTimings = { ...DEFAULT_TIMINGS, ...options.timings };
  for (const [k, v] of Object.entries(timings))
    if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v))) throw new Error(`timings.${k} must be a non-negative number of ms`);

  // Without a data dir, S3 folders go to a temp dir removed on close; state stays in memory.
  const tempDir = options.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'ahi-sandbox-'));
  const baseDir = options.dataDir ?? tempDir!;
  const persistence = options.dataDir ? filePersistence(options.dataDir) : memoryPersistence();
  const state = persistence.load();
  const clock = createClock({ manual: options.manualClock ?? false, timeScale: options.timeScale ?? 1, startAt: Math.max(Date.now(), state.clockMs) });
  const store = new S3Store(join(baseDir, 's3'));
  const faultState = new FaultState(() => clock.now());
  const core = new SandboxCore(state, clock, store, faultState, timings, region, accountId, persistence);
  if (options.maxConcurrentImports !== undefined) {
    if (!Number.isSafeInteger(options.maxConcurrentImports) || options.maxConcurrentImports < 1) throw new Error(`maxConcurrentImports must be a whole number of at least 1, got ${options.maxConcurrentImports}`);
    core.maxConcurrentImports = options.maxConcurrentImports;
  }
  if (options.demoData ?? true) {
    seedDemoData(store);
    // Like the bucket: laid when missing, never overwritten.
    if (!state.iamRoles[DEMO_ROLE_NAME.toLowerCase()]) putRole(core, DEMO_ROLE_NAME, demoTrustPolicy(accountId, region), { HealthImagingSandboxImportAccess: demoPermissionsPolicy() });
  }
  const principals = new Principals(accountId, credentials);

  let url = '';
  const identityCenter = new IdentityCenter({ now: () => clock.now(), url: () => url, region, accountId, credentials });
  const hosts = new HostCheck();
  const handler = createRequestHandler({ core, credentials, principals, identityCenter, hosts, ...(options.log ? { log: options.log } : {}) });
  const server = createServer(handler);
  // The handler says 100 Continue itself, and only once a request has passed authentication.
  server.on('checkContinue', handler);
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    else socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
  hosts.addPort(port);
  for (const h of options.hosts ?? []) hosts.add(h, port);

  // A real clock moves by itself: sweep now and then so listeners hear about transitions.
  const ticker = options.manualClock ? undefined : setInterval(() => core.sweep(), 100);
  ticker?.unref();

  const faults: SandboxFaults = {
    throttling: (on) => faultState.setThrottling(on),
    failNext: (operation, count, error = 'InternalServerException') => {
      if (!FAULT_ERRORS.includes(error)) throw new Error(`unknown fault error ${String(error)}`);
      faultState.failNext(operation, count, error);
    },
    dropNext: (operation, count) => faultState.dropNext(operation, count),
    latency: (ms) => {
      faultState.latencyMs = Math.max(0, ms);
    },
    failDatastoreCreation: (on) => {
      faultState.failCreation = on;
    },
    failImportJobs: (on) => {
      faultState.failImports = on;
    },
    setDatastoreStatus: (datastoreId, status) => {
      const ds = state.datastores[datastoreId];
      if (!ds) throw new Error(`no data store ${datastoreId}`);
      if (!DATASTORE_STATUSES.includes(status as DatastoreStatus)) throw new Error(`not a data store status: ${status}`);
      ds.overrides.push({ at: clock.now(), statuses: [{ status: status as DatastoreStatus, offsetMs: 0 }] });
      core.save();
      core.sweep();
    },
    reset: () => faultState.reset(),
  };

  let closed = false;
  return {
    url,
    port,
    region,
    accountId,
    credentials,
    endpoints: { medicalImaging: url, s3: url, sts: url, iam: url, kms: url, ssoOidc: url, sso: url },
    addUser: (userName, policyDocument) => {
      const u = principals.add(userName, policyDocument);
      return { accessKeyId: u.accessKeyId, secretAccessKey: u.secretAccessKey, arn: u.arn };
    },
    addRole: (roleName, trustPolicy, policies) => putRole(core, roleName, trustPolicy, policies).arn,
    kms: { addKey: (opts) => addKmsKey(core, opts).arn },
    identityCenter,
    demo: demoLocations(accountId),
    clock: {
      now: () => clock.now(),
      advance: (ms) => {
        clock.advance(ms);
        core.sweep();
      },
    },
    faults,
    onStatusChange: (listener) => core.onStatusChange(listener),
    allowPort: (p) => hosts.addPort(p),
    close: async () => {
      if (closed) return;
      closed = true;
      if (ticker) clearInterval(ticker);
      core.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      core.save();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}
