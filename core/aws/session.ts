/**
 * One place that turns "this profile (or the sandbox), this region" into ready SDK clients for
 * HealthImaging, S3 and STS (plus IAM and KMS for the preflight), and the operation binding the
 * engine drives.
 *
 * Decisions:
 * - Endpoints are resolved by us (endpoints.ts) and passed explicitly, and the clients are told to
 *   ignore configured endpoints: a client built with `profile` would otherwise take the endpoint of
 *   AWS_PROFILE/default instead of the chosen profile's (the trap in healthimaging.md).
 * - maxAttempts = 2: the SDK re-sends once (same body, same clientToken, so it is safe) to absorb a
 *   single blip cheaply; a second failure comes back to the engine as a throttled/transient
 *   response it can see, record, and back off from on its own policy (slower polling, a visible
 *   waiting event). With the SDK default of 3 attempts plus its backoff, a throttling storm would
 *   stay invisible to the engine and spend the operation's request-rate quota twice over.
 * - disableHostPrefix: runtime operations would otherwise get `runtime-` prefixed to a custom endpoint.
 * - IAM is global: its client signs for us-east-1 (cn-north-1 / us-gov-west-1 in those
 *   partitions) whatever the run's region, as AWS requires.
 * - Credentials are cached here and handed to the SDK with a short expiry, so that after the user
 *   signs in again (SSO, renewed keys) `refreshCredentials()` takes effect on the very next request
 *   and a paused run can continue. No secret is ever stored outside the SDK's call path.
 */
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { OperationBinding } from '../engine/binding';
import type { RunContext } from '../engine/events';
import { EndpointConfigError, resolveServiceEndpointsFrom, type ServiceEndpoints } from './endpoints';
import { AwsFaultError, AwsSetupError, classifyAwsError } from './errors';
import { createOperationBinding } from './operation-table';
import { CaBundleError, createSessionNetwork, type SessionNetwork } from './network';
import type { OsProxyLookup, RoutedHandler } from './network/request-handler';
import { credentialKind } from './profiles';
import { configFilePaths, profileNames, profileSection, readSharedConfig } from './shared-config';

const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
/** Default SDK attempts per request (see the header comment for why 2). */
export const DEFAULT_MAX_ATTEMPTS = 2;
/** The SDK refreshes identities that expire within 5 minutes (@smithy/core EXPIRATION_MS). */
const SDK_REFRESH_WINDOW_MS = 300_000;

