import { describe, expect, it } from 'vitest';
import { selectWorkflow } from '../arazzo/document';
import { validateInputs } from './inputs';
import { IMPORT_INTO, ONBOARD, SEED_INPUTS, seedDocument } from './test-support/harness';

const seed = selectWorkflow(seedDocument(), ONBOARD);
const importInto = selectWorkflow(seedDocument(), IMPORT_INTO);

describe('validateInputs', () => {
  it('accepts the seed inputs unchanged', () => {
    expect(validateInputs(seed, SEED_INPUTS)).toEqual({ inputs: SEED_INPUTS, issues: [] });
  });

  it('reports schema problems (required, type) and field rules, naming field and rule', () => {
    const { issues } = validateInputs(seed, { ...SEED_INPUTS, datastoreName: 7, dataAccessRoleArn: undefined, inputS3Uri: 's3://Bad_Bucket/x' });
    expect(issues).toEqual([
      { field: 'dataAccessRoleArn', message: 'dataAccessRoleArn is required' },
      { field: 'datastoreName', message: 'datastoreName must be string' },
      { field: 'inputS3Uri', message: expect.stringMatching(/^inputS3Uri must be an S3 URI/) },
    ]);
  });

  it('generates client tokens left empty or missing, even though the schema requires them', () => {
    const { inputs, issues } = validateInputs(seed, { ...SEED_INPUTS, datastoreClientToken: '  ', importClientToken: undefined });
    expect(issues).toEqual([]);
    expect(inputs.datastoreClientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(inputs.importClientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(inputs.importClientToken).not.toBe(inputs.datastoreClientToken);
  });

  it('trims pasted whitespace around HealthImaging values', () => {
    const { inputs, issues } = validateInputs(seed, { ...SEED_INPUTS, dataAccessRoleArn: ' arn:aws:iam::123456789012:role/ImportRole\n' });
    expect(issues).toEqual([]);
    expect(inputs.dataAccessRoleArn).toBe('arn:aws:iam::123456789012:role/ImportRole');
  });

  it('checks the optional HealthImaging fields a workflow may take', () => {
    const wf = { workflowId: 'w', steps: [], inputs: { type: 'object', properties: { kmsKeyArn: { type: 'string' }, jobName: { type: 'string' }, inputOwnerAccountId: { type: 'string' } } } };
    const { issues } = validateInputs(wf, { kmsKeyArn: 'my-key', jobName: 'ok-name', inputOwnerAccountId: '12' });
    expect(issues.map((i) => i.field)).toEqual(['kmsKeyArn', 'inputOwnerAccountId']);
  });

  it('applies schema defaults and enums', () => {
    const wf = {
      workflowId: 'w',
      steps: [],
      inputs: { type: 'object', additionalProperties: false, properties: { format: { type: 'string', enum: ['HTJ2K', 'JPEG_2000_LOSSLESS'], default: 'HTJ2K' } } },
    };
    expect(validateInputs(wf, {})).toEqual({ inputs: { format: 'HTJ2K' }, issues: [] });
    expect(validateInputs(wf, { format: 'PNG', extra: 1 }).issues).toEqual([
      { field: 'extra', message: 'extra is not an input of this workflow' },
      { field: 'format', message: 'format must be equal to one of the allowed values: "HTJ2K", "JPEG_2000_LOSSLESS"' },
    ]);
  });

  it('refuses the same prefix for input and output', () => {
    const { issues } = validateInputs(seed, { ...SEED_INPUTS, outputS3Uri: SEED_INPUTS.inputS3Uri });
    expect(issues).toEqual([{ field: 'outputS3Uri', message: expect.stringContaining('must differ') }]);
  });

  it('checks the import workflow\'s datastoreId by the HealthImaging rule, in words rather than as a regex', () => {
    const { datastoreName: _n, datastoreClientToken: _t, ...importInputs } = SEED_INPUTS;
    const good = validateInputs(importInto, { ...importInputs, datastoreId: 'a'.repeat(32) });
    expect(good.issues).toEqual([]);
    expect(validateInputs(importInto, { ...importInputs, datastoreId: 'Not-An-Id' }).issues).toEqual([
      { field: 'datastoreId', message: 'datastoreId must be 32 lowercase letters or digits' },
    ]);
    expect(validateInputs(importInto, importInputs).issues).toEqual([{ field: 'datastoreId', message: 'datastoreId is required' }]);
  });
});
