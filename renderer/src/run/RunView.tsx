/** A run in progress: the live timeline, Cancel, Continue after a pause, and the event log. */
import { RunHeaderDescription } from './RunHeaderDescription';
import { useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { errorMessage, invoke } from '../api';
import { useAppActions } from '../appContext';
import { NextAction } from '../components/NextAction';
import { useNow } from '../hooks/useNow';
import type { RunLog } from '../state/runLog';
import { isImportRun, isWatchRun } from '../state/timeline';
import { RunDetails } from './RunDetails';

export function RunView({ runId, log }: { runId: string; log: RunLog }) {
  const { notify } = useAppActions();
  const view = log.view;
  const now = useNow(true);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [busy, setBusy] = useState<'cancel' | 'continue' | null>(null);

  const command = async (kind: 'cancel' | 'continue', run: () => Promise<void>) => {
    setBusy(kind);
    try {
      await run();
    } catch (e) {
      notify({ type: 'error', header: kind === 'cancel' ? 'The run could not be cancelled' : 'The run could not continue', content: errorMessage(e) });
    } finally {
      setBusy(null);
      setConfirmCancel(false);
    }
  };

  const Noun = isImportRun(view) ? 'Import' : 'Onboarding';
  // A watch only reads: stopping it ends the app's polling, never the job, and nothing was created.
  const watch = isWatchRun(view);
  const cancelLabel = watch ? 'Stop watching' : 'Cancel run';
  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description={<RunHeaderDescription view={view} runId={runId} />}
        actions={
          <Button onClick={() => setConfirmCancel(true)} disabled={busy !== null}>
            {cancelLabel}
          </Button>
        }
      >
        {view.phase === 'paused' ? `${Noun} paused` : `${Noun} in progress`}
      </Header>

      {view.phase === 'paused' && view.pause ? (
        <Alert
          type="warning"
          header="Paused: the credentials expired"
          action={
            <Button variant="primary" loading={busy === 'continue'} onClick={() => void command('continue', () => invoke('run:continue', { runId }))}>
              Continue
            </Button>
          }
        >
          <SpaceBetween size="xxs">
            <span>{view.pause.error.message}</span>
            {view.pause.error.action ? (
              <NextAction action={view.pause.error.action} then="then choose Continue. Nothing already created is created again." />
            ) : (
              <span>Refresh your credentials, then choose Continue. Nothing already created is created again.</span>
            )}
          </SpaceBetween>
        </Alert>
      ) : null}

      {view.phase === 'not-started' ? (
        <Container>
          <Box color="text-body-secondary">Waiting for the first events of this run…</Box>
        </Container>
      ) : (
        <RunDetails runId={runId} log={log} now={now} live onPollNow={() => void invoke('run:poll-now', { runId }).catch((e) => notify({ type: 'error', header: 'Check now failed', content: errorMessage(e) }))} />
      )}

      {confirmCancel ? (
        <Modal
          visible
          header={watch ? 'Stop watching this import job?' : 'Cancel this run?'}
          onDismiss={() => setConfirmCancel(false)}
          footer={
            <Box float="right">
              <SpaceBetween direction="horizontal" size="xs">
                <Button variant="link" onClick={() => setConfirmCancel(false)}>
                  {watch ? 'Keep watching' : 'Keep running'}
                </Button>
                <Button variant="primary" loading={busy === 'cancel'} onClick={() => void command('cancel', () => invoke('run:cancel', { runId }))}>
                  {cancelLabel}
                </Button>
              </SpaceBetween>
            </Box>
          }
        >
          {watch ? (
            'The import job goes on in HealthImaging: only this app stops following it. Its page shows how it ended, and Watch live follows it again while it runs.'
          ) : (
            <>
              The run stops after the request in flight. Whatever was already created stays in the account (a data store keeps being billed). You can resume the run later from
              History; its client tokens make sure nothing is created twice.
            </>
          )}
        </Modal>
      ) : null}
    </SpaceBetween>
  );
}
