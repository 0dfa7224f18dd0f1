import { describe, expect, it } from 'vitest';
import { SANDBOX_PROFILE } from '../../../contract/ipc';
import { DATASTORE_ID, importIntoRun, successfulRun } from '../state/__fixtures__/events';
import { buildTimeline } from '../state/timeline';
import { runInputs } from '../state/wizardModel';
import { importIntoPreset, importMorePreset } from './preset';

describe('"Import more data into this data store"', () => {
  it('opens an import-only wizard for the run\'s data store at the Import step, with the run\'s import locations', () => {
    const view = buildTimeline(successfulRun('run-7', { sandbox: false }));
    const preset = importMorePreset(view)!;
    expect(preset.startAt).toBe(2);
    expect(preset.existing).toEqual({ datastoreId: DATASTORE_ID, datastoreName: 'demo-store', fromRunId: 'run-7' });
    expect(preset.form.profile).toBe('dev');
    expect(preset.form.region).toBe('us-east-1');
    expect(preset.form.inputS3Uri).toBe('s3://demo-input/dicom/');
    expect(preset.form.jobName).toBe('');
  });

  it('starts import-into-datastore: importInto and the import\'s inputs only, no create settings and no old token', () => {
    const preset = importMorePreset(buildTimeline(successfulRun('run-7', { sandbox: false })))!;
    const request = runInputs(preset.form, preset.existing);
    expect(request).toEqual({
      importInto: { datastoreId: DATASTORE_ID },
      inputs: { dataAccessRoleArn: 'arn:aws:iam::123456789012:role/ImportRole', inputS3Uri: 's3://demo-input/dicom/', outputS3Uri: 's3://demo-output/results/' },
    });
    expect(JSON.stringify(request)).not.toContain('tok-');
  });

  it('works again from an import run: the id from its inputs, the name from its GetDatastore answer', () => {
    const preset = importMorePreset(buildTimeline(importIntoRun('run-8')))!;
    expect(preset.existing).toEqual({ datastoreId: DATASTORE_ID, datastoreName: 'demo-store', fromRunId: 'run-8' });
    expect(preset.form.inputS3Uri).toBe('s3://demo-input/more/');
  });

  it('keeps sandbox runs in the sandbox', () => {
    expect(importMorePreset(buildTimeline(successfulRun('r', { sandbox: true })))?.form.profile).toBe(SANDBOX_PROFILE);
  });

  it('offers nothing before a data store id is known', () => {
    expect(importMorePreset(buildTimeline(successfulRun('r').slice(0, 2)))).toBeUndefined();
  });
});

describe('"Import data" on a data store page', () => {
  it('opens the import-only wizard at the Import step for that store, in the page\'s account and region, with empty import fields', () => {
    const preset = importIntoPreset({ profile: 'dev', region: 'eu-west-1' }, { datastoreId: DATASTORE_ID, datastoreName: 'made-in-the-console' });
    expect(preset.startAt).toBe(2);
    expect(preset.existing).toEqual({ datastoreId: DATASTORE_ID, datastoreName: 'made-in-the-console' });
    expect(preset.form).toMatchObject({ profile: 'dev', region: 'eu-west-1', inputS3Uri: '', outputS3Uri: '', dataAccessRoleArn: '' });
    // It runs import-into-datastore into that store: importInto, never a CreateDatastore.
    expect(runInputs(preset.form, preset.existing)).toMatchObject({ importInto: { datastoreId: DATASTORE_ID } });
  });

  it('a fresh import token every time', () => {
    const a = importIntoPreset({ profile: SANDBOX_PROFILE, region: 'us-east-1' }, { datastoreId: DATASTORE_ID });
    const b = importIntoPreset({ profile: SANDBOX_PROFILE, region: 'us-east-1' }, { datastoreId: DATASTORE_ID });
    expect(a.form.importClientToken).not.toBe(b.form.importClientToken);
    expect(a.existing).toEqual({ datastoreId: DATASTORE_ID });
  });
});
