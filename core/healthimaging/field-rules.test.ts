import { describe, expect, it } from 'vitest';
import { generateClientToken } from './client-token';
import { checkField, fieldForInput, validateOnboardingInputs } from './field-rules';
import { isFailureStatus, observedStatusOf } from './statuses';

describe('HealthImaging field rules', () => {
  it.each([
    ['datastoreName', 'my-store_1.v2/#a', undefined],
    ['datastoreName', 'has space', /datastoreName must be letters, digits and \. _ \/ # - only/],
    ['datastoreName', 'x'.repeat(257), /datastoreName must be 1-256 characters long \(it has 257\)/],
    ['clientToken', 'abc-DEF_1.2', undefined],
    ['clientToken', 'a'.repeat(65), /1-64 characters/],
    ['clientToken', 'a/b', /clientToken must be letters, digits and \. _ - only/],
    ['datastoreId', 'a'.repeat(32), undefined],
    ['datastoreId', 'A'.repeat(32), /32 lowercase letters or digits/],
    ['jobId', 'abc123', undefined],
    ['jobName', 'job#1', undefined],
    ['jobName', 'x'.repeat(65), /1-64/],
    ['dataAccessRoleArn', 'arn:aws:iam::123456789012:role/ImportRole', undefined],
    ['dataAccessRoleArn', 'arn:aws-cn:iam::123456789012:role/path/Role', undefined],
    ['dataAccessRoleArn', 'arn:aws:iam::123456789012:user/bob', /IAM role ARN/],
    ['dataAccessRoleArn', 'arn:aws:iam::12345:role/r', /IAM role ARN/],
    ['inputS3Uri', 's3://my-bucket/dicom/', undefined],
    ['inputS3Uri', 's3://My-Bucket/dicom/', /S3 URI/],
    ['outputS3Uri', 'https://bucket.s3.amazonaws.com/x', /outputS3Uri must be an S3 URI/],
    ['outputS3Uri', 's3://ab', /S3 URI/],
    ['kmsKeyArn', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', undefined],
    ['kmsKeyArn', 'arn:aws:kms:us-east-1:123456789012:alias/my-key', undefined],
    ['kmsKeyArn', 'alias/my-key', /KMS key ARN/],
    ['inputOwnerAccountId', '123456789012', undefined],
    ['inputOwnerAccountId', '12345678901a', /12 digits/],
    ['losslessStorageFormat', 'HTJ2K', undefined],
    ['losslessStorageFormat', 'PNG', /one of HTJ2K, JPEG_2000_LOSSLESS/],
    ['tags', { team: 'imaging' }, undefined],
    ['tags', { 'aws:owner': 'x' }, /may not start with "aws:"/],
    ['tags', { k: 'v'.repeat(257) }, /at most 256/],
    ['datastoreName', 42, /must be text/],
  ])('%s = %j', (field, value, expected) => {
    const message = checkField(field, value);
    if (expected === undefined) expect(message).toBeUndefined();
    else expect(message).toMatch(expected);
  });

  it('leaves absent values to the required checks and names the label it is given', () => {
    expect(checkField('datastoreName', '')).toBeUndefined();
    expect(checkField('datastoreName', undefined)).toBeUndefined();
    expect(checkField('clientToken', 'a b', 'importClientToken')).toMatch(/^importClientToken must be/);
  });

  it('maps input names to fields', () => {
    expect(fieldForInput('datastoreClientToken')).toBe('clientToken');
    expect(fieldForInput('importClientToken')).toBe('clientToken');
    expect(fieldForInput('inputS3Uri')).toBe('inputS3Uri');
    expect(fieldForInput('somethingElse')).toBeUndefined();
  });

  it('validates the wizard inputs: required fields, rules, and input/output distinct', () => {
    expect(
      validateOnboardingInputs({
        datastoreName: '',
        datastoreClientToken: '',
        dataAccessRoleArn: 'arn:aws:iam::123456789012:role/R',
        importClientToken: 'bad token',
        inputS3Uri: 's3://bucket-a/in',
        outputS3Uri: 's3://bucket-a/in/',
      }),
    ).toEqual([
      { field: 'datastoreName', message: 'datastoreName is required' },
      { field: 'importClientToken', message: expect.stringMatching(/^importClientToken must be/) },
      { field: 'outputS3Uri', message: expect.stringContaining('must differ from inputS3Uri') },
    ]);
  });

  it('generates client tokens the service accepts, different every time', () => {
    const a = generateClientToken();
    expect(checkField('clientToken', a)).toBeUndefined();
    expect(generateClientToken()).not.toBe(a);
  });
});

describe('statuses', () => {
  it('finds the observed status in every response shape', () => {
    expect(observedStatusOf({ datastoreId: 'x', datastoreStatus: 'CREATING' })).toBe('CREATING');
    expect(observedStatusOf({ datastoreProperties: { datastoreStatus: 'ACTIVE' } })).toBe('ACTIVE');
    expect(observedStatusOf({ jobProperties: { jobStatus: 'IN_PROGRESS' } })).toBe('IN_PROGRESS');
    expect(observedStatusOf({ jobId: 'j', jobStatus: 'SUBMITTED' })).toBe('SUBMITTED');
    expect(observedStatusOf({ __type: 'ThrottlingException' })).toBeUndefined();
    expect(observedStatusOf(undefined)).toBeUndefined();
  });

  it('knows the failure statuses', () => {
    for (const s of ['CREATE_FAILED', 'FAILED', 'DELETING', 'DELETED', 'UPDATE_FAILED']) expect(isFailureStatus(s)).toBe(true);
    for (const s of ['ACTIVE', 'COMPLETED', 'CREATING', 'IN_PROGRESS', undefined]) expect(isFailureStatus(s)).toBe(false);
  });
});
