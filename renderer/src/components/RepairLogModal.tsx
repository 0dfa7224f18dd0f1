/**
 * "Repair log" for a run whose log is damaged: says what is wrong and what a repair does, and only
 * on confirmation asks the main process to cut the log at the bad line (keeping a backup).
 */
import { useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { RunLogDamage } from '../../../contract/ipc';
import { errorMessage, invoke } from '../api';
import { useAppActions } from '../appContext';

export function RepairLogModal({ runId, damage, onClose, onRepaired }: { runId: string; damage: RunLogDamage; onClose: () => void; onRepaired: () => void }) {
  const { notify, announce } = useAppActions();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const repair = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await invoke('run:repair', { runId });
      const what = r.repaired ? `Kept ${r.keptEvents} events and cut ${r.cutLines} line${r.cutLines === 1 ? '' : 's'} from line ${damage.line} on. The damaged log is kept as ${r.backupPath}.` : 'The log was no longer damaged; nothing was changed.';
      notify({ type: 'success', topic: 'run-repair', header: 'Run log repaired: the run can be resumed', content: what });
      announce('Run log repaired. The run can be resumed.');
      onRepaired();
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Modal
      visible
      header="Repair this run's log?"
      onDismiss={onClose}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onClose}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} onClick={() => void repair()}>
              Repair log
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>
          Line {damage.line} of the run's log cannot be read, so the run cannot be resumed as it is. Repairing cuts the log at that line. The whole damaged log is first saved as a backup next to it, so nothing is deleted.
        </Box>
        <KeyValuePairs
          columns={2}
          items={[
            { label: 'Damaged line', value: `Line ${damage.line} (byte ${damage.offset})` },
            { label: 'Why', value: `${damage.reason.charAt(0).toUpperCase()}${damage.reason.slice(1)}.` },
          ]}
        />
        <Box>After the repair, Resume continues the run from the last step the log still records. Requests whose answers were cut are sent again with the same client tokens, so HealthImaging returns the data store and import job it already made instead of creating new ones.</Box>
        {error ? (
          <Alert type="error" header="The log could not be repaired">
            {error}
          </Alert>
        ) : null}
      </SpaceBetween>
    </Modal>
  );
}
