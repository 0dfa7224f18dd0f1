import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import TagEditor from '@cloudscape-design/components/tag-editor';
import type { ExistingDatastore, FieldErrors, StorageFormat, TagRow, WizardForm } from '../state/wizardModel';
import { newClientToken } from '../state/wizardModel';
import { TextField } from './fields';

export function DatastoreStep({
  form,
  errors,
  existing,
  set,
  touch,
}: {
  form: WizardForm;
  errors: FieldErrors;
  existing?: ExistingDatastore;
  set: <K extends keyof WizardForm>(field: K, value: WizardForm[K]) => void;
  touch: (field: keyof WizardForm) => void;
}) {
  if (existing) return <ExistingDatastoreSummary existing={existing} />;
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Data store settings</Header>}>
        <SpaceBetween size="l">
          <TextField
            id="datastoreName"
            label="Data store name"
            description="A name to recognise the data store by in the console."
            constraint="1-256 characters: letters, digits and . _ / # -"
            value={form.datastoreName}
            onChange={(v) => set('datastoreName', v)}
            onBlur={() => touch('datastoreName')}
            error={errors.datastoreName}
            placeholder="radiology-archive"
          />
          <TextField
            id="kmsKeyArn"
            label="KMS key ARN"
            optional
            description="Encrypt the data store with your own AWS KMS key. Leave empty to use a key owned by AWS."
            constraint="arn:aws:kms:REGION:ACCOUNT:key/ID or an alias ARN"
            value={form.kmsKeyArn}
            onChange={(v) => set('kmsKeyArn', v)}
            onBlur={() => touch('kmsKeyArn')}
            error={errors.kmsKeyArn}
          />
          <FormField label="Lossless storage format" description="How HealthImaging stores image frames. Fixed when the data store is created.">
            <RadioGroup
              ariaLabel="Lossless storage format"
              value={form.losslessStorageFormat}
              onChange={(e) => set('losslessStorageFormat', e.detail.value as StorageFormat)}
              items={[
                { value: 'HTJ2K', label: 'HTJ2K (default)', description: 'High-Throughput JPEG 2000: the fastest to retrieve.' },
                { value: 'JPEG_2000_LOSSLESS', label: 'JPEG 2000 lossless', description: 'For viewers that need JPEG 2000 without transcoding.' },
              ]}
            />
          </FormField>
        </SpaceBetween>
      </Container>
      <Container header={<Header variant="h2" description="Up to 50 tags, added to the data store when it is created.">Tags - optional</Header>}>
        <FormField errorText={errors.tags} stretch>
          <TagEditor
            tags={form.tags.map((t) => ({ key: t.key, value: t.value, existing: false }))}
            onChange={(e) => set('tags', e.detail.tags.filter((t) => !t.markedForRemoval).map((t): TagRow => ({ key: t.key, value: t.value })))}
            tagLimit={50}
          />
        </FormField>
      </Container>
      <ExpandableSection headerText="Advanced" variant="container" headerDescription="Idempotency of the create request">
        <TextField
          id="datastoreClientToken"
          label="Data store client token"
          description="Sent with CreateDatastore. A retry with the same token never creates a second data store; keep it if you re-run this onboarding."
          constraint="1-64 characters: letters, digits and . _ -"
          value={form.datastoreClientToken}
          onChange={(v) => set('datastoreClientToken', v)}
          onBlur={() => touch('datastoreClientToken')}
          error={errors.datastoreClientToken}
          secondaryControl={
            <Button onClick={() => set('datastoreClientToken', newClientToken())} ariaLabel="Generate new data store client token">
              Generate new
            </Button>
          }
        />
      </ExpandableSection>
    </SpaceBetween>
  );
}

/**
 * "Import more data": the import goes into this data store; nothing about it can change here. The
 * run reads it (GetDatastore) and goes on only if it is ACTIVE.
 */
function ExistingDatastoreSummary({ existing }: { existing: ExistingDatastore }) {
  return (
    <Container
      header={
        <Header variant="h2" description="The import goes into this data store. It is not created or changed: the run only checks that it is ACTIVE. To use another data store, start a new onboarding.">
          Existing data store
        </Header>
      }
    >
      <KeyValuePairs
        columns={2}
        items={[
          { label: 'Data store ID', value: <span className="mono">{existing.datastoreId}</span> },
          { label: 'Data store name', value: existing.datastoreName ?? '—' },
          existing.fromRunId ? { label: 'From run', value: <span className="mono">{existing.fromRunId}</span> } : { label: 'Picked from', value: 'Data stores' },
        ]}
      />
    </Container>
  );
}
