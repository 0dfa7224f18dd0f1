import { describe, expect, it } from 'vitest';
import { globMatches, roleNameOf, parseS3Uri } from './arns';
import { hasDicmPrefix } from './dicom-sniff';
import { InputScan } from './input-limits';
import { preflightInputsFrom } from './inputs';
import { deniedPermissions, requiredPermissions } from './permissions';
import { checkRoleName, cloudFormationTemplate, rolePoliciesFor } from './role-policy';
import { GB } from './types';

describe('InputScan (the import job limits)', () => {
  it('within the limits: counts files, bytes and nested folders; folder markers are not files', () => {
    const s = new InputScan('in/');
    s.add({ key: 'in/', size: 0 });
    s.add({ key: 'in/a/1.dcm', size: 10 });
    s.add({ key: 'in/a/b/2.dcm', size: 20 });
    s.add({ key: 'in/c/', size: 0 });
    expect(s.totals).toMatchObject({ files: 2, bytes: 30, folders: 3 });
    expect(s.breaches()).toEqual([]);
  });

  it('names each broken limit: 5,001 files, total size, per-file size, nested folders', () => {
    const s = new InputScan('', { maxFiles: 5000, maxTotalBytes: 10 * GB, maxNestedFolders: 3, maxFileBytes: 10 * GB });
    for (let i = 0; i < 5001; i++) s.add({ key: `d${i % 5}/f${i}.dcm`, size: 1 });
    s.add({ key: 'big.dcm', size: 11 * GB });
    const b = s.breaches();
    expect(b.map((x) => x.limit).sort()).toEqual(['file-size', 'files', 'nested-folders', 'total-size']);
    expect(b.find((x) => x.limit === 'files')?.message).toContain('5,002 files, more than the 5,000 files');
    expect(b.find((x) => x.limit === 'file-size')?.message).toContain('big.dcm: 11 GB');
    expect(b.find((x) => x.limit === 'nested-folders')?.message).toContain('more than 3 nested folders');
  });

  it('limits are configurable', () => {
    const s = new InputScan('', { maxFiles: 1, maxTotalBytes: 100, maxNestedFolders: 10, maxFileBytes: 100 });
    s.add({ key: 'a', size: 1 });
    expect(s.breaches()).toEqual([]);
    s.add({ key: 'b', size: 1 });
    expect(s.breaches().map((x) => x.limit)).toEqual(['files']);
  });

  it('keeps a bounded sample, with names that look non-DICOM first', () => {
    const s = new InputScan('', undefined, 10);
    for (let i = 0; i < 10_000; i++) s.add({ key: `f${i}.dcm`, size: 200 });
    s.add({ key: 'README.txt', size: 200 });
    const sample = s.sampleKeys();
    expect(sample).toHaveLength(10);
    expect(sample.map((o) => o.key)).toContain('README.txt');
  });
});

describe('hasDicmPrefix', () => {
  it('looks for DICM at byte 128', () => {
    const b = new Uint8Array(136);
    b.set([0x44, 0x49, 0x43, 0x4d], 128);
    expect(hasDicmPrefix(b)).toBe(true);
    expect(hasDicmPrefix(b.subarray(0, 131))).toBe(false);
    expect(hasDicmPrefix(new TextEncoder().encode('hello'.repeat(40)))).toBe(false);
  });
});

