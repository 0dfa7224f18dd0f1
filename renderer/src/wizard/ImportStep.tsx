import { useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { S3PrefixBrowser } from '../components/S3PrefixBrowser';
import { oneJobWarning, outputWarning } from '../state/s3Browse';
import type { ExistingDatastore, FieldErrors, WizardForm } from '../state/wizardModel';
import { newClientToken } from '../state/wizardModel';
import { useAppActions } from '../appContext';
import { CreateRoleModal } from './CreateRoleModal';
import { TextField } from './fields';

export function ImportStep({
  form,
  errors,
  sandbox,
  existing,
  set,
  touch,
}: {
  form: WizardForm;
  errors: FieldErrors;
  sandbox: boolean;
  existing?: ExistingDatastore;
  set: <K extends keyof WizardForm>(field: K, value: WizardForm[K]) => void;
  touch: (field: keyof WizardForm) => void;
}) {
  const { notify, announce } = useAppActions();
  const [creatingRole, setCreatingRole] = useState(false);
  // The role is for these buckets (and this key or data store): the same scope as the preflight's.
  const scope = {
    inputS3Uri: form.inputS3Uri.trim(),
    outputS3Uri: form.outputS3Uri.trim(),
    ...(!existing && form.kmsKeyArn.trim() ? { kmsKeyArn: form.kmsKeyArn.trim() } : {}),
    ...(existing ? { datastoreId: existing.datastoreId } : {}),
  };
  // Which S3 URI field "Browse S3" is choosing for.
  const [browsing, setBrowsing] = useState<'inputS3Uri' | 'outputS3Uri'>();
  const browse = (field: 'inputS3Uri' | 'outputS3Uri', label: string) => (
    <Button iconName="search" onClick={() => setBrowsing(field)} ariaLabel={`Browse S3 for the ${label}`}>
      Browse S3
    </Button>
  );
  return (
    <SpaceBetween size="l">
      {existing ? (
        <Alert type="info" header={`Importing more data into data store ${existing.datastoreId}`}>
          The run reads this data store once and goes on only if it is ACTIVE, then starts a new import job (with a new import client token). No data store is created or
          changed. Choose the input location below.
        </Alert>
      ) : null}
      {sandbox ? (
        <Alert type="info" header="Prefilled with the sandbox's demo data">
          The sandbox holds demo DICOM files in its own S3 buckets and accepts its demo role. Change the fields to see the checks, or go on as they are.
        </Alert>
      ) : null}
      <Container header={<Header variant="h2" description="HealthImaging assumes this role to read your DICOM files and write the import results.">Access</Header>}>
        <TextField
          id="dataAccessRoleArn"
          label="Data-access role ARN"
          description="An IAM role of your account, trusted by medical-imaging.amazonaws.com, with read on the input prefix and write on the output prefix."
          constraint="arn:aws:iam::123456789012:role/NAME"
          value={form.dataAccessRoleArn}
          onChange={(v) => set('dataAccessRoleArn', v)}
          onBlur={() => touch('dataAccessRoleArn')}
          error={errors.dataAccessRoleArn}
          placeholder="arn:aws:iam::123456789012:role/HealthImagingImportRole"
          secondaryControl={
            <Button iconName="add-plus" onClick={() => setCreatingRole(true)}>
              Create a role for me
            </Button>
          }
        />
      </Container>
      {creatingRole ? (
        <CreateRoleModal
          target={{ profile: form.profile, region: form.region }}
          scope={scope}
          sandbox={sandbox}
          onDismiss={() => setCreatingRole(false)}
          onCreated={({ roleArn, roleName }) => {
            set('dataAccessRoleArn', roleArn);
            touch('dataAccessRoleArn');
            setCreatingRole(false);
            notify({ type: 'success', topic: 'role-create', header: `Role ${roleName} created`, content: `${roleArn} is now the data-access role. IAM can take a few seconds before HealthImaging may assume a new role.` });
            announce(`Role ${roleName} created and filled in.`);
          }}
        />
      ) : null}
      <Container header={<Header variant="h2">Source and destination</Header>}>
        <SpaceBetween size="l">
          <TextField
            id="inputS3Uri"
            label="Input S3 URI"
            description="The S3 prefix holding the DICOM P10 files to import (up to 5,000 files and 10 GB per job)."
            constraint="s3://bucket/prefix/"
            value={form.inputS3Uri}
            onChange={(v) => set('inputS3Uri', v)}
            onBlur={() => touch('inputS3Uri')}
            error={errors.inputS3Uri}
            placeholder="s3://my-dicom-bucket/incoming/"
            secondaryControl={browse('inputS3Uri', 'input S3 URI')}
          />
          <TextField
            id="outputS3Uri"
            label="Output S3 URI"
            description="Where HealthImaging writes the job's manifest and its success and failure lists."
            constraint="s3://bucket/prefix/ — not the input prefix"
            value={form.outputS3Uri}
            onChange={(v) => set('outputS3Uri', v)}
            onBlur={() => touch('outputS3Uri')}
            error={errors.outputS3Uri}
            placeholder="s3://my-dicom-bucket/import-results/"
            secondaryControl={browse('outputS3Uri', 'output S3 URI')}
          />
          <ColumnLayout columns={2}>
            <TextField
              id="jobName"
              label="Job name"
              optional
              constraint="1-64 characters: letters, digits and . _ / # -"
              value={form.jobName}
              onChange={(v) => set('jobName', v)}
              onBlur={() => touch('jobName')}
              error={errors.jobName}
            />
            <TextField
              id="inputOwnerAccountId"
              label="Input owner account"
              optional
              description="The account that owns the input bucket, when it is not yours."
              constraint="12 digits"
              inputMode="numeric"
              value={form.inputOwnerAccountId}
              onChange={(v) => set('inputOwnerAccountId', v)}
              onBlur={() => touch('inputOwnerAccountId')}
              error={errors.inputOwnerAccountId}
            />
          </ColumnLayout>
        </SpaceBetween>
      </Container>
      {browsing ? (
        <S3PrefixBrowser
          target={{ profile: form.profile, region: form.region }}
          title={browsing === 'inputS3Uri' ? 'Choose the input folder' : 'Choose the output folder'}
          description={
            browsing === 'inputS3Uri' ? 'The folder whose DICOM P10 files the job imports, with every subfolder.' : 'HealthImaging writes the job’s results into this folder. It must not be the input folder.'
          }
          value={form[browsing]}
          {...(browsing === 'inputS3Uri' && form.inputOwnerAccountId ? { expectedBucketOwner: form.inputOwnerAccountId } : {})}
          warn={browsing === 'inputS3Uri' ? oneJobWarning : (summary) => outputWarning(summary, form.inputS3Uri)}
          onDismiss={() => setBrowsing(undefined)}
          onChoose={(uri) => {
            set(browsing, uri);
            touch(browsing);
            setBrowsing(undefined);
          }}
        />
      ) : null}
      {existing ? null : (
        <ExpandableSection headerText="Advanced" variant="container" headerDescription="Idempotency of the import request">
          <TextField
            id="importClientToken"
            label="Import client token"
            description="Sent with StartDICOMImportJob. A retry with the same token never starts a second job."
            constraint="1-64 characters: letters, digits and . _ -"
            value={form.importClientToken}
            onChange={(v) => set('importClientToken', v)}
            onBlur={() => touch('importClientToken')}
            error={errors.importClientToken}
            secondaryControl={
              <Button onClick={() => set('importClientToken', newClientToken())} ariaLabel="Generate new import client token">
                Generate new
              </Button>
            }
          />
        </ExpandableSection>
      )}
    </SpaceBetween>
  );
}
