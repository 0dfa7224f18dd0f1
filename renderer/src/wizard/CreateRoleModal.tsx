/**
 * "Create a role for me": the data access role we recommend for the buckets on the Import step,
 * shown in full (trust and permissions policies) before anything changes, then created in the
 * account of the chosen profile (IAM CreateRole + PutRolePolicy) on confirmation.
 */
import { useEffect, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import type { RolePolicyText, RoleScope, RunTarget } from '../../../contract/ipc';
import { roleNameIssue } from '../../../core/healthimaging/field-rules';
import { errorMessage, invoke } from '../api';

export const DEFAULT_ROLE_NAME = 'HealthImagingImportRole';

function PolicyView({ id, label, text }: { id: string; label: string; text: string }) {
  return (
    <SpaceBetween size="xxs">
      <Box variant="h3" id={`${id}-label`}>
        {label}
      </Box>
      <pre className="policy-json" tabIndex={0} role="region" aria-labelledby={`${id}-label`} data-testid={id}>
        {text}
      </pre>
    </SpaceBetween>
  );
}

export function CreateRoleModal(props: { target: RunTarget; scope: RoleScope; sandbox: boolean; onCreated: (role: { roleArn: string; roleName: string }) => void; onDismiss: () => void }) {
  const { target, scope } = props;
  const [name, setName] = useState(DEFAULT_ROLE_NAME);
  const [touched, setTouched] = useState(false);
  const [policies, setPolicies] = useState<RolePolicyText>();
  const [loadError, setLoadError] = useState<string>();
  const [createError, setCreateError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const nameError = touched || name !== DEFAULT_ROLE_NAME ? roleNameIssue(name) : undefined;
  const request = JSON.stringify({ target, scope });

  useEffect(() => {
    let live = true;
    const { target: t, scope: s } = JSON.parse(request) as { target: RunTarget; scope: RoleScope };
    invoke('role:policy', { ...t, scope: s })
      .then((p) => live && setPolicies(p))
      .catch((e) => live && setLoadError(errorMessage(e)));
    return () => {
      live = false;
    };
  }, [request]);

  const create = async () => {
    setTouched(true);
    if (roleNameIssue(name) || !policies) return;
    setBusy(true);
    setCreateError(undefined);
    try {
      const created = await invoke('role:create', { ...target, roleName: name, scope });
      props.onCreated(created);
    } catch (e) {
      setCreateError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Modal
      visible
      size="large"
      header="Create a data access role"
      onDismiss={() => !busy && props.onDismiss()}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={props.onDismiss} disabled={busy}>
              Cancel
            </Button>
            <Button variant="primary" onClick={() => void create()} loading={busy} disabled={!policies || Boolean(nameError)}>
              Create role
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="l">
        <Box>
          {props.sandbox ? 'Creates the role in the sandbox’s IAM (nothing in AWS). ' : 'Creates an IAM role in your AWS account. '}
          HealthImaging assumes it to read {scope.inputS3Uri || 'the input prefix'} and write {scope.outputS3Uri || 'the output prefix'}
          {policies ? ` (account ${policies.account}).` : '.'} Review both policies, then choose “Create role”.
        </Box>
        <FormField
          label="Role name"
          controlId="create-role-name"
          description="A new role of this account; IAM refuses a name already taken."
          constraintText="1-64 characters: letters, digits and + = , . @ _ -"
          errorText={nameError}
        >
          <Input controlId="create-role-name" value={name} onChange={(e) => setName(e.detail.value)} onBlur={() => setTouched(true)} invalid={Boolean(nameError)} spellcheck={false} autoComplete={false} ariaRequired />
        </FormField>
        {loadError ? (
          <Alert type="error" header="The policies could not be prepared">
            {loadError}
          </Alert>
        ) : policies ? (
          <SpaceBetween size="m">
            <PolicyView id="trust-policy" label="Trust policy: who may assume the role" text={policies.trustPolicy} />
            <PolicyView id="permissions-policy" label={`Permissions policy (inline, ${policies.policyName}): what the role may do`} text={policies.permissionsPolicy} />
          </SpaceBetween>
        ) : (
          <Box color="text-body-secondary">
            <Spinner /> Preparing the policies…
          </Box>
        )}
        {createError ? (
          <Alert type="error" header="The role was not created">
            {createError}
          </Alert>
        ) : null}
      </SpaceBetween>
    </Modal>
  );
}