export interface SandboxTarget {
  /** One URL serving HealthImaging, S3, STS, IAM and KMS (the sandbox does), unless `endpoints` says otherwise. */
  endpoint: string;
  endpoints?: ServiceEndpoints;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface CreateAwsSessionOptions {
  profile?: string;
  region?: string;
  sandbox?: SandboxTarget;
  /** Asked for a code when a profile assumes a role with mfa_serial. */
  mfaCodeProvider?: (serialNumber: string) => Promise<string>;
  env?: NodeJS.ProcessEnv;
  /** An SDK request handler shared by the three clients (the caller owns and destroys it). */
  requestHandler?: unknown;
  /** SDK attempts per request; default DEFAULT_MAX_ATTEMPTS. */
  maxAttempts?: number;
  /** The desktop app's OS proxy lookup (session.resolveProxy); environment variables still win. */
  osProxyFor?: OsProxyLookup;
}

export interface CallerIdentity {
  accountId: string;
  arn: string;
  userId: string;
}

export interface AwsSession {
  region: string;
  profile?: string;
  sandbox: boolean;
  endpoints: ServiceEndpoints;
  /** Proxies, CA sources and the shared request handler (absent when the caller gave a handler). */
  network?: SessionNetwork;
  medicalImaging: MedicalImagingClient;
  s3: S3Client;
  sts: STSClient;
  /** IAM (global: signed for the partition's IAM region) and KMS in the run's region. */
  iam: IAMClient;
  kms: KMSClient;
  /** STS GetCallerIdentity; rejects with AwsFaultError (classified) when it cannot. Cached once known. */
  identity(signal?: AbortSignal): Promise<CallerIdentity>;
  binding: OperationBinding;
  /** Who and where, for run-started events and reports. Never credentials. */
  describe(): RunContext;
  /** Forget cached credentials: the next request reads the profile again (after `aws sso login`...). */
  refreshCredentials(): void;
  /**
   * The secret parts (secret key, session token) of the credentials signing requests now, for
   * leak guards that check what leaves the process (core/redaction/outgoing). Never shown or stored.
   */
  secretsInUse(): string[];
  /** Close the clients' sockets (only handlers this session created). */
  close(): void;
}

/** Caches a provider's credentials and lets us drop them; see the header comment. */
function refreshableCredentials(make: () => AwsCredentialIdentityProvider) {
  let provider = make();
  let cached: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  // Secrets of the last few credentials, refreshed ones included: an old token can still be quoted.
  const seen: string[] = [];
  const remember = (c: AwsCredentialIdentity) => {
    for (const s of [c.secretAccessKey, c.sessionToken]) if (s && !seen.includes(s)) seen.push(s);
    seen.splice(0, Math.max(0, seen.length - 8));
  };
  const stale = (c: AwsCredentialIdentity, now: number) => c.expiration !== undefined && c.expiration.getTime() - now < SDK_REFRESH_WINDOW_MS;

  const get: AwsCredentialIdentityProvider = async () => {
    const now = Date.now();
    if (!cached || stale(cached, now)) {
      pending ??= provider().finally(() => (pending = undefined));
      cached = await pending;
      remember(cached);
    }
    const soon = now + SDK_REFRESH_WINDOW_MS + 1_000;
    const expiration = new Date(Math.min(cached.expiration?.getTime() ?? soon, soon));
    return { ...cached, expiration };
  };
  return {
    provider: get,
    secrets: (): string[] => [...seen],
    invalidate() {
      cached = undefined;
      provider = make();
    },
  };
}

/** IAM's one region per partition (its global endpoint signs there). */
export function iamSigningRegion(region: string): string {
  if (region.startsWith('cn-')) return 'cn-north-1';
  if (region.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

function regionFrom(opts: CreateAwsSessionOptions, profileRegion: string | undefined, env: NodeJS.ProcessEnv, profileName?: string): string {
  const region = opts.region || profileRegion || env.AWS_REGION;
  if (!region) {
    throw new AwsSetupError(
      'RegionMissing',
      'No AWS region was given.',
      profileName
        ? `Pass --region (e.g. us-east-1), add "region = us-east-1" to [profile ${profileName}] in ~/.aws/config, or set AWS_REGION.`
        : 'Pass --region (e.g. us-east-1) or set AWS_REGION.',
    );
  }
  if (!REGION_PATTERN.test(region)) {
    throw new AwsSetupError('RegionInvalid', `"${region}" is not an AWS region name (expected something like us-east-1).`);
  }
  return region;
}

export async function createAwsSession(opts: CreateAwsSessionOptions = {}): Promise<AwsSession> {
  const env = opts.env ?? process.env;
  const ownsHandler = opts.requestHandler === undefined;

  let profile: string | undefined;
  let region: string;
  let endpoints: ServiceEndpoints;
  let credentials: ReturnType<typeof refreshableCredentials>;
  let caBundle: string | undefined;
  // Every client, including the STS/SSO ones the credential providers build, shares this handler.
  const network = (): SessionNetwork | undefined => {
    if (!ownsHandler) return undefined;
    try {
      return (built ??= createSessionNetwork({ env, ...(caBundle ? { caBundle } : {}), ...(opts.osProxyFor ? { osProxyFor: opts.osProxyFor } : {}) }));
    } catch (e) {
      if (e instanceof CaBundleError) throw new AwsSetupError('CaBundleInvalid', e.message);
      throw e;
    }
  };
  let built: SessionNetwork | undefined;

  if (opts.sandbox) {
    const sb = opts.sandbox;
    region = regionFrom({ region: opts.region || sb.region }, undefined, env);
    endpoints = { medicalImaging: sb.endpoint, s3: sb.endpoint, sts: sb.endpoint, iam: sb.endpoint, kms: sb.endpoint, ...sb.endpoints };
    const staticCreds = { accessKeyId: sb.credentials.accessKeyId, secretAccessKey: sb.credentials.secretAccessKey };
    credentials = refreshableCredentials(() => async () => staticCreds);
  } else {
    const config = await readSharedConfig(env);
    // An explicit profile, else AWS_PROFILE; with neither, the SDK's default chain (env keys, default profile, SSO, instance role).
    profile = opts.profile || env.AWS_PROFILE || undefined;
    const lookupName = profile ?? 'default';
    if (profile && !profileNames(config).includes(profile)) {
      const files = configFilePaths(env);
      throw new AwsSetupError(
        'ProfileNotFound',
        `AWS profile "${profile}" was not found in ${files.configFilepath} or ${files.filepath}.`,
        'Run "ahi-onboard profiles" to list the profiles, or create one with: aws configure --profile ' + profile,
      );
    }
    region = regionFrom(opts, profileSection(config, lookupName)?.region, env, profile);
    caBundle = profileSection(config, lookupName)?.ca_bundle;
    try {
      endpoints = resolveServiceEndpointsFrom(config, profile, env);
    } catch (e) {
      if (e instanceof EndpointConfigError) throw new AwsSetupError('EndpointInvalid', e.message);
      throw e;
    }
    const files = configFilePaths(env);
    const iniInit = {
      ...files,
      ignoreCache: true,
      ...(opts.mfaCodeProvider ? { mfaCodeProvider: opts.mfaCodeProvider } : {}),
      // The STS client that assume-role uses must honour the profile's sts endpoint too. Not for SSO
      // profiles: fromSSO would hand this config to its SSO portal client, calling the portal in the
      // profile's region (not sso_region) at the STS endpoint; it gets only the network's handler.
      clientConfig: {
        ...((network()?.handler ?? opts.requestHandler) ? { requestHandler: (network()?.handler ?? opts.requestHandler) as RoutedHandler } : {}),
        ...(credentialKind(profileSection(config, lookupName) ?? {}) === 'sso' ? {} : { region, ...(endpoints.sts ? { endpoint: endpoints.sts } : {}) }),
      },
    };
    const p = profile;
    credentials = refreshableCredentials(() => (p ? fromIni({ ...iniInit, profile: p }) : fromNodeProviderChain(iniInit)));
  }

  const shared = {
    region,
    credentials: credentials.provider,
    maxAttempts: opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'standard',
    // We resolved endpoints ourselves (including env); stop the SDK from looking again with the wrong profile.
    ignoreConfiguredEndpointUrls: true,
  } as const;
  const net = network();
  const handler = () => (net?.handler ?? opts.requestHandler) as RoutedHandler;

  const medicalImaging = new MedicalImagingClient({
    ...shared,
    requestHandler: handler(),
    disableHostPrefix: true,
    ...(endpoints.medicalImaging ? { endpoint: endpoints.medicalImaging } : {}),
  });
  const s3 = new S3Client({
    ...shared,
    requestHandler: handler(),
    ...(endpoints.s3
      ? {
          endpoint: endpoints.s3,
          // Custom S3 endpoints (the sandbox, proxies) rarely serve virtual-hosted buckets or
          // aws-chunked checksum trailers: address buckets by path, checksums only where required.
          forcePathStyle: true,
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
        }
      : {}),
  });
  const sts = new STSClient({ ...shared, requestHandler: handler(), ...(endpoints.sts ? { endpoint: endpoints.sts } : {}) });
  const iam = new IAMClient({ ...shared, region: iamSigningRegion(region), requestHandler: handler(), ...(endpoints.iam ? { endpoint: endpoints.iam } : {}) });
  const kms = new KMSClient({ ...shared, requestHandler: handler(), ...(endpoints.kms ? { endpoint: endpoints.kms } : {}) });

  const sandbox = Boolean(opts.sandbox);
  let known: CallerIdentity | undefined;

  const binding = createOperationBinding(medicalImaging, {
    ...(profile ? { profile } : {}),
    // After a credentials fault, re-read the profile before the next attempt (the user may have signed in again).
    onCredentialsFault: () => credentials.invalidate(),
  });

  return {
    region,
    ...(profile ? { profile } : {}),
    sandbox,
    endpoints,
    ...(net ? { network: net } : {}),
    medicalImaging,
    s3,
    sts,
    iam,
    kms,
    binding,
    async identity(signal) {
      if (known) return known;
      try {
        const out = await sts.send(new GetCallerIdentityCommand({}), signal ? { abortSignal: signal } : {});
        known = { accountId: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
        return known;
      } catch (err) {
        if (signal?.aborted) throw signal.reason ?? err;
        const c = classifyAwsError(err, { operation: 'GetCallerIdentity', ...(profile ? { profile } : {}) });
        if (c.fault === 'credentials') credentials.invalidate();
        throw new AwsFaultError(c);
      }
    },
    describe() {
      return {
        ...(profile ? { profile } : {}),
        region,
        sandbox,
        ...(known ? { accountId: known.accountId, callerArn: known.arn } : {}),
        ...(endpoints.medicalImaging ? { endpoint: endpoints.medicalImaging } : {}),
      };
    },
    refreshCredentials: () => credentials.invalidate(),
    secretsInUse: () => credentials.secrets(),
    close() {
      if (!ownsHandler) return;
      medicalImaging.destroy();
      s3.destroy();
      sts.destroy();
      iam.destroy();
      kms.destroy();
    },
  };
}
