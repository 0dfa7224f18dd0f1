import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_IAM_POLICY, startSandbox, type Sandbox } from './index';
import { clients } from './test-clients';

let sb: Sandbox;
let c: ReturnType<typeof clients>;
beforeAll(async () => {
  sb = await startSandbox({ manualClock: true });
  c = clients(sb);
});
afterAll(async () => {
  await sb.close();
});

const trust = (service: string, condition?: object) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }] });
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('sandbox IAM roles (awsQuery, signed for us-east-1)', () => {
  it('creates, reads, lists and deletes a role and its inline policies', async () => {
    const created = await c.iam.send(new CreateRoleCommand({ RoleName: 'ImportRole', AssumeRolePolicyDocument: trust('medical-imaging.amazonaws.com'), Description: 'for imports' }));
    expect(created.Role).toMatchObject({ RoleName: 'ImportRole', Path: '/', Arn: `arn:aws:iam::${sb.accountId}:role/ImportRole`, MaxSessionDuration: 3600 });
    expect(created.Role!.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);
    expect(created.Role!.CreateDate).toBeInstanceOf(Date);

    const got = await c.iam.send(new GetRoleCommand({ RoleName: 'importrole' }));
    // As IAM does: the trust policy comes back URL-encoded.
    expect(got.Role!.AssumeRolePolicyDocument).toBe(encodeURIComponent(trust('medical-imaging.amazonaws.com')));
    expect(JSON.parse(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!)).Statement[0].Principal.Service).toBe('medical-imaging.amazonaws.com');

    const doc = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::in/*' });
    await c.iam.send(new PutRolePolicyCommand({ RoleName: 'ImportRole', PolicyName: 'read', PolicyDocument: doc }));
    expect((await c.iam.send(new ListRolePoliciesCommand({ RoleName: 'ImportRole' }))).PolicyNames).toEqual(['read']);
    expect(decodeURIComponent((await c.iam.send(new GetRolePolicyCommand({ RoleName: 'ImportRole', PolicyName: 'read' }))).PolicyDocument!)).toBe(doc);

    await expect(c.iam.send(new DeleteRoleCommand({ RoleName: 'ImportRole' }))).rejects.toMatchObject({ name: 'DeleteConflictException', $metadata: { httpStatusCode: 409 } });
    await c.iam.send(new DeleteRolePolicyCommand({ RoleName: 'ImportRole', PolicyName: 'read' }));
    await c.iam.send(new DeleteRoleCommand({ RoleName: 'ImportRole' }));
    await expect(c.iam.send(new GetRoleCommand({ RoleName: 'ImportRole' }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role with name ImportRole cannot be found.',
      $metadata: { httpStatusCode: 404 },
    });
  });

  it('answers IAM errors with their codes and messages', async () => {
    await c.iam.send(new CreateRoleCommand({ RoleName: 'Twice', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }));
    await expect(c.iam.send(new CreateRoleCommand({ RoleName: 'TWICE', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }))).rejects.toMatchObject({
      name: 'EntityAlreadyExistsException',
      message: 'Role with name TWICE already exists.',
      $metadata: { httpStatusCode: 409 },
    });
    await expect(c.iam.send(new CreateRoleCommand({ RoleName: 'bad name', AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }))).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining("Value 'bad name' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"),
    });
    await expect(c.iam.send(new CreateRoleCommand({ RoleName: 'x'.repeat(65), AssumeRolePolicyDocument: trust('ec2.amazonaws.com') }))).rejects.toMatchObject({
      message: expect.stringContaining('length less than or equal to 64'),
    });
    await expect(c.iam.send(new CreateRoleCommand({ RoleName: 'Bad', AssumeRolePolicyDocument: '{not json' }))).rejects.toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'This policy contains invalid Json',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(c.iam.send(new PutRolePolicyCommand({ RoleName: 'Twice', PolicyName: 'p', PolicyDocument: policy({ Effect: 'Allow', Action: 's3:GetObject' }) }))).rejects.toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'Policy statement must contain resources.',
    });
    await expect(c.iam.send(new PutRolePolicyCommand({ RoleName: 'Nobody', PolicyName: 'p', PolicyDocument: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
    });
    await expect(c.iam.send(new GetRolePolicyCommand({ RoleName: 'Twice', PolicyName: 'none' }))).rejects.toMatchObject({ message: 'The role policy with name none cannot be found.' });
  });

  it('refuses a signature scoped to the sandbox region when it is not us-east-1, as IAM does', async () => {
    const other = await startSandbox({ manualClock: true, region: 'eu-west-1' });
    try {
      const wrong = new IAMClient({ region: 'eu-west-1', endpoint: other.endpoints.iam, credentials: other.credentials, maxAttempts: 1 });
      await expect(wrong.send(new GetRoleCommand({ RoleName: 'HealthImagingSandboxImportRole' }))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
      const right = clients(other).iam;
      expect((await right.send(new GetRoleCommand({ RoleName: 'HealthImagingSandboxImportRole' }))).Role!.Arn).toBe(other.demo.dataAccessRoleArn);
    } finally {
      await other.close();
    }
  });

  it('the demo role trusts HealthImaging for this account and may read the demo input and write its output', async () => {
    const role = (await c.iam.send(new GetRoleCommand({ RoleName: 'HealthImagingSandboxImportRole' }))).Role!;
    expect(role.Arn).toBe(sb.demo.dataAccessRoleArn);
    const doc = JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!));
    expect(doc.Statement[0]).toMatchObject({ Effect: 'Allow', Principal: { Service: 'medical-imaging.amazonaws.com' }, Action: 'sts:AssumeRole' });
    expect(doc.Statement[0].Condition.StringEquals['aws:SourceAccount']).toBe(sb.accountId);
    const sim = await c.iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: sb.demo.dataAccessRoleArn,
        ActionNames: ['s3:GetObject', 's3:ListBucket', 's3:PutObject'],
        ResourceArns: [`arn:aws:s3:::${sb.demo.bucket}`, `arn:aws:s3:::${sb.demo.bucket}/dicom/*`, `arn:aws:s3:::${sb.demo.bucket}/output/*`],
      }),
    );
    const byAction = Object.fromEntries(sim.EvaluationResults!.map((r) => [r.EvalActionName, r]));
    const decision = (action: string, resource: string) => byAction[action]!.ResourceSpecificResults!.find((r: { EvalResourceName?: string }) => r.EvalResourceName === resource)!.EvalResourceDecision;
    expect(decision('s3:ListBucket', `arn:aws:s3:::${sb.demo.bucket}`)).toBe('allowed');
    expect(decision('s3:GetObject', `arn:aws:s3:::${sb.demo.bucket}/dicom/*`)).toBe('allowed');
    expect(decision('s3:PutObject', `arn:aws:s3:::${sb.demo.bucket}/output/*`)).toBe('allowed');
    expect(decision('s3:PutObject', `arn:aws:s3:::${sb.demo.bucket}/dicom/*`)).toBe('implicitDeny');
  });
});

describe('SimulatePrincipalPolicy over a role\'s inline policies', () => {
  const arn = () => `arn:aws:iam::${sb.accountId}:role/SimRole`;
  beforeAll(async () => {
    await c.iam.send(new CreateRoleCommand({ RoleName: 'SimRole', AssumeRolePolicyDocument: trust('medical-imaging.amazonaws.com') }));
    await c.iam.send(
      new PutRolePolicyCommand({
        RoleName: 'SimRole',
        PolicyName: 'read',
        PolicyDocument: policy(
          { Sid: 'ReadAll', Effect: 'Allow', Action: ['s3:Get*', 'S3:LISTBUCKET'], Resource: ['arn:aws:s3:::in-bucket', 'arn:aws:s3:::in-bucket/*'] },
          { Sid: 'WriteOut', Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::out-bucket/results/*' },
          { Sid: 'ListScoped', Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::scoped', Condition: { StringLike: { 's3:prefix': ['dicom/*'] } } },
          { Sid: 'FromOffice', Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } },
        ),
      }),
    );
    await c.iam.send(new PutRolePolicyCommand({ RoleName: 'SimRole', PolicyName: 'guard', PolicyDocument: policy({ Sid: 'NoSecrets', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::in-bucket/secret/*' }) }));
  });

  const simulate = async (ActionNames: string[], ResourceArns?: string[], extra: object = {}) =>
    (await c.iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn(), ActionNames, ...(ResourceArns ? { ResourceArns } : {}), ...extra }))).EvaluationResults!;

  it('allows by wildcard action (case-insensitive) and resource, naming the matched policy', async () => {
    const [r] = await simulate(['s3:GetObject'], ['arn:aws:s3:::in-bucket/dicom/a.dcm']);
    expect(r).toMatchObject({ EvalActionName: 's3:GetObject', EvalResourceName: 'arn:aws:s3:::in-bucket/dicom/a.dcm', EvalDecision: 'allowed' });
    expect(r!.MatchedStatements).toEqual([{ SourcePolicyId: 'read', SourcePolicyType: 'role' }]);
    expect((await simulate(['s3:listbucket'], ['arn:aws:s3:::in-bucket']))[0]!.EvalDecision).toBe('allowed');
  });

  it('an explicit Deny wins over an Allow; nothing matching is an implicit deny', async () => {
    const [denied] = await simulate(['s3:GetObject'], ['arn:aws:s3:::in-bucket/secret/x']);
    expect(denied).toMatchObject({ EvalDecision: 'explicitDeny', MatchedStatements: [{ SourcePolicyId: 'guard', SourcePolicyType: 'role' }] });
    const [none] = await simulate(['s3:PutObject'], ['arn:aws:s3:::out-bucket/elsewhere/x']);
    expect(none).toMatchObject({ EvalDecision: 'implicitDeny', MatchedStatements: [] });
  });

  it('one result per action, the most restrictive across resources, each resource in ResourceSpecificResults', async () => {
    const results = await simulate(['s3:GetObject', 's3:PutObject'], ['arn:aws:s3:::in-bucket/a', 'arn:aws:s3:::out-bucket/results/a']);
    expect(results.map((r) => [r.EvalActionName, r.EvalDecision])).toEqual([
      ['s3:GetObject', 'implicitDeny'],
      ['s3:PutObject', 'implicitDeny'],
    ]);
    expect(results[1]!.ResourceSpecificResults!.map((r) => [r.EvalResourceName, r.EvalResourceDecision])).toEqual([
      ['arn:aws:s3:::in-bucket/a', 'implicitDeny'],
      ['arn:aws:s3:::out-bucket/results/a', 'allowed'],
    ]);
  });

  it('a condition key missing from the context fails the condition and is listed; context entries satisfy it', async () => {
    const [missing] = await simulate(['s3:ListBucket'], ['arn:aws:s3:::scoped']);
    expect(missing).toMatchObject({ EvalDecision: 'implicitDeny', MissingContextValues: ['s3:prefix'] });
    const [given] = await simulate(['s3:ListBucket'], ['arn:aws:s3:::scoped'], { ContextEntries: [{ ContextKeyName: 's3:prefix', ContextKeyValues: ['dicom/'], ContextKeyType: 'string' }] });
    expect(given).toMatchObject({ EvalDecision: 'allowed', MissingContextValues: [] });
    const [outside] = await simulate(['s3:ListBucket'], ['arn:aws:s3:::scoped'], { ContextEntries: [{ ContextKeyName: 's3:prefix', ContextKeyValues: ['other/'], ContextKeyType: 'string' }] });
    expect(outside!.EvalDecision).toBe('implicitDeny');
  });

  it('a condition operator the sandbox does not evaluate is ignored and its key reported', async () => {
    const [r] = await simulate(['kms:Decrypt']);
    expect(r).toMatchObject({ EvalResourceName: '*', EvalDecision: 'allowed', MissingContextValues: ['aws:SourceIp'] });
  });

  it('names a role that does not exist, and rejects what is not a role ARN', async () => {
    await expect(c.iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: `arn:aws:iam::${sb.accountId}:role/Ghost`, ActionNames: ['s3:GetObject'] }))).rejects.toMatchObject({
      name: 'NoSuchEntityException',
      message: 'The role with name Ghost cannot be found.',
    });
    await expect(c.iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: 'not-an-arn-at-all-really', ActionNames: ['s3:GetObject'] }))).rejects.toMatchObject({ name: 'InvalidInputException' });
  });
});

describe('a caller whose identity policy does not allow IAM', () => {
  it('gets AccessDenied in AWS\'s words for IAM reads and writes, and keeps its own identity', async () => {
    const user = sb.addUser('no-iam', NO_IAM_POLICY);
    const limited = clients(sb, { credentials: user });
    await expect(limited.iam.send(new GetRoleCommand({ RoleName: 'HealthImagingSandboxImportRole' }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: `User: ${user.arn} is not authorized to perform: iam:GetRole on resource: role HealthImagingSandboxImportRole because no identity-based policy allows the iam:GetRole action`,
      $metadata: { httpStatusCode: 403 },
    });
    await expect(limited.iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: sb.demo.dataAccessRoleArn, ActionNames: ['s3:GetObject'] }))).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('iam:SimulatePrincipalPolicy'),
    });
    await expect(limited.iam.send(new CreateRoleCommand({ RoleName: 'Mine', AssumeRolePolicyDocument: trust('medical-imaging.amazonaws.com') }))).rejects.toMatchObject({ name: 'AccessDenied' });
    expect((await limited.sts.send(new GetCallerIdentityCommand({}))).Arn).toBe(user.arn);

    const explicit = sb.addUser('deny-iam', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:Get*', Resource: '*' }] }));
    await expect(clients(sb, { credentials: explicit }).iam.send(new GetRoleCommand({ RoleName: 'HealthImagingSandboxImportRole' }))).rejects.toMatchObject({
      message: expect.stringMatching(/iam:GetRole on resource: role HealthImagingSandboxImportRole with an explicit deny in an identity-based policy$/),
    });
  });
});
