/**
 * "Sign in" for an SSO profile that needs it: the browser flow by default, "Use a code instead"
 * for the device flow (the URL and code are shown while it waits). The main process does the
 * sign-in and keeps the token; this only learns whether it worked, then re-checks the identity.
 */
import { useEffect, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { Pushes } from '../../../contract/ipc';
import { errorMessage, invoke, subscribe } from '../api';

type Phase = { status: 'idle' } | { status: 'busy'; device?: Pushes['sso:device-code'] } | { status: 'failed'; message: string };

export function SsoSignIn({ profile, onSignedIn }: { profile: string; onSignedIn: () => void }) {
  const [phase, setPhase] = useState<Phase>({ status: 'idle' });
  useEffect(
    () => subscribe('sso:device-code', (p) => p.profile === profile && setPhase({ status: 'busy', device: p })),
    [profile],
  );
  const start = (useDeviceCode: boolean) => {
    setPhase({ status: 'busy' });
    invoke('sso:sign-in', { profile, useDeviceCode })
      .then((r) => {
        if (r.ok) {
          setPhase({ status: 'idle' });
          onSignedIn();
        } else setPhase({ status: 'failed', message: r.message });
      })
      .catch((e: unknown) => setPhase({ status: 'failed', message: errorMessage(e) }));
  };
  const busy = phase.status === 'busy';
  return (
    <SpaceBetween size="s">
      <SpaceBetween size="xs" direction="horizontal">
        <Button variant="primary" onClick={() => start(false)} loading={busy && !phase.device} disabled={busy}>
          Sign in
        </Button>
        <Button onClick={() => start(true)} disabled={busy}>
          Use a code instead
        </Button>
      </SpaceBetween>
      {busy && !phase.device ? <Box>Finish signing in in the browser window that opened.</Box> : null}
      {busy && phase.device ? (
        <div data-testid="sso-device-code">
          <Box>
            Open <Box variant="code">{phase.device.verificationUri}</Box> and enter the code <Box variant="code">{phase.device.userCode}</Box> (it expires in{' '}
            {Math.round(phase.device.expiresInSeconds / 60)} minutes).
          </Box>
        </div>
      ) : null}
      {phase.status === 'failed' ? <Alert type="error">{phase.message}</Alert> : null}
    </SpaceBetween>
  );
}
