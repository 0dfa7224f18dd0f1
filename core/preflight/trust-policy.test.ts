import { describe, expect, it } from 'vitest';
import { evaluateTrustPolicy } from './trust-policy';
import { trustPolicyFor } from './role-policy';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const target = { account: ACCOUNT, region: REGION };
const doc = (statement: Record<string, unknown> | Array<Record<string, unknown>>) => JSON.stringify({ Version: '2012-10-17', Statement: statement });
const allow = (extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Principal: { Service: 'medical-imaging.amazonaws.com' }, Action: 'sts:AssumeRole', ...extra });
const OTHER_STORE = 'arn:aws:medical-imaging:us-east-1:123456789012:datastore/0123456789abcdef0123456789abcdef';

describe('evaluateTrustPolicy', () => {
  it('passes the policy we generate, for a new data store and for an existing one', () => {
    expect(evaluateTrustPolicy(JSON.stringify(trustPolicyFor({ account: ACCOUNT, region: REGION, inputS3Uri: 's3://b/i/', outputS3Uri: 's3://b/o/' })), target, 'R').status).toBe('pass');
    const id = 'a'.repeat(32);
    const pinned = trustPolicyFor({ account: ACCOUNT, region: REGION, inputS3Uri: 's3://b/i/', outputS3Uri: 's3://b/o/', datastoreId: id });
    expect(evaluateTrustPolicy(JSON.stringify(pinned), { ...target, datastoreId: id }, 'R').status).toBe('pass');
  });

  it('passes a plain trust without conditions, noting the recommended conditions', () => {
    const v = evaluateTrustPolicy(doc(allow()), target, 'R');
    expect(v.status).toBe('pass');
    expect(v.detail).toMatch(/recommends/);
  });

  it('fails a role trusting ec2.amazonaws.com, naming what it trusts and how to fix it', () => {
    const v = evaluateTrustPolicy(doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }), target, 'MyRole');
    expect(v.status).toBe('fail');
    expect(v.detail).toContain('does not allow medical-imaging.amazonaws.com');
    expect(v.detail).toContain('ec2.amazonaws.com');
    expect(v.fix).toContain('Trust relationships');
  });

  it('fails a SourceArn pinned to another data store, saying so', () => {
    const v = evaluateTrustPolicy(doc(allow({ Condition: { ArnEquals: { 'aws:SourceArn': OTHER_STORE } } })), target, 'R');
    expect(v.status).toBe('fail');
    expect(v.detail).toContain('pinned to data store 0123456789abcdef0123456789abcdef');
    expect(v.fix).toContain('datastore/*');
  });

  it('the pinned data store is fine for an import into that very data store', () => {
    const id = '0123456789abcdef0123456789abcdef';
    expect(evaluateTrustPolicy(doc(allow({ Condition: { ArnEquals: { 'aws:SourceArn': OTHER_STORE } } })), { ...target, datastoreId: id }, 'R').status).toBe('pass');
  });

  it('accepts wildcard SourceArn patterns any new data store satisfies; refuses partial ones', () => {
    for (const arn of ['arn:aws:medical-imaging:us-east-1:123456789012:datastore/*', 'arn:aws:medical-imaging:*:123456789012:*', '*'])
      expect(evaluateTrustPolicy(doc(allow({ Condition: { ArnLike: { 'aws:SourceArn': arn } } })), target, 'R').status, arn).toBe('pass');
    for (const arn of ['arn:aws:medical-imaging:us-east-1:123456789012:datastore/0*', 'arn:aws:medical-imaging:eu-west-1:123456789012:datastore/*', 'arn:aws:medical-imaging:us-east-1:999999999999:datastore/*'])
      expect(evaluateTrustPolicy(doc(allow({ Condition: { ArnLike: { 'aws:SourceArn': arn } } })), target, 'R').status, arn).toBe('fail');
  });

  it('StringEquals with a "*" is literal, and the message says so', () => {
    const v = evaluateTrustPolicy(doc(allow({ Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:medical-imaging:us-east-1:123456789012:datastore/*' } } })), target, 'R');
    expect(v.status).toBe('fail');
    expect(v.detail).toMatch(/literally/);
  });

  it('checks aws:SourceAccount against the account', () => {
    expect(evaluateTrustPolicy(doc(allow({ Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } } })), target, 'R').status).toBe('pass');
    const v = evaluateTrustPolicy(doc(allow({ Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } } })), target, 'R');
    expect(v.status).toBe('fail');
    expect(v.detail).toContain('does not match account 123456789012');
  });

  it('an explicit Deny wins over an Allow', () => {
    const v = evaluateTrustPolicy(doc([allow(), { Effect: 'Deny', Principal: { Service: ['medical-imaging.amazonaws.com'] }, Action: 'sts:*' }]), target, 'R');
    expect(v.status).toBe('fail');
    expect(v.detail).toContain('explicitly denies');
  });

  it('condition keys it cannot know make a warning, not a pass or a failure', () => {
    const v = evaluateTrustPolicy(doc(allow({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } })), target, 'R');
    expect(v.status).toBe('warn');
    expect(v.detail).toContain('aws:PrincipalOrgID');
  });

  it('reads actions case-insensitively and with wildcards; a statement object instead of a list', () => {
    expect(evaluateTrustPolicy(JSON.stringify({ Statement: allow({ Action: ['STS:assumerole'] }) }), target, 'R').status).toBe('pass');
    expect(evaluateTrustPolicy(doc(allow({ Action: 'sts:Assume*' })), target, 'R').status).toBe('pass');
    expect(evaluateTrustPolicy(doc(allow({ Action: 'sts:TagSession' })), target, 'R').status).toBe('fail');
  });

  it('a document that is not JSON fails with a fix', () => {
    expect(evaluateTrustPolicy('{not json', target, 'R')).toMatchObject({ status: 'fail', fix: expect.stringContaining('sts:AssumeRole') });
  });
});
