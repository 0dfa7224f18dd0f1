/** The result of 'identity:check' in words: who you are, or exactly what to do to sign in. */
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { IdentityResult } from '../../../contract/ipc';
import { NextAction } from '../components/NextAction';
import { SsoSignIn } from './SsoSignIn';

export type IdentityState = { status: 'idle' } | { status: 'checking' } | { status: 'done'; result: IdentityResult } | { status: 'failed'; message: string };

const REASON_TITLES: Record<Extract<IdentityResult, { ok: false }>['reason'], string> = {
  'no-credentials': 'No credentials found for this profile',
  'sso-login-required': 'SSO sign-in needed',
  'mfa-required': 'An MFA code is needed',
  expired: 'The credentials have expired',
  'access-denied': 'Access denied',
  network: 'AWS could not be reached',
  other: 'The identity check failed',
};

export function ssoLoginCommand(profile: string): string {
  return `aws sso login --profile ${profile}`;
}

export function IdentityPanel({ state, profile, sandbox, onRetry }: { state: IdentityState; profile: string; sandbox: boolean; onRetry: () => void }) {
  return (
    <Container
      header={
        <Header
          variant="h2"
          description={sandbox ? 'The sandbox answers with its own demo account.' : 'Checked with AWS STS GetCallerIdentity. Your credentials stay in the main process.'}
          actions={
            <Button onClick={onRetry} loading={state.status === 'checking'}>
              Check again
            </Button>
          }
        >
          Identity
        </Header>
      }
    >
      <div data-testid="identity-result">
        <IdentityBody state={state} profile={profile} onRetry={onRetry} />
      </div>
    </Container>
  );
}

function IdentityBody({ state, profile, onRetry }: { state: IdentityState; profile: string; onRetry: () => void }) {
  if (state.status === 'idle') return <StatusIndicator type="pending">Choose a profile and a region.</StatusIndicator>;
  if (state.status === 'checking') return <StatusIndicator type="loading">Checking credentials…</StatusIndicator>;
  if (state.status === 'failed') return <StatusIndicator type="error">{state.message}</StatusIndicator>;
  const result = state.result;
  if (result.ok) {
    return (
      <SpaceBetween size="m">
        <StatusIndicator type="success">Signed in</StatusIndicator>
        <KeyValuePairs
          columns={2}
          items={[
            { label: 'Account', value: <CopyToClipboard variant="inline" textToCopy={result.accountId} copyButtonAriaLabel="Copy account ID" copySuccessText="Account ID copied" copyErrorText="Account ID failed to copy" /> },
            { label: 'ARN', value: <CopyToClipboard variant="inline" textToCopy={result.arn} copyButtonAriaLabel="Copy caller ARN" copySuccessText="ARN copied" copyErrorText="ARN failed to copy" /> },
          ]}
        />
      </SpaceBetween>
    );
  }
  return (
    <SpaceBetween size="s">
      <StatusIndicator type="error">{REASON_TITLES[result.reason]}</StatusIndicator>
      <Box>{result.error.message}</Box>
      {result.reason === 'sso-login-required' ? (
        <SpaceBetween size="xs">
          <SsoSignIn profile={profile} onSignedIn={onRetry} />
          <Box>Or run this command in a terminal, sign in in the browser it opens, then choose “Check again”:</Box>
          <div className="command-box">
            <CopyToClipboard
              variant="inline"
              textToCopy={ssoLoginCommand(profile)}
              textToDisplay={<Box variant="code">{ssoLoginCommand(profile)}</Box>}
              copyButtonAriaLabel="Copy the sign-in command"
              copySuccessText="Command copied"
              copyErrorText="Command failed to copy"
            />
          </div>
        </SpaceBetween>
      ) : result.error.action ? (
        <NextAction action={result.error.action} />
      ) : null}
      {result.error.requestId ? (
        <Box variant="small" color="text-body-secondary">
          Request ID {result.error.requestId}
        </Box>
      ) : null}
    </SpaceBetween>
  );
}
