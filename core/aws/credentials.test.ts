/**
 * Credential kinds through the real SDK providers (fromIni) with temporary config files: SSO with
 * no cached token, assume-role with an MFA code against the profile's own STS endpoint, a missing
 * MFA callback. Nothing here needs AWS.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AwsFaultError } from './errors';
import { createAwsSession } from './session';
import { writeTempAwsConfig } from './test-config';

// A port nothing listens on: requests must never get that far.
const DEAD = 'http://127.0.0.1:9';

describe('SSO profile without a cached token', () => {
  const cfg = writeTempAwsConfig(`[profile dev-sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Dev
region = us-west-2
endpoint_url = ${DEAD}

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile legacy-sso]
sso_start_url = https://old.awsapps.com/start
sso_region = us-east-1
sso_account_id = 123456789012
sso_role_name = Dev
region = us-east-1
endpoint_url = ${DEAD}
`);
  // The SSO token provider reads HOME and AWS_CONFIG_FILE from process.env itself.
  beforeAll(() => {
    for (const [k, v] of Object.entries(cfg.env)) vi.stubEnv(k, v!);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    cfg.cleanup();
  });

  it('a run step gets a credentials fault that says: ahi-onboard login --profile NAME', async () => {
    const session = await createAwsSession({ profile: 'dev-sso', env: cfg.env });
    try {
      expect(session.region).toBe('us-west-2');
      const res = await session.binding.send({ operationId: 'ListDatastores', pathParameters: {}, query: {}, headers: {} });
      expect(res.fault).toBe('credentials');
      expect(res.statusCode).toBe(0);
      expect(res.error?.action).toBe('Sign in again: ahi-onboard login --profile dev-sso');
      expect(res.error?.message).toMatch(/SSO sign-in for profile "dev-sso" is missing or has expired/);
    } finally {
      session.close();
    }
  });

  it('identity() rejects with the same classified error, also for legacy SSO profiles', async () => {
    for (const profile of ['dev-sso', 'legacy-sso']) {
      const session = await createAwsSession({ profile, env: cfg.env });
      const err = await session.identity().catch((e: unknown) => e);
      session.close();
      expect(err).toBeInstanceOf(AwsFaultError);
      expect((err as AwsFaultError).classification).toMatchObject({ fault: 'credentials', action: `Sign in again: ahi-onboard login --profile ${profile}` });
    }
  });
});

describe('assume-role with MFA', () => {
  let server: Server;
  let url = '';
  const seen: Array<{ action: string; body: URLSearchParams; authorization: string }> = [];

  beforeAll(async () => {
    // A minimal STS speaking the query protocol: AssumeRole and GetCallerIdentity.
    server = createServer((req: IncomingMessage, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const body = new URLSearchParams(raw);
        const action = body.get('Action') ?? '';
        seen.push({ action, body, authorization: String(req.headers.authorization ?? '') });
        res.setHeader('content-type', 'text/xml');
        res.setHeader('x-amzn-requestid', 'req-1');
        if (action === 'AssumeRole') {
          const exp = new Date(Date.now() + 3600_000).toISOString();
          res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>ASIAASSUMEDKEY</AccessKeyId><SecretAccessKey>assumedsecret</SecretAccessKey><SessionToken>assumedtoken</SessionToken><Expiration>${exp}</Expiration></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/Admin/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></AssumeRoleResponse>`);
        } else {
          res.end(`<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>
<Arn>arn:aws:sts::123456789012:assumed-role/Admin/s</Arn><UserId>AROA:s</UserId><Account>123456789012</Account>
</GetCallerIdentityResult><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const config = () =>
    writeTempAwsConfig(
      `[profile admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = base
mfa_serial = arn:aws:iam::123456789012:mfa/alice
region = eu-west-1
services = local

[services local]
sts =
  endpoint_url = ${url}
`,
      `[base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = basesecret
`,
    );

  it('asks the MFA callback for a code and assumes the role at the profile\'s STS endpoint', async () => {
    const cfg = config();
    const mfaCodeProvider = vi.fn(async () => '123456');
    const session = await createAwsSession({ profile: 'admin', env: cfg.env, mfaCodeProvider });
    try {
      const who = await session.identity();
      expect(who).toEqual({ accountId: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/Admin/s', userId: 'AROA:s' });
      expect(mfaCodeProvider).toHaveBeenCalledWith('arn:aws:iam::123456789012:mfa/alice');
      const assume = seen.find((s) => s.action === 'AssumeRole')!;
      expect(assume.body.get('TokenCode')).toBe('123456');
      expect(assume.body.get('SerialNumber')).toBe('arn:aws:iam::123456789012:mfa/alice');
      expect(assume.authorization).toContain('Credential=AKIDBASE/');
      // The caller-identity call is signed with the assumed role's keys.
      expect(seen.find((s) => s.action === 'GetCallerIdentity')!.authorization).toContain('Credential=ASIAASSUMEDKEY/');
      expect(session.describe()).toEqual({ profile: 'admin', region: 'eu-west-1', sandbox: false, accountId: '123456789012', callerArn: 'arn:aws:sts::123456789012:assumed-role/Admin/s' });
    } finally {
      session.close();
      cfg.cleanup();
    }
  });

  it('without an MFA callback the error says what is missing', async () => {
    const cfg = config();
    const session = await createAwsSession({ profile: 'admin', env: cfg.env });
    const err = (await session.identity().catch((e: unknown) => e)) as AwsFaultError;
    session.close();
    cfg.cleanup();
    expect(err.classification).toMatchObject({ fault: 'credentials', code: 'MfaRequired' });
    expect(err.message).toMatch(/Profile "admin" assumes a role that requires an MFA code/);
  });
});

describe('setup errors name what to set', () => {
  const cfg = writeTempAwsConfig(`[profile noregion]
aws_access_key_id = AKID
aws_secret_access_key = secret
`);
  afterAll(() => cfg.cleanup());

  it('an unknown profile', async () => {
    await expect(createAwsSession({ profile: 'nope', env: cfg.env })).rejects.toMatchObject({ code: 'ProfileNotFound', message: expect.stringMatching(/"nope" was not found/) });
  });
  it('no region anywhere', async () => {
    await expect(createAwsSession({ profile: 'noregion', env: cfg.env })).rejects.toMatchObject({
      code: 'RegionMissing',
      action: expect.stringContaining('[profile noregion]'),
    });
  });
  it('region from AWS_REGION when the profile has none, and --region wins over both', async () => {
    const a = await createAwsSession({ profile: 'noregion', env: { ...cfg.env, AWS_REGION: 'us-west-2' } });
    const b = await createAwsSession({ profile: 'noregion', region: 'eu-west-2', env: { ...cfg.env, AWS_REGION: 'us-west-2' } });
    expect([a.region, b.region]).toEqual(['us-west-2', 'eu-west-2']);
    a.close();
    b.close();
  });
  it('a malformed region', async () => {
    await expect(createAwsSession({ profile: 'noregion', region: 'Mars', env: cfg.env })).rejects.toMatchObject({ code: 'RegionInvalid' });
  });
});
