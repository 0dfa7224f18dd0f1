import type { ReactNode } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { IdentityResult, PollingSettings, ProfileSummary } from '../../../contract/ipc';
import { formatDuration, IMPORT_CALLS, PLANNED_CALLS } from '../state/labels';
import { creationStatement, type ExistingDatastore, type PollingErrors, type WizardForm } from '../state/wizardModel';
import { PreflightChecks, type PreflightState } from './PreflightChecks';
import { regionName } from './regions';

const dash = (v: string | undefined): ReactNode => (v && v.trim() ? v : <Box color="text-status-inactive">—</Box>);
const mono = (v: string | undefined): ReactNode => (v && v.trim() ? <Box variant="code">{v}</Box> : dash(v));

export function pollingSummary(p: PollingSettings): string {
  return `First check after ${p.initialDelaySeconds} s, then ×${p.multiplier} each time, at most every ${p.maxDelaySeconds} s; each polling step gives up after ${formatDuration(p.stepTimeoutSeconds * 1000)}.`;
}

export function ReviewStep(props: {
  form: WizardForm;
  profile?: ProfileSummary;
  identity?: IdentityResult;
  sandbox: boolean;
  /** An import into this existing data store: account, region and store are fixed (no Edit). */
  existing?: ExistingDatastore;
  polling?: PollingSettings;
  pollingErrors: PollingErrors;
  onPolling: (p: PollingSettings) => void;
  onEdit: (step: number) => void;
  preflight: PreflightState;
  acknowledged: boolean;
  onAcknowledge: (value: boolean) => void;
  onRerunPreflight: () => void;
  startText: string;
}) {
  const { form, identity, polling, existing } = props;
  const edit = (step: number, what: string) => (
    <Button onClick={() => props.onEdit(step)} ariaLabel={`Edit ${what}`}>
      Edit
    </Button>
  );
  const statement = creationStatement(form, identity, existing, { customEndpoint: props.profile?.customEndpoint === true });
  const calls = existing ? IMPORT_CALLS : PLANNED_CALLS;
  const setPolling = (field: keyof PollingSettings, value: string) => polling && props.onPolling({ ...polling, [field]: Number(value) });

  return (
    <SpaceBetween size="l">
      <Alert
        type={props.sandbox || existing ? 'info' : 'warning'}
        header={props.sandbox ? 'What starting does (sandbox)' : existing ? 'What starting this import creates in your AWS account' : 'What starting this onboarding creates in your AWS account'}
      >
        <div data-testid="creation-statement">
          {statement.map((line) => (
            <p key={line} className="statement-line">
              {line}
            </p>
          ))}
        </div>
      </Alert>

      <PreflightChecks state={props.preflight} acknowledged={props.acknowledged} onAcknowledge={props.onAcknowledge} onRerun={props.onRerunPreflight} startText={props.startText} />

      <Container header={<Header variant="h2" actions={existing ? undefined : edit(0, 'account')}>Step 1: Account</Header>}>
        <KeyValuePairs
          columns={2}
          items={[
            { label: 'Profile', value: props.profile?.label ?? form.profile },
            { label: 'Region', value: `${regionName(form.region)} (${form.region})` },
            { label: 'Account', value: identity?.ok ? identity.accountId : dash(undefined) },
            { label: 'Caller ARN', value: identity?.ok ? mono(identity.arn) : dash(undefined) },
          ]}
        />
      </Container>

      {existing ? (
        <Container header={<Header variant="h2" description="Not created or changed: the run checks that it is ACTIVE.">Step 2: Existing data store</Header>}>
          <KeyValuePairs
            columns={2}
            items={[
              { label: 'Data store ID', value: mono(existing.datastoreId) },
              { label: 'Data store name', value: dash(existing.datastoreName) },
            ]}
          />
        </Container>
      ) : (
        <Container header={<Header variant="h2" actions={edit(1, 'data store')}>Step 2: Data store</Header>}>
          <KeyValuePairs
            columns={2}
            items={[
              { label: 'Data store name', value: form.datastoreName },
              { label: 'Lossless storage format', value: form.losslessStorageFormat === 'HTJ2K' ? 'HTJ2K' : 'JPEG 2000 lossless' },
              { label: 'KMS key ARN', value: form.kmsKeyArn ? mono(form.kmsKeyArn) : 'Key owned by AWS' },
              { label: 'Tags', value: form.tags.length ? form.tags.map((t) => `${t.key}=${t.value}`).join(', ') : dash(undefined) },
              { label: 'Data store client token', value: mono(form.datastoreClientToken) },
            ]}
          />
        </Container>
      )}

      <Container header={<Header variant="h2" actions={edit(2, 'import')}>Step 3: Import</Header>}>
        <KeyValuePairs
          columns={2}
          items={[
            { label: 'Data-access role ARN', value: mono(form.dataAccessRoleArn) },
            { label: 'Input S3 URI', value: mono(form.inputS3Uri) },
            { label: 'Output S3 URI', value: mono(form.outputS3Uri) },
            { label: 'Job name', value: dash(form.jobName) },
            { label: 'Input owner account', value: dash(form.inputOwnerAccountId) },
            { label: 'Import client token', value: existing ? 'A new one, generated when the import starts' : mono(form.importClientToken) },
          ]}
        />
      </Container>

      <Container
        header={
          <Header variant="h2" description={existing ? 'Made by the main process with your profile, in this order. No CreateDatastore: the data store exists.' : 'Made by the main process with your profile, in this order.'}>
            API calls
          </Header>
        }
      >
        <ol className="api-calls" aria-label="API calls, in order">
          {calls.map((c) => (
            <li key={c.operation}>
              <SpaceBetween size="xxxs">
                <Box fontWeight="bold">
                  {c.operation}
                  {c.polling ? ' (polling)' : ''}
                </Box>
                <Box variant="code">{c.request}</Box>
                <Box variant="small" color="text-body-secondary">
                  {c.purpose}
                </Box>
              </SpaceBetween>
            </li>
          ))}
        </ol>
      </Container>

      <ExpandableSection variant="container" headerText="Polling settings" headerDescription={polling ? pollingSummary(polling) : 'Loading the defaults…'}>
        {polling ? (
          <ColumnLayout columns={2}>
            <FormField label="First delay (seconds)" errorText={props.pollingErrors.initialDelaySeconds} controlId="poll-initial">
              <Input controlId="poll-initial" type="number" inputMode="decimal" value={String(polling.initialDelaySeconds)} onChange={(e) => setPolling('initialDelaySeconds', e.detail.value)} />
            </FormField>
            <FormField label="Growth factor" errorText={props.pollingErrors.multiplier} controlId="poll-multiplier">
              <Input controlId="poll-multiplier" type="number" inputMode="decimal" value={String(polling.multiplier)} onChange={(e) => setPolling('multiplier', e.detail.value)} />
            </FormField>
            <FormField label="Maximum delay (seconds)" errorText={props.pollingErrors.maxDelaySeconds} controlId="poll-max">
              <Input controlId="poll-max" type="number" inputMode="decimal" value={String(polling.maxDelaySeconds)} onChange={(e) => setPolling('maxDelaySeconds', e.detail.value)} />
            </FormField>
            <FormField label="Deadline per polling step (seconds)" errorText={props.pollingErrors.stepTimeoutSeconds} controlId="poll-timeout">
              <Input controlId="poll-timeout" type="number" inputMode="numeric" value={String(polling.stepTimeoutSeconds)} onChange={(e) => setPolling('stepTimeoutSeconds', e.detail.value)} />
            </FormField>
          </ColumnLayout>
        ) : (
          <Box color="text-body-secondary">The defaults could not be loaded; the run uses the engine's own defaults.</Box>
        )}
      </ExpandableSection>
    </SpaceBetween>
  );
}
