/**
 * History's archive imports: every batch on this computer, newest first; hidden while there is
 * none. Each opens in the batch view, and its report exports from here as a run's does.
 */
import { useEffect, useState } from 'react';
import Badge from '@cloudscape-design/components/badge';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { BatchSummary } from '../../../contract/ipc';
import { invoke } from '../api';
import { useAppActions } from '../appContext';
import { BATCH_REPORT_DESCRIPTION, ExportReportModal } from '../components/ExportReportModal';
import { formatShortDateTime } from '../state/labels';
import { batchStateStatus, count, sortBatches } from '../state/batchView';

export function BatchHistoryTable() {
  const actions = useAppActions();
  const [batches, setBatches] = useState<BatchSummary[]>([]);
  const [exporting, setExporting] = useState<string>();
  useEffect(() => {
    // No batch runner, or no batch yet: History shows runs only.
    invoke('batches:list', undefined)
      .then((list) => setBatches(sortBatches(list)))
      .catch(() => setBatches([]));
  }, []);
  if (!batches.length) return null;
  return (
    <>
      <Table
        ariaLabels={{ tableLabel: 'Archive imports' }}
        header={<Header counter={`(${batches.length})`} description="Archives imported as many import jobs. Open one to follow it, resume it or export its report.">Archive imports</Header>}
        items={batches}
        trackBy="batchId"
        wrapLines
        resizableColumns
        columnDefinitions={[
          // Widths of their own (resizable columns without one start narrow: the archive URI broke mid-word),
          // together short of a 1280-px window's content so the last column, the actions, stays in view.
          { id: 'started', header: 'Started', isRowHeader: true, width: 130, cell: (b) => formatShortDateTime(b.startedAt) },
          {
            id: 'state',
            header: 'State',
            width: 170,
            cell: (b) => {
              const s = batchStateStatus(b.state, b.paused);
              return <StatusIndicator type={s.type}>{s.text}</StatusIndicator>;
            },
          },
          {
            id: 'archive',
            header: 'Archive',
            width: 260,
            cell: (b) => (
              <SpaceBetween size="xxxs">
                <code>{b.inputS3Uri}</code>
                <Box variant="small" color="text-body-secondary">
                  <span className="mono">{b.datastoreId}</span>
                </Box>
              </SpaceBetween>
            ),
          },
          {
            id: 'files',
            header: 'Files imported',
            width: 120,
            cell: (b) => (
              <SpaceBetween size="xxxs">
                <span>{`${count(b.filesImported)} of ${count(b.filesPlanned)}${b.filesFailed ? `, ${count(b.filesFailed)} failed` : ''}`}</span>
                <Box variant="small" color="text-body-secondary">
                  {b.jobs === 1 ? '1 import job' : `${count(b.jobs)} import jobs`}
                </Box>
              </SpaceBetween>
            ),
          },
          { id: 'mode', header: 'Region', width: 100, cell: (b) => (b.sandbox ? <Badge color="blue">Sandbox</Badge> : b.region) },
          {
            id: 'actions',
            header: 'Actions',
            cell: (b) => (
              <SpaceBetween direction="horizontal" size="xs">
                <Button variant="inline-link" onClick={() => actions.openBatch(b.batchId)} ariaLabel={`Open archive import ${b.batchId}`}>
                  Open
                </Button>
                <Button variant="inline-link" onClick={() => setExporting(b.batchId)} ariaLabel={`Export the report of archive import ${b.batchId}`}>
                  Export report
                </Button>
              </SpaceBetween>
            ),
          },
        ]}
      />
      {exporting ? (
        <ExportReportModal
          runId={exporting}
          onClose={() => setExporting(undefined)}
          exportWith={(format) => invoke('batch:export', { batchId: exporting, format })}
          description={BATCH_REPORT_DESCRIPTION}
        />
      ) : null}
    </>
  );
}
