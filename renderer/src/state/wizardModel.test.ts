import { describe, expect, it } from 'vitest';
import { SANDBOX_PROFILE, type OnboardingInputs } from '../../../contract/ipc';
import {
  accountOfArn,
  creationStatement,
  runInputs,
  startButtonText,
  datastoreStepErrors,
  emptyForm,
  formFromInputs,
  importStepErrors,
  issuesToErrors,
  mergeDefaults,
  pollingErrors,
  roleAccountError,
  tagsError,
  toInputs,
  type WizardForm,
} from './wizardModel';

const filled = (): WizardForm => ({
  ...emptyForm('dev', 'us-east-1'),
  datastoreName: 'radiology-prod',
  datastoreClientToken: 'tok-1',
  importClientToken: 'tok-2',
  dataAccessRoleArn: 'arn:aws:iam::123456789012:role/HealthImagingImport',
  inputS3Uri: 's3://my-dicom-in/batch1/',
  outputS3Uri: 's3://my-dicom-out/results/',
});

describe('wizard form rules', () => {
  it('accepts a valid form', () => {
    expect(datastoreStepErrors(filled())).toEqual({});
    expect(importStepErrors(filled())).toEqual({});
  });

  it('names the field and the rule for bad values', () => {
    const form = { ...filled(), datastoreName: 'bad name!', dataAccessRoleArn: 'arn:aws:iam::123:role/x', inputS3Uri: 'https://bucket/x', outputS3Uri: 's3://UPPER/x', inputOwnerAccountId: '12345' };
    expect(datastoreStepErrors(form).datastoreName).toBe('Data store name must be letters, digits and . _ / # - only.');
    const errors = importStepErrors(form);
    expect(errors.dataAccessRoleArn).toMatch(/Data-access role ARN must be at least 20 characters|IAM role ARN/);
    expect(errors.inputS3Uri).toMatch(/^Input S3 URI must be an S3 URI such as s3:\/\/bucket\/prefix\//);
    expect(errors.outputS3Uri).toMatch(/^Output S3 URI must be/);
    expect(errors.inputOwnerAccountId).toMatch(/^Input owner account must be .*12/);
    expect(importStepErrors({ ...filled(), dataAccessRoleArn: 'arn:aws:iam::123456789012:user/alice' }).dataAccessRoleArn).toMatch(/IAM role ARN/);
  });

  it('requires the required fields and skips empty optional ones', () => {
    const form = { ...filled(), datastoreName: '', jobName: '', kmsKeyArn: '' };
    expect(datastoreStepErrors(form)).toEqual({ datastoreName: 'Data store name is required.' });
  });

  it('checks tags: aws: prefix, duplicates, lengths', () => {
    expect(tagsError([{ key: 'aws:x', value: '' }])).toMatch(/may not start with "aws:"/);
    expect(tagsError([{ key: 'a', value: '1' }, { key: 'a', value: '2' }])).toMatch(/used twice/);
    expect(tagsError([{ key: '', value: '2' }])).toMatch(/Tag 1: Tag key is required/);
    expect(importStepErrors({ ...filled(), outputS3Uri: 's3://my-dicom-in/batch1' }).outputS3Uri).toMatch(/must differ from the input S3 URI/);
    expect(tagsError([{ key: 'k'.repeat(129), value: '' }])).toMatch(/at most 128/);
    expect(tagsError([{ key: 'team', value: 'imaging' }])).toBeUndefined();
  });

  it('builds inputs with optional fields only when filled', () => {
    expect(toInputs(filled())).toEqual({
      datastoreName: 'radiology-prod',
      datastoreClientToken: 'tok-1',
      dataAccessRoleArn: 'arn:aws:iam::123456789012:role/HealthImagingImport',
      importClientToken: 'tok-2',
      inputS3Uri: 's3://my-dicom-in/batch1/',
      outputS3Uri: 's3://my-dicom-out/results/',
      losslessStorageFormat: 'HTJ2K',
    });
    const inputs = toInputs({ ...filled(), jobName: ' j1 ', tags: [{ key: 'team', value: 'x' }], kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/abc' });
    expect(inputs).toMatchObject({ jobName: 'j1', tags: { team: 'x' }, kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/abc' });
  });

  it('round-trips recorded run inputs into the form', () => {
    const inputs = toInputs({ ...filled(), tags: [{ key: 'team', value: 'x' }], losslessStorageFormat: 'JPEG_2000_LOSSLESS' });
    const form = formFromInputs(emptyForm('dev', 'us-east-1'), inputs as unknown as Record<string, unknown>);
    expect(toInputs(form)).toEqual(inputs);
  });

  it('merges new defaults without clobbering what the user typed', () => {
    const first: OnboardingInputs = { ...toInputs(filled()), datastoreName: 'sandbox-1' };
    let form = mergeDefaults(emptyForm(SANDBOX_PROFILE, 'us-east-1'), undefined, first);
    expect(form.datastoreName).toBe('sandbox-1');
    expect(form.inputS3Uri).toBe('s3://my-dicom-in/batch1/');
    form = { ...form, datastoreName: 'typed-by-me' };
    const second: OnboardingInputs = { ...first, datastoreName: 'sandbox-2', inputS3Uri: 's3://other-bucket/in/' };
    form = mergeDefaults(form, first, second);
    expect(form.datastoreName).toBe('typed-by-me');
    expect(form.inputS3Uri).toBe('s3://other-bucket/in/');
  });

  it('refuses a role of another account than the signed-in one (it could not be passed)', () => {
    expect(accountOfArn('arn:aws:iam::111122223333:role/x')).toBe('111122223333');
    expect(roleAccountError('arn:aws:iam::111122223333:role/x', '444455556666')).toMatch(/account 111122223333.*account 444455556666/);
    expect(roleAccountError('arn:aws:iam::111122223333:role/x', '111122223333')).toBeUndefined();
    expect(roleAccountError('arn:aws:iam::111122223333:role/x', undefined)).toBeUndefined();
    const form = { ...filled(), dataAccessRoleArn: 'arn:aws:iam::111122223333:role/x' };
    expect(importStepErrors(form, '444455556666').dataAccessRoleArn).toMatch(/^Data-access role ARN is in account 111122223333/);
    expect(importStepErrors(form)).toEqual({});
  });

  it('spreads server issues onto fields and keeps the rest', () => {
    const { fields, other } = issuesToErrors([
      { field: 'inputS3Uri', message: 'Bucket not found.' },
      { field: 'tags.team', message: 'Bad tag.' },
      { field: 'somethingElse', message: 'Odd.' },
    ]);
    expect(fields).toEqual({ inputS3Uri: 'Bucket not found.', tags: 'Bad tag.' });
    expect(other).toEqual(['somethingElse: Odd.']);
  });

  it('checks polling settings', () => {
    expect(pollingErrors({ initialDelaySeconds: 5, multiplier: 1.5, maxDelaySeconds: 60, stepTimeoutSeconds: 3600 })).toEqual({});
    const e = pollingErrors({ initialDelaySeconds: 0, multiplier: 0.5, maxDelaySeconds: -1, stepTimeoutSeconds: 1 });
    expect(Object.keys(e).sort()).toEqual(['initialDelaySeconds', 'maxDelaySeconds', 'multiplier', 'stepTimeoutSeconds']);
  });

  it('states plainly what will be created, and nothing for the sandbox', () => {
    const identity = { ok: true as const, accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/a' };
    const lines = creationStatement(filled(), identity);
    expect(lines[0]).toBe('A HealthImaging data store named "radiology-prod" will be created in region us-east-1 of account 123456789012.');
    expect(lines.join(' ')).toMatch(/import job will read the DICOM files under s3:\/\/my-dicom-in\/batch1\//);
    expect(lines.join(' ')).toMatch(/billed/);
    const sandbox = creationStatement({ ...filled(), profile: SANDBOX_PROFILE }, identity);
    expect(sandbox[0]).toMatch(/^Nothing is created in AWS/);
  });

  it('names a custom endpoint from the profile config in the statement the user confirms', () => {
    const identity = { ok: true as const, accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/a' };
    const lines = creationStatement(filled(), identity, undefined, { customEndpoint: true });
    expect(lines.at(-1)).toMatch(/custom endpoint set in its AWS config/);
    expect(creationStatement(filled(), identity).join(' ')).not.toMatch(/custom endpoint/);
  });

  it('an import into an existing data store says nothing new is created except an import job, and never warns of a second data store', () => {
    const identity = { ok: true as const, accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/a' };
    const existing = { datastoreId: 'a'.repeat(32), datastoreName: 'radiology-prod', fromRunId: 'run-1' };
    const lines = creationStatement(filled(), identity, existing);
    expect(lines[0]).toBe(
      `Nothing new is created except an import job. The run reads data store ${'a'.repeat(32)} ("radiology-prod") in region us-east-1 of account 123456789012 and goes on only if it is ACTIVE; the data store and its settings are not changed.`,
    );
    expect(lines.join(' ')).toMatch(/One import job will read the DICOM files under s3:\/\/my-dicom-in\/batch1\//);
    expect(lines.join(' ')).not.toMatch(/will be created|second data store|client token/);
    expect(creationStatement({ ...filled(), profile: SANDBOX_PROFILE }, identity, existing)[0]).toMatch(/^Nothing is created in AWS\. The local sandbox will check that its data store a{32} \("radiology-prod"\) is ACTIVE/);
    expect(startButtonText(existing)).toBe('Start import');
    expect(startButtonText()).toBe('Start onboarding');
  });

  it('an import-only wizard does not check the import client token (main makes a new one)', () => {
    expect(importStepErrors({ ...filled(), importClientToken: '' }).importClientToken).toBeDefined();
    expect(importStepErrors({ ...filled(), importClientToken: '' }, undefined, true)).toEqual({});
    expect(runInputs(filled()).inputs).toMatchObject({ datastoreName: 'radiology-prod' });
    expect(runInputs(filled(), { datastoreId: 'a'.repeat(32), fromRunId: 'r' })).toEqual({
      importInto: { datastoreId: 'a'.repeat(32) },
      inputs: { dataAccessRoleArn: filled().dataAccessRoleArn, inputS3Uri: filled().inputS3Uri, outputS3Uri: filled().outputS3Uri, ...(filled().jobName ? { jobName: filled().jobName } : {}) },
    });
  });
});
