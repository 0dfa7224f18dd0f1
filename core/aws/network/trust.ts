/**
 * Which certificate authorities TLS to AWS trusts: Node's bundled roots, the operating system's
 * store where this Node offers it (tls.getCACertificates('system'), Node 22.15+/23.8+), plus the
 * PEM bundle the user names (AWS_CA_BUNDLE, else the profile's ca_bundle, the AWS CLI's order).
 * Extra CAs are added to the roots, never instead of them, and verification is never turned off:
 * a hospital's TLS-inspecting proxy re-signs with its own CA, which is exactly what gets added.
 */
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';

export interface TrustSources {
  /** Where the extra bundle came from, for doctor and the Test connection screen. */
  bundle?: { path: string; from: 'AWS_CA_BUNDLE' | 'ca_bundle'; certificates: number };
  system: boolean;
  ca: string[];
}

/** A bundle that cannot be used; the message names the setting and the rule it broke. */
export class CaBundleError extends Error {
  override name = 'CaBundleError';
}

type SystemCa = (kind: 'system') => string[];

function systemCertificates(): string[] | undefined {
  const get = (tls as unknown as { getCACertificates?: SystemCa }).getCACertificates;
  if (typeof get !== 'function') return undefined;
  try {
    return get('system');
  } catch {
    return undefined; // a runtime that has the call but no readable store: bundled roots still apply
  }
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function readCaBundle(path: string, from: 'AWS_CA_BUNDLE' | 'ca_bundle'): string[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CaBundleError(`${from} ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}): it must name a PEM file of certificates.`);
  }
  const certs = text.match(PEM_BLOCK) ?? [];
  if (certs.length === 0) throw new CaBundleError(`${from} ${path} holds no PEM certificate (expected "-----BEGIN CERTIFICATE-----" blocks).`);
  return certs;
}

export function resolveTrust(env: NodeJS.ProcessEnv, profileCaBundle?: string): TrustSources {
  const fromEnv = env.AWS_CA_BUNDLE?.trim();
  const path = fromEnv || profileCaBundle?.trim();
  const from = fromEnv ? 'AWS_CA_BUNDLE' : 'ca_bundle';
  const extra = path ? readCaBundle(path, from) : [];
  const system = systemCertificates();
  return {
    ...(path ? { bundle: { path, from, certificates: extra.length } } : {}),
    system: system !== undefined,
    // Default roots first, then the OS store, then the organisation's CA: all trusted together.
    ca: [...new Set([...tls.rootCertificates, ...(system ?? []), ...extra])],
  };
}
