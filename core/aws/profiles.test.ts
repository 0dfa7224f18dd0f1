import { afterAll, describe, expect, it } from 'vitest';
import { listProfiles } from './profiles';
import { writeTempAwsConfig } from './test-config';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const cfg = writeTempAwsConfig(
  `[default]
region = us-east-1

[profile admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = default
mfa_serial = arn:aws:iam::123456789012:mfa/alice
region = eu-west-1

[profile ci-role]
role_arn = arn:aws:iam::123456789012:role/CI
credential_source = Environment

[profile dev-sso]
sso_session = corp
sso_account_id = 123456789012
sso_role_name = Dev
region = us-west-2

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1

[profile vault]
credential_process = /usr/local/bin/vault-creds --role dev

[profile k8s]
role_arn = arn:aws:iam::123456789012:role/Pod
web_identity_token_file = /var/run/token

[profile local]
region = us-east-1
services = local-ahi
aws_access_key_id = AKIDLOCAL
aws_secret_access_key = ${SECRET}

[services local-ahi]
medical_imaging =
  endpoint_url = http://127.0.0.1:4599

[profile empty]
output = json
`,
  `[default]
aws_access_key_id = AKIDEXAMPLE
aws_secret_access_key = ${SECRET}
aws_session_token = SESSIONTOKENSECRET

[only-in-credentials]
aws_access_key_id = AKIDOTHER
aws_secret_access_key = ${SECRET}
`,
);
afterAll(() => cfg.cleanup());

describe('listProfiles', () => {
  it('lists every profile from both files with its kind, region, MFA flag and endpoint', async () => {
    const profiles = await listProfiles(cfg.env);
    const byName = Object.fromEntries(profiles.map((p) => [p.name, p]));
    expect(Object.keys(byName).sort()).toEqual(
      ['admin', 'ci-role', 'default', 'dev-sso', 'empty', 'k8s', 'local', 'only-in-credentials', 'vault'].sort(),
    );
    expect(profiles[0]!.name).toBe('default');
    expect(byName.default).toEqual({ name: 'default', region: 'us-east-1', kind: 'static', mfa: false });
    expect(byName.admin).toEqual({ name: 'admin', region: 'eu-west-1', kind: 'assume-role', mfa: true });
    expect(byName['ci-role']!.kind).toBe('assume-role');
    expect(byName['dev-sso']).toEqual({ name: 'dev-sso', region: 'us-west-2', kind: 'sso', mfa: false });
    expect(byName.vault!.kind).toBe('process');
    expect(byName.k8s!.kind).toBe('web-identity');
    expect(byName.local).toMatchObject({ kind: 'static', customEndpoint: 'http://127.0.0.1:4599' });
    expect(byName['only-in-credentials']!.kind).toBe('static');
    expect(byName.empty!.kind).toBe('unknown');
  });

  it('never returns secrets, session tokens or key ids', async () => {
    const text = JSON.stringify(await listProfiles(cfg.env));
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('SESSIONTOKENSECRET');
    expect(text).not.toContain('AKID');
    expect(text).not.toContain('vault-creds');
  });

  it('re-reads the files on every call and returns [] when none exist', async () => {
    const missing = { HOME: cfg.dir, AWS_CONFIG_FILE: cfg.dir + '/nope', AWS_SHARED_CREDENTIALS_FILE: cfg.dir + '/nope2' };
    expect(await listProfiles(missing)).toEqual([]);
  });
});
