/**
 * The application layer's preflight gate and role helper (core/app/preflight.ts, roles.ts), which
 * the app's handlers and the CLI share, through the real SDK clients against the sandbox.
 */
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import { ListDatastoresCommand } from '@aws-sdk/client-medical-imaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { createAwsSession, type AwsSession } from '../aws/session';
import { InvalidInputsError } from '../engine/inputs';
import { ROLE_POLICY_NAME, rolePoliciesFor } from '../preflight/role-policy';
import { createPreflightRegistry, preflightGate, preflightOfRun, PreflightBlockedError, PreflightCancelledError, SKIPPED_PREFLIGHT } from './preflight';
import { createDataAccessRole, recommendedRole, RoleHelperError } from './roles';

const OVERRIDE = 'choose “I understand, start anyway”';
const EC2_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

let sb: Sandbox;
let session: AwsSession;
/** A session whose every call would fail with a network error: proves a refusal sent nothing. */
let unreachable: AwsSession;
let demo: { dataAccessRoleArn: string; inputS3Uri: string; outputS3Uri: string };

beforeAll(async () => {
  sb = await startSandbox({ demoData: true });
  session = await createAwsSession({ sandbox: { endpoint: sb.url, region: sb.region, credentials: sb.credentials } });
  unreachable = await createAwsSession({ sandbox: { endpoint: 'http://127.0.0.1:9', region: sb.region, credentials: sb.credentials } });
  demo = { ...sb.demo };
});
afterAll(async () => {
  session?.close();
  unreachable?.close();
  await sb?.close();
});

const datastores = async () => (await session.medicalImaging.send(new ListDatastoresCommand({}))).datastoreSummaries?.length ?? 0;

describe('preflightGate', () => {
  it('the demo inputs pass: the record has every check and ready', async () => {
    const record = await preflightGate(session, { ...demo, datastoreName: 'x' }, { startAnyway: OVERRIDE });
    expect(record.ready).toBe(true);
    expect(record.checks.map((c) => c.id)).toEqual(['identity', 'region', 'datastore-quota', 'role-exists', 'role-trust', 'role-permissions', 'input-bucket', 'output-bucket', 'input-objects', 'input-dicom', 'kms-key']);
    expect(record.skipped).toBeUndefined();
  });

  it('a role trusting ec2.amazonaws.com is refused naming role-trust and the override; nothing is created', async () => {
    const before = await datastores();
    // The right permissions, the wrong trust: role-trust is the one failing check.
    const permissions = rolePoliciesFor({ account: sb.accountId, region: sb.region, inputS3Uri: demo.inputS3Uri, outputS3Uri: demo.outputS3Uri }).permissionsPolicy;
    const arn = sb.addRole('GateEc2Role', EC2_TRUST, { access: JSON.stringify(permissions) });
    const refused = await preflightGate(session, { ...demo, dataAccessRoleArn: arn }, { startAnyway: OVERRIDE }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PreflightBlockedError);
    const e = refused as PreflightBlockedError;
    expect(e.code).toBe('PreflightFailed');
    expect(e.message).toBe(`The preflight found a blocking problem: role-trust (Role trusts HealthImaging). Nothing was created. Fix it, or ${OVERRIDE}.`);
    expect(e.report.checks.find((c) => c.id === 'role-trust')).toMatchObject({ status: 'fail', fix: expect.stringContaining('medical-imaging.amazonaws.com') });
    expect(await datastores()).toBe(before);
  });

  it('skip sends nothing and records that the preflight was skipped', async () => {
    expect(await preflightGate(unreachable, { ...demo }, { skip: true, startAnyway: OVERRIDE })).toEqual(SKIPPED_PREFLIGHT);
  });

  it('an AWS error (no answer) is a PreflightError, not a finding', async () => {
    const e = (await preflightGate(unreachable, { ...demo }, { startAnyway: OVERRIDE }).catch((x: unknown) => x)) as PreflightBlockedError;
    expect(e).toBeInstanceOf(PreflightBlockedError);
    expect(e.code).toBe('PreflightError');
    expect(e.message).toMatch(/^The preflight could not complete: identity: /);
  }, 60_000);

  it('bad inputs are refused naming the field and its rule, before anything is sent', async () => {
    const e = (await preflightOfRun(unreachable, { ...demo, inputS3Uri: 'http://not-s3' }).catch((x: unknown) => x)) as InvalidInputsError;
    expect(e).toBeInstanceOf(InvalidInputsError);
    expect(e.issues).toEqual([{ field: 'inputS3Uri', message: expect.stringContaining('inputS3Uri must be an S3 URI') }]);
  });
});

