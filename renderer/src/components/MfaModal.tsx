/**
 * Answers the main process's 'mfa:request' (assuming a role that needs an MFA code). The code goes
 * straight back with 'mfa:answer'; it is never stored. Cancel answers null.
 */
import { useEffect, useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { Pushes } from '../../../contract/ipc';
import { errorMessage, invoke, subscribe } from '../api';

export function MfaModal() {
  const [request, setRequest] = useState<Pushes['mfa:request'] | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string>();

  useEffect(() => subscribe('mfa:request', (r) => {
    setRequest(r);
    setCode('');
    setError(undefined);
  }), []);

  if (!request) return null;
  const valid = /^\d{6}$/.test(code.trim());

  const answer = async (value: string | null) => {
    try {
      await invoke('mfa:answer', { requestId: request.requestId, code: value });
      setRequest(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Modal
      visible
      header="MFA code required"
      onDismiss={() => void answer(null)}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={() => void answer(null)}>
              Cancel
            </Button>
            <Button variant="primary" disabled={!valid} onClick={() => void answer(code.trim())}>
              Submit code
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) void answer(code.trim());
        }}
      >
        <SpaceBetween size="m">
          <Box>
            Profile <b>{request.profile}</b> assumes a role that requires multi-factor authentication. Enter the current code of the device{' '}
            <Box variant="code">{request.serialNumber}</Box>.
          </Box>
          <FormField label="MFA code" constraintText="6 digits from your authenticator" errorText={error ?? (code && !valid ? 'The MFA code is 6 digits.' : undefined)}>
            <Input value={code} onChange={(e) => setCode(e.detail.value)} inputMode="numeric" autoComplete="one-time-code" autoFocus ariaLabel="MFA code" />
          </FormField>
        </SpaceBetween>
      </form>
    </Modal>
  );
}