describe('permissions and the role policy', () => {
  const scope = { account: '123456789012', region: 'us-east-1', inputS3Uri: 's3://in-bucket/dicom/', outputS3Uri: 's3://out-bucket/results/' };

  it('requires read on the input prefix, list on the input bucket, write on the output prefix; KMS when keys are given', () => {
    expect(requiredPermissions(scope).map((p) => `${p.action} ${p.resource}`)).toEqual([
      's3:ListBucket arn:aws:s3:::in-bucket',
      's3:GetObject arn:aws:s3:::in-bucket/dicom/*',
      's3:PutObject arn:aws:s3:::out-bucket/results/*',
    ]);
    const key = 'arn:aws:kms:us-east-1:123456789012:key/k1';
    expect(requiredPermissions({ ...scope, kmsKeyArns: [key, key] }).filter((p) => p.resource === key).map((p) => p.action)).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  it('names every denied action with its resource', () => {
    expect(deniedPermissions([
      { action: 's3:GetObject', resource: 'arn:aws:s3:::in-bucket/dicom/*', decision: 'implicitDeny' },
      { action: 's3:PutObject', resource: 'arn:aws:s3:::out-bucket/results/*', decision: 'explicitDeny' },
      { action: 's3:ListBucket', resource: 'arn:aws:s3:::in-bucket', decision: 'allowed' },
    ])).toEqual(['s3:GetObject on arn:aws:s3:::in-bucket/dicom/* (no statement allows it)', 's3:PutObject on arn:aws:s3:::out-bucket/results/* (a statement denies it)']);
  });

  it('the permissions policy allows exactly the required pairs; the trust has SourceAccount and SourceArn datastore/*', () => {
    const p = rolePoliciesFor(scope);
    expect(p.permissionsPolicy.Statement.map((s) => [s.Action, s.Resource])).toEqual([
      ['s3:ListBucket', 'arn:aws:s3:::in-bucket'],
      ['s3:GetObject', 'arn:aws:s3:::in-bucket/dicom/*'],
      ['s3:PutObject', 'arn:aws:s3:::out-bucket/results/*'],
    ]);
    expect(p.trustPolicy.Statement[0]).toMatchObject({
      Principal: { Service: 'medical-imaging.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': 'arn:aws:medical-imaging:us-east-1:123456789012:datastore/*' } },
    });
  });

  it('the CloudFormation template carries the same role', () => {
    const t = cloudFormationTemplate('ImportRole', scope) as { Resources: { DataAccessRole: { Type: string; Properties: Record<string, unknown> } } };
    const p = rolePoliciesFor(scope);
    expect(t.Resources.DataAccessRole.Type).toBe('AWS::IAM::Role');
    expect(t.Resources.DataAccessRole.Properties).toMatchObject({ RoleName: 'ImportRole', AssumeRolePolicyDocument: p.trustPolicy, Policies: [{ PolicyDocument: p.permissionsPolicy }] });
  });

  it('role names follow IAM rules', () => {
    expect(checkRoleName('HealthImaging-Import_1')).toBeUndefined();
    expect(checkRoleName('bad name')).toMatch(/--name must be 1-64/);
    expect(checkRoleName('x'.repeat(65))).toBeDefined();
  });
});

describe('preflight inputs and ARNs', () => {
  it('names the field and the rule of bad inputs', () => {
    expect(preflightInputsFrom({ inputS3Uri: 's3://bkt/i/', outputS3Uri: 'http://x' }).issues).toEqual([
      { field: 'dataAccessRoleArn', message: 'dataAccessRoleArn is required' },
      { field: 'outputS3Uri', message: expect.stringContaining('outputS3Uri must be an S3 URI') },
    ]);
    const ok = preflightInputsFrom({ dataAccessRoleArn: 'arn:aws:iam::123456789012:role/R', inputS3Uri: 's3://bkt/i/', outputS3Uri: 's3://bkt/o/', datastoreName: 'x' });
    expect(ok.issues).toEqual([]);
    expect(ok.inputs).toEqual({ dataAccessRoleArn: 'arn:aws:iam::123456789012:role/R', inputS3Uri: 's3://bkt/i/', outputS3Uri: 's3://bkt/o/' });
  });

  it('role names drop the path; S3 URIs split; globs match like IAM', () => {
    expect(roleNameOf('arn:aws:iam::123456789012:role/service/HealthImaging')).toBe('HealthImaging');
    expect(parseS3Uri('s3://bucket')).toEqual({ bucket: 'bucket', prefix: '' });
    expect(parseS3Uri('s3://bucket/a/b/')).toEqual({ bucket: 'bucket', prefix: 'a/b/' });
    expect(globMatches('arn:aws:s3:::b/*', 'arn:aws:s3:::b/dicom/*')).toBe(true);
    expect(globMatches('a?c*', 'abcdef')).toBe(true);
    expect(globMatches('a?c', 'abcd')).toBe(false);
  });
});
