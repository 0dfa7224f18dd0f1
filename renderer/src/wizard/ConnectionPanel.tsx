/**
 * "Test connection" in the Account step: the main process runs the same checks as
 * `ahi-onboard doctor` (proxy per endpoint, trusted CAs, one signed call per service) and answers
 * in words. Nothing secret crosses IPC: proxies arrive as host:port, never with credentials.
 */
import { useEffect, useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { ConnectionCheckResult } from '../../../contract/ipc';
import { errorMessage, invoke } from '../api';

type State = { status: 'idle' } | { status: 'checking' } | { status: 'done'; result: ConnectionCheckResult } | { status: 'failed'; message: string };

export function ConnectionPanel({ profile, region }: { profile: string; region: string }) {
  const [state, setState] = useState<State>({ status: 'idle' });
  // A result is about one profile and region; another choice needs a new test.
  useEffect(() => setState({ status: 'idle' }), [profile, region]);

  const test = () => {
    setState({ status: 'checking' });
    invoke('network:check', { profile, region }).then(
      (result) => setState({ status: 'done', result }),
      (e: unknown) => setState({ status: 'failed', message: errorMessage(e) }),
    );
  };

  return (
    <Container
      header={
        <Header
          variant="h2"
          description="Which proxy each endpoint goes through, which certificate authorities are trusted, and one signed call per service."
          actions={
            <Button onClick={test} loading={state.status === 'checking'} disabled={!profile || !region}>
              Test connection
            </Button>
          }
        >
          Network
        </Header>
      }
    >
      <div data-testid="connection-result">
        <ConnectionBody state={state} />
      </div>
    </Container>
  );
}

function ConnectionBody({ state }: { state: State }) {
  if (state.status === 'idle') return <Box color="text-body-secondary">Not tested yet.</Box>;
  if (state.status === 'checking') return <StatusIndicator type="loading">Testing the connection…</StatusIndicator>;
  if (state.status === 'failed') return <StatusIndicator type="error">{state.message}</StatusIndicator>;
  const r = state.result;
  return (
    <SpaceBetween size="s">
      <StatusIndicator type={r.ok ? 'success' : 'error'}>{r.ok ? 'All checks passed.' : 'At least one check failed.'}</StatusIndicator>
      <ul aria-label="Signed calls">
        {r.checks.map((c) => (
          <li key={c.operation} data-testid={`check-${c.service}`}>
            <StatusIndicator type={c.ok ? 'success' : 'error'}>{`${c.service} ${c.operation}`}</StatusIndicator> {c.message}
          </li>
        ))}
      </ul>
      <ul aria-label="Endpoints and proxies">
        {r.routes.map((route) => (
          <li key={route.service}>{`${route.service}: ${route.url} via ${route.proxy}${route.source === 'none' || route.source === 'caller' ? '' : ` (from the ${route.source})`}`}</li>
        ))}
      </ul>
      <Box>Trusted certificate authorities: {r.trust.join('; ')}.</Box>
    </SpaceBetween>
  );
}
