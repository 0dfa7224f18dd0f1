/**
 * Where each AWS client should send its requests.
 *
 * Why this exists: a v3 client built with the `profile` option takes that profile's region and
 * credentials but NOT its configured endpoint (the SDK's endpoint lookup reads only AWS_PROFILE or
 * `default`). So we resolve the chosen profile's endpoints ourselves, with the SDK's precedence,
 * and hand the result to each client as an explicit `endpoint`.
 *
 * Precedence, per service (as in @smithy/core endpoints getEndpointFromConfig):
 *   1. AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (or the profile's ignore_configured_endpoint_urls) turns all off
 *   2. AWS_ENDPOINT_URL_<SERVICE> (MEDICAL_IMAGING, S3, STS, IAM, KMS)
 *   3. AWS_ENDPOINT_URL
 *   4. the profile's `services = NAME` -> `[services NAME]` subsection (`medical_imaging =` / `endpoint_url = ...`)
 *   5. the profile's own `endpoint_url`
 */
import { effectiveProfileName, profileSection, readSharedConfig, type SharedConfig } from './shared-config';

export type ServiceKey = 'medicalImaging' | 's3' | 'sts' | 'iam' | 'kms';

export interface ServiceEndpoints {
  medicalImaging?: string;
  s3?: string;
  sts?: string;
  /** IAM and KMS serve the preflight and the role helper (core/preflight). */
  iam?: string;
  kms?: string;
}

/** The SDK derives both names from the service id: "Medical Imaging" -> MEDICAL_IMAGING / medical_imaging. */
const SERVICE_IDS: Record<ServiceKey, string> = { medicalImaging: 'Medical Imaging', s3: 'S3', sts: 'STS', iam: 'IAM', kms: 'KMS' };

const envSuffix = (key: ServiceKey) => SERVICE_IDS[key].split(' ').map((w) => w.toUpperCase()).join('_');
const configKey = (key: ServiceKey) => SERVICE_IDS[key].split(' ').map((w) => w.toLowerCase()).join('_');

export class EndpointConfigError extends Error {
  override name = 'EndpointConfigError';
}

/** Checks an endpoint is an http(s) URL and drops any user:password part (never echoed anywhere). */
function checkedUrl(value: string, where: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EndpointConfigError(`${where} is not a valid URL: "${value}". Expected e.g. http://127.0.0.1:4566`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EndpointConfigError(`${where} must start with http:// or https:// (got ${url.protocol}).`);
  }
  url.username = '';
  url.password = '';
  // Keep the path as given (a proxy may serve under a prefix) but not a lone trailing slash.
  return url.href.endsWith('/') && url.pathname === '/' ? url.href.slice(0, -1) : url.href;
}

function booleanSetting(value: string | undefined, where: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new EndpointConfigError(`${where} must be "true" or "false" (got "${value}").`);
}

/** The endpoint a profile's own configuration sets for one service (steps 4 and 5 only). */
export function profileConfiguredEndpoint(config: SharedConfig, profileName: string, key: ServiceKey): string | undefined {
  const profile = profileSection(config, profileName);
  if (!profile) return undefined;
  const servicesName = profile.services;
  if (servicesName) {
    const section = config.configFile[`services.${servicesName}`];
    if (!section) {
      throw new EndpointConfigError(
        `Profile "${profileName}" names services "${servicesName}", but the config file has no [services ${servicesName}] section.`,
      );
    }
    const url = section[`${configKey(key)}.endpoint_url`];
    if (url) return checkedUrl(url, `[services ${servicesName}] ${configKey(key)}.endpoint_url`);
  }
  if (profile.endpoint_url) return checkedUrl(profile.endpoint_url, `endpoint_url of profile "${profileName}"`);
  return undefined;
}

/** Pure resolution over already-read files: the rules above, nothing else. */
export function resolveServiceEndpointsFrom(config: SharedConfig, profile: string | undefined, env: NodeJS.ProcessEnv): ServiceEndpoints {
  const profileName = effectiveProfileName(profile, env);
  const ignoreEnv = booleanSetting(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS, 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS');
  const ignore =
    ignoreEnv ??
    booleanSetting(profileSection(config, profileName)?.ignore_configured_endpoint_urls, `ignore_configured_endpoint_urls of profile "${profileName}"`) ??
    false;
  if (ignore) return {};

  const out: ServiceEndpoints = {};
  for (const key of Object.keys(SERVICE_IDS) as ServiceKey[]) {
    const specific = `AWS_ENDPOINT_URL_${envSuffix(key)}`;
    const fromEnv = env[specific]
      ? checkedUrl(env[specific]!, specific)
      : env.AWS_ENDPOINT_URL
        ? checkedUrl(env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL')
        : undefined;
    const url = fromEnv ?? profileConfiguredEndpoint(config, profileName, key);
    if (url) out[key] = url;
  }
  return out;
}

/**
 * The endpoints for `profile` (default: AWS_PROFILE, else `default`). An empty object means
 * "the AWS default endpoints for the region".
 */
export async function resolveServiceEndpoints(profile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ServiceEndpoints> {
  return resolveServiceEndpointsFrom(await readSharedConfig(env), profile, env);
}
