import { afterAll, describe, expect, it } from 'vitest';
import { resolveServiceEndpoints } from './endpoints';
import { writeTempAwsConfig } from './test-config';

const cfg = writeTempAwsConfig(`[default]
region = us-east-1

[profile svc]
services = sandbox
endpoint_url = http://127.0.0.1:1111

[services sandbox]
medical_imaging =
  endpoint_url = http://127.0.0.1:2222
s3 =
  endpoint_url = http://127.0.0.1:3333

[profile own]
endpoint_url = http://user:pw@127.0.0.1:4444/

[profile ignoring]
endpoint_url = http://127.0.0.1:5555
ignore_configured_endpoint_urls = true

[profile broken]
services = missing

[profile bad-url]
endpoint_url = ftp://example.com
`);
afterAll(() => cfg.cleanup());

const env = (extra: Record<string, string> = {}) => ({ ...cfg.env, ...extra });

describe('resolveServiceEndpoints', () => {
  it('uses the chosen profile, not AWS_PROFILE/default (the SDK trap)', async () => {
    expect(await resolveServiceEndpoints('svc', env({ AWS_PROFILE: 'own' }))).toEqual({
      medicalImaging: 'http://127.0.0.1:2222',
      s3: 'http://127.0.0.1:3333',
      sts: 'http://127.0.0.1:1111', // no sts subsection: falls back to the profile's own endpoint_url
      iam: 'http://127.0.0.1:1111',
      kms: 'http://127.0.0.1:1111',
    });
  });

  it('falls back to AWS_PROFILE, then default, when no profile is named', async () => {
    expect((await resolveServiceEndpoints(undefined, env({ AWS_PROFILE: 'svc' }))).medicalImaging).toBe('http://127.0.0.1:2222');
    expect(await resolveServiceEndpoints(undefined, env())).toEqual({});
  });

  it('strips user:password from an endpoint URL and a lone trailing slash', async () => {
    expect((await resolveServiceEndpoints('own', env())).medicalImaging).toBe('http://127.0.0.1:4444');
  });

  it('AWS_ENDPOINT_URL beats the config file; AWS_ENDPOINT_URL_<SERVICE> beats AWS_ENDPOINT_URL', async () => {
    const e = await resolveServiceEndpoints('svc', env({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9000', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9001' }));
    expect(e).toEqual({ medicalImaging: 'http://127.0.0.1:9000', s3: 'http://127.0.0.1:9000', sts: 'http://127.0.0.1:9001', iam: 'http://127.0.0.1:9000', kms: 'http://127.0.0.1:9000' });
    const m = await resolveServiceEndpoints('svc', env({ AWS_ENDPOINT_URL_MEDICAL_IMAGING: 'http://127.0.0.1:9002', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9003' }));
    expect(m).toEqual({ medicalImaging: 'http://127.0.0.1:9002', s3: 'http://127.0.0.1:9003', sts: 'http://127.0.0.1:1111', iam: 'http://127.0.0.1:1111', kms: 'http://127.0.0.1:1111' });
  });

  it('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true turns everything off, env variables included', async () => {
    expect(await resolveServiceEndpoints('svc', env({ AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL: 'http://x:1' }))).toEqual({});
  });

  it("a profile's ignore_configured_endpoint_urls turns it off unless the env says false", async () => {
    expect(await resolveServiceEndpoints('ignoring', env())).toEqual({});
    expect((await resolveServiceEndpoints('ignoring', env({ AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' }))).s3).toBe('http://127.0.0.1:5555');
  });

  it('names the problem in broken configuration', async () => {
    await expect(resolveServiceEndpoints('broken', env())).rejects.toThrow(/\[services missing\]/);
    await expect(resolveServiceEndpoints('bad-url', env())).rejects.toThrow(/endpoint_url of profile "bad-url" must start with http/);
    await expect(resolveServiceEndpoints('svc', env({ AWS_ENDPOINT_URL_S3: 'not a url' }))).rejects.toThrow(/AWS_ENDPOINT_URL_S3 is not a valid URL/);
    await expect(resolveServiceEndpoints('svc', env({ AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'yes' }))).rejects.toThrow(/"true" or "false"/);
  });
});
