/** "Export report": pick a format; the main process shows the save dialog and writes the file. */
import { useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Modal from '@cloudscape-design/components/modal';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { ReportFormat } from '../../../contract/ipc';
import { errorMessage, invoke } from '../api';
import { useAppActions } from '../appContext';

const FORMATS: Array<{ value: ReportFormat; label: string; description: string }> = [
  { value: 'html', label: 'HTML', description: 'One self-contained page with a step chart; prints well.' },
  { value: 'pdf', label: 'PDF', description: 'The HTML report printed to PDF, for change records.' },
  { value: 'md', label: 'Markdown', description: 'For tickets and wikis.' },
  { value: 'json', label: 'JSON', description: 'Machine-readable, versioned schema.' },
];

/** What a batch's report holds, as the batch view and History say it before the format is chosen. */
export const BATCH_REPORT_DESCRIPTION =
  'The batch report: where the archive was and where it went, every import job with its status and counts, the failures grouped by type with the fix, and the API calls made. It never contains credentials. You choose where to save it next.';

export function ExportReportModal({
  runId,
  onClose,
  exportWith,
  description,
}: {
  runId: string;
  onClose: () => void;
  /** Another report than a run's (a batch's): how to export it. Default: the run's report:export. */
  exportWith?: (format: ReportFormat) => Promise<{ saved: boolean; path?: string }>;
  description?: string;
}) {
  const { notify, announce } = useAppActions();
  const [format, setFormat] = useState<ReportFormat>('html');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const exportReport = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const result = exportWith ? await exportWith(format) : await invoke('report:export', { runId, format });
      if (result.saved) {
        notify({ type: 'success', topic: 'report-export', header: 'Report exported', content: result.path ? `Saved to ${result.path}` : undefined });
        announce('Report exported.');
        onClose();
      } else {
        // The user closed the save dialog: nothing was written; leave the modal open to try again.
        setBusy(false);
      }
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Modal
      visible
      header="Export report"
      onDismiss={onClose}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onClose}>
              Cancel
            </Button>
            <Button variant="primary" loading={busy} onClick={() => void exportReport()}>
              Export
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>
          {description ??
            "The report is built from the run's event log: inputs, every step with its timings and statuses, request IDs, outputs and import results. It never contains credentials. You choose where to save it next."}
        </Box>
        <FormField label="Format" errorText={error}>
          <RadioGroup value={format} onChange={(e) => setFormat(e.detail.value as ReportFormat)} items={FORMATS} ariaLabel="Report format" />
        </FormField>
      </SpaceBetween>
    </Modal>
  );
}