describe('createPreflightRegistry', () => {
  it('a newer request with the same id cancels the older one; cancel() stops one under way', async () => {
    const registry = createPreflightRegistry();
    const first = registry.run('review', (signal) => preflightOfRun(session, demo, { signal, dicomSampleSize: 30 }));
    const second = registry.run('review', (signal) => preflightOfRun(session, demo, { signal }));
    await expect(first).rejects.toBeInstanceOf(PreflightCancelledError);
    expect((await second).ready).toBe(true);

    const third = registry.run('again', (signal) => preflightOfRun(session, demo, { signal }));
    registry.cancel('again');
    await expect(third).rejects.toThrow('The preflight was cancelled.');
  });
});

describe('the role helper', () => {
  it('recommends the role for the buckets in the caller\'s account: SourceAccount and datastore/*', async () => {
    const { account, policies } = await recommendedRole(session, { inputS3Uri: demo.inputS3Uri, outputS3Uri: demo.outputS3Uri });
    expect(account).toBe(sb.accountId);
    expect(policies.trustPolicy.Statement[0]).toMatchObject({
      Principal: { Service: 'medical-imaging.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': sb.accountId }, ArnLike: { 'aws:SourceArn': `arn:aws:medical-imaging:${sb.region}:${sb.accountId}:datastore/*` } },
    });
    expect(JSON.stringify(policies.permissionsPolicy)).toContain('s3:GetObject');
  });

  it('a bad scope is refused naming each field, before anything is sent', async () => {
    const e = (await recommendedRole(unreachable, { inputS3Uri: '', outputS3Uri: 's3://Bad_Bucket/x' }).catch((x: unknown) => x)) as InvalidInputsError;
    expect(e).toBeInstanceOf(InvalidInputsError);
    expect(e.issues.map((i) => i.field)).toEqual(['inputS3Uri', 'outputS3Uri']);
    expect(e.issues[0]!.message).toBe('inputS3Uri is required');
  });

  it('creates the role with both policies; the preflight with it is ready; the same name again is EntityAlreadyExists in words', async () => {
    const { scope } = await recommendedRole(session, { inputS3Uri: demo.inputS3Uri, outputS3Uri: demo.outputS3Uri });
    const created = await createDataAccessRole(session, 'AppMadeImportRole', scope);
    expect(created).toEqual({ roleArn: `arn:aws:iam::${sb.accountId}:role/AppMadeImportRole`, roleName: 'AppMadeImportRole', policyName: ROLE_POLICY_NAME });

    const role = await session.iam.send(new GetRoleCommand({ RoleName: 'AppMadeImportRole' }));
    expect(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)).toContain('medical-imaging.amazonaws.com');
    const inline = await session.iam.send(new GetRolePolicyCommand({ RoleName: 'AppMadeImportRole', PolicyName: ROLE_POLICY_NAME }));
    expect(decodeURIComponent(inline.PolicyDocument!)).toContain('s3:PutObject');

    const record = await preflightGate(session, { ...demo, dataAccessRoleArn: created.roleArn }, { startAnyway: OVERRIDE });
    expect(record.ready).toBe(true);

    const again = (await createDataAccessRole(session, 'AppMadeImportRole', scope).catch((x: unknown) => x)) as RoleHelperError;
    expect(again).toBeInstanceOf(RoleHelperError);
    expect(again.stage).toBe('CreateRole');
    expect(again.message).toMatch(/^A role named AppMadeImportRole already exists in this account\. Choose another name/);
  });

  it('a role name outside IAM\'s rule is refused naming it, before anything is sent', async () => {
    const scope = { account: sb.accountId, region: sb.region, inputS3Uri: demo.inputS3Uri, outputS3Uri: demo.outputS3Uri };
    const e = (await createDataAccessRole(unreachable, 'has space', scope).catch((x: unknown) => x)) as InvalidInputsError;
    expect(e).toBeInstanceOf(InvalidInputsError);
    expect(e.issues).toEqual([{ field: 'roleName', message: 'roleName may contain only letters, digits and + = , . @ _ - (got "has space")' }]);
    const long = (await createDataAccessRole(unreachable, 'r'.repeat(65), scope).catch((x: unknown) => x)) as InvalidInputsError;
    expect(long.issues[0]!.message).toBe('roleName must be 1-64 characters long (it has 65)');
  });
});
