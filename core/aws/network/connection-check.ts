/**
 * "Test connection" and `ahi-onboard doctor`: for each service the product calls, which endpoint,
 * which proxy (environment, operating system, or none), which CA sources, and one signed call
 * with its result in words. Names and codes only: no credential, token or proxy password is read
 * into the result (proxies are described by host:port; see describeProxy).
 */
import { ListDatastoresCommand } from '@aws-sdk/client-medical-imaging';
import { HeadBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { classifyAwsError } from '../errors';
import type { AwsSession } from '../session';

export type CheckedService = 'STS' | 'HealthImaging' | 'S3';

export interface EndpointRoute {
  service: CheckedService;
  url: string;
  proxy: string;
  source: 'environment' | 'operating system' | 'none' | 'caller';
}

export interface ServiceCheck {
  service: CheckedService;
  operation: string;
  ok: boolean;
  /** The result in words: what was learned, or what failed and what to do. */
  message: string;
  code?: string;
  ms: number;
}

export interface ConnectionReport {
  region: string;
  profile?: string;
  routes: EndpointRoute[];
  trust: string[];
  checks: ServiceCheck[];
  ok: boolean;
}

export interface CheckOptions {
  /** The input bucket: HeadBucket on it instead of ListBuckets (which needs s3:ListAllMyBuckets). */
  bucket?: string;
  signal?: AbortSignal;
}

function endpointOf(session: AwsSession, service: CheckedService): string {
  const r = session.region;
  if (service === 'STS') return session.endpoints.sts ?? `https://sts.${r}.amazonaws.com`;
  if (service === 'S3') return session.endpoints.s3 ?? `https://s3.${r}.amazonaws.com`;
  return session.endpoints.medicalImaging ?? `https://medical-imaging.${r}.amazonaws.com`;
}

function trustWords(session: AwsSession): string[] {
  const t = session.network?.trust;
  if (!t) return ['the request handler given by the caller'];
  const words = ["Node's bundled root certificates"];
  if (t.system) words.push("the operating system's certificate store");
  if (t.bundle) words.push(`${t.bundle.from} ${t.bundle.path} (${t.bundle.certificates} certificate${t.bundle.certificates === 1 ? '' : 's'})`);
  return words;
}

async function timed(service: CheckedService, operation: string, profile: string | undefined, call: () => Promise<string>): Promise<ServiceCheck> {
  const started = Date.now();
  try {
    const message = await call();
    return { service, operation, ok: true, message, ms: Date.now() - started };
  } catch (e) {
    const c = classifyAwsError(e, { operation, ...(profile ? { profile } : {}) });
    return { service, operation, ok: false, code: c.code, message: c.action ? `${c.message} ${c.action}` : c.message, ms: Date.now() - started };
  }
}

export async function checkConnection(session: AwsSession, opts: CheckOptions = {}): Promise<ConnectionReport> {
  const services: CheckedService[] = ['STS', 'HealthImaging', 'S3'];
  const routes = await Promise.all(services.map(async (service): Promise<EndpointRoute> => {
    const url = endpointOf(session, service);
    const p = await session.network?.proxyFor(url);
    return { service, url, ...(p ? { proxy: p.proxy, source: p.source } : { proxy: 'decided by the caller', source: 'caller' }) };
  }));
  const send = opts.signal ? { abortSignal: opts.signal } : {};
  const profile = session.profile;
  // One after the other: a proxy or certificate problem then reads the same for all three, and a
  // hospital proxy is not hit with a burst of parallel tunnels.
  const checks = [
    await timed('STS', 'GetCallerIdentity', profile, async () => {
      const id = await session.sts.send(new GetCallerIdentityCommand({}), send);
      return `Signed in as ${id.Arn ?? 'an unnamed caller'} (account ${id.Account ?? 'unknown'}).`;
    }),
    await timed('HealthImaging', 'ListDatastores', profile, async () => {
      const out = await session.medicalImaging.send(new ListDatastoresCommand({ maxResults: 1 }), send);
      return out.datastoreSummaries?.length ? 'HealthImaging answered; this account has data stores here.' : 'HealthImaging answered; no data store in this region yet.';
    }),
    opts.bucket
      ? await timed('S3', 'HeadBucket', profile, async () => {
          await session.s3.send(new HeadBucketCommand({ Bucket: opts.bucket }), send);
          return `S3 answered; bucket ${opts.bucket} is reachable with these credentials.`;
        })
      : await timed('S3', 'ListBuckets', profile, async () => {
          const out = await session.s3.send(new ListBucketsCommand({ MaxBuckets: 1 }), send);
          return `S3 answered; ${out.Buckets?.length ? 'buckets are listed' : 'no bucket is listed'} for these credentials.`;
        }),
  ];
  return {
    region: session.region,
    ...(profile ? { profile } : {}),
    routes,
    trust: trustWords(session),
    checks,
    ok: checks.every((c) => c.ok),
  };
}
