/** Test helpers: real SDK clients pointed at a sandbox, and a raw SigV4-signed fetch for wire-level cases. */
import { Sha256 } from '@aws-crypto/sha256-js';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Sandbox } from './index';

type Creds = { accessKeyId: string; secretAccessKey: string };

export function clients(sb: Sandbox, opts: { credentials?: Creds; maxAttempts?: number } = {}) {
  const base = { region: sb.region, credentials: opts.credentials ?? sb.credentials, maxAttempts: opts.maxAttempts ?? 1 };
  return {
    mi: new MedicalImagingClient({ ...base, endpoint: sb.endpoints.medicalImaging }),
    s3: new S3Client({ ...base, endpoint: sb.endpoints.s3, forcePathStyle: true }),
    sts: new STSClient({ ...base, endpoint: sb.endpoints.sts }),
    // IAM is global: signed for us-east-1 whatever the sandbox's region.
    iam: new IAMClient({ ...base, region: 'us-east-1', endpoint: sb.endpoints.iam }),
    kms: new KMSClient({ ...base, endpoint: sb.endpoints.kms }),
  };
}

export interface RawOptions {
  method: string;
  path: string; // already percent-encoded as on the wire
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Buffer;
  service?: string;
  signingDate?: Date;
  credentials?: Creds;
  region?: string;
  unsigned?: boolean;
}

/** Sends one request signed exactly like the SDK would (or unsigned), returning status, headers and text. */
export async function rawRequest(sb: Sandbox, o: RawOptions) {
  const url = new URL(sb.url);
  let request = new HttpRequest({
    method: o.method,
    protocol: 'http:',
    hostname: url.hostname,
    port: Number(url.port),
    path: o.path,
    query: o.query ?? {},
    headers: { host: url.host, ...(o.headers ?? {}) },
    ...(o.body !== undefined ? { body: o.body } : {}),
  });
  if (!o.unsigned) {
    const service = o.service ?? 'medical-imaging';
    const signer = new SignatureV4({
      credentials: o.credentials ?? sb.credentials,
      region: o.region ?? sb.region,
      service,
      sha256: Sha256,
      uriEscapePath: service !== 's3',
    });
    request = (await signer.sign(request, o.signingDate ? { signingDate: o.signingDate } : {})) as HttpRequest;
  }
  const qs = new URLSearchParams(o.query ?? {}).toString();
  const headers = { ...request.headers };
  delete headers['host'];
  const res = await fetch(`${sb.url}${o.path}${qs ? `?${qs}` : ''}`, {
    method: o.method,
    headers,
    ...(o.body !== undefined ? { body: typeof o.body === 'string' ? o.body : new Uint8Array(o.body) } : {}),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
