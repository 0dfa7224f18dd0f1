/** Past and interrupted runs from the run store: open (timeline replayed), resume, export. */
import { useCallback, useEffect, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Badge from '@cloudscape-design/components/badge';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { RunSummary } from '../../../contract/ipc';
import { errorMessage, invoke } from '../api';
import { useAppActions } from '../appContext';
import { BatchHistoryTable } from '../batch/BatchHistoryTable';
import { ExportReportModal } from '../components/ExportReportModal';
import { RepairLogModal } from '../components/RepairLogModal';
import { formatDuration, formatShortDateTime } from '../state/labels';
import { runKindText, runStateStatus, sortRuns } from '../state/runSummary';

export default function HistoryView() {
  const actions = useAppActions();
  const [runs, setRuns] = useState<RunSummary[] | null>(null);
  const [error, setError] = useState<string>();
  const [exportRun, setExportRun] = useState<string | null>(null);
  const [repairRun, setRepairRun] = useState<RunSummary | null>(null);
  const [pending, setPending] = useState<string | null>(null);

  const load = useCallback(() => {
    setError(undefined);
    invoke('runs:list', undefined)
      .then((list) => setRuns(sortRuns(list)))
      .catch((e) => {
        setRuns([]);
        setError(errorMessage(e));
      });
  }, []);
  useEffect(load, [load]);

  const act = async (runId: string, what: () => Promise<void>) => {
    setPending(runId);
    try {
      await what();
    } finally {
      setPending(null);
    }
  };

  const damaged = (runs ?? []).filter((r) => r.damage);

  return (
    <SpaceBetween size="m">
      {damaged.length > 0 ? (
        <Alert type="warning" header={damaged.length === 1 ? 'The log of one run is damaged' : `The logs of ${damaged.length} runs are damaged`}>
          <SpaceBetween size="xxs">
            {damaged.map((r) => (
              <span key={r.runId}>
                Run of {formatShortDateTime(r.startedAt)}
                {r.datastoreName ? ` (${r.datastoreName})` : ''}: line {r.damage!.line} cannot be read, {r.damage!.reason}.
              </span>
            ))}
            <span>Nothing after that line is shown. Repair log cuts the log there, keeping the whole damaged file as a backup, so the run can be resumed.</span>
          </SpaceBetween>
        </Alert>
      ) : null}
      <Table
        variant="full-page"
        loading={runs === null}
        loadingText="Loading runs"
        items={runs ?? []}
        trackBy="runId"
        wrapLines={false}
        resizableColumns
        stickyColumns={{ first: 0, last: 1 }}
        stickyHeader
        ariaLabels={{ tableLabel: 'Onboarding runs' }}
        header={
          <Header
            variant="awsui-h1-sticky"
            counter={runs ? `(${runs.length})` : undefined}
            description={error ? `The runs could not be listed: ${error}` : 'Every onboarding run recorded on this computer. Open one to replay its timeline.'}
            actions={
              <Button iconName="refresh" onClick={load} ariaLabel="Refresh the run list">
                Refresh
              </Button>
            }
          >
            History
          </Header>
        }
        empty={
          <Box textAlign="center" color="inherit" padding="l">
            <SpaceBetween size="xs">
              <b>No runs yet</b>
              <Box color="inherit">Runs appear here as soon as they start.</Box>
              <Button onClick={() => actions.newOnboarding()}>Start an onboarding</Button>
            </SpaceBetween>
          </Box>
        }
        columnDefinitions={[
          {
            id: 'started',
            header: 'Started',
            cell: (r) => (
              <SpaceBetween size="xxxs">
                <span>{formatShortDateTime(r.startedAt)}</span>
                <Box variant="small" color="text-body-secondary">
                  {r.endedAt ? `took ${formatDuration(Date.parse(r.endedAt) - Date.parse(r.startedAt))}` : r.state === 'running' ? 'running now' : 'not finished'}
                </Box>
              </SpaceBetween>
            ),
            isRowHeader: true,
            width: 150,
          },
          {
            id: 'state',
            header: 'State',
            // Wide enough for the longest outcome, "Completed with errors", on one line.
            width: 200,
            cell: (r) => {
              const s = runStateStatus(r);
              // A damaged log: the badge says so first; what the readable part shows comes second.
              if (r.damage)
                return (
                  <SpaceBetween size="xxxs">
                    <Badge color="red">Damaged</Badge>
                    <Box variant="small" color="text-body-secondary">
                      Log line {r.damage.line} unreadable · {s.text.toLowerCase()}
                    </Box>
                  </SpaceBetween>
                );
              return (
                <SpaceBetween size="xxxs">
                  <StatusIndicator type={s.type}>{s.text}</StatusIndicator>
                  {r.jobStatus ? (
                    <Box variant="small" color="text-body-secondary">
                      Job {r.jobStatus}
                    </Box>
                  ) : null}
                </SpaceBetween>
              );
            },
          },
          {
            id: 'datastore',
            header: 'Data store',
            minWidth: 200,
            cell: (r) => (
              <SpaceBetween size="xxxs">
                <span>{r.datastoreName ?? '—'}</span>
                {runKindText(r) ? (
                  <Box variant="small" color="text-body-secondary">
                    {runKindText(r)}
                  </Box>
                ) : null}
                {r.datastoreId ? (
                  <Box variant="small" color="text-body-secondary">
                    <span className="mono">{r.datastoreId}</span>
                  </Box>
                ) : null}
              </SpaceBetween>
            ),
          },
          { id: 'region', header: 'Region', width: 100, cell: (r) => r.region },
          { id: 'mode', header: 'Profile', width: 110, cell: (r) => (r.sandbox ? <Badge color="blue">Sandbox</Badge> : (r.profile ?? 'default')) },
          {
            id: 'actions',
            header: 'Actions',
            width: 220,
            cell: (r) => (
              <SpaceBetween direction="horizontal" size="xs">
                <Button variant="inline-link" onClick={() => void act(r.runId, () => actions.openRun(r.runId))} ariaLabel={`Open run ${r.runId}`} disabled={pending === r.runId}>
                  Open
                </Button>
                {r.damage && r.state !== 'running' ? (
                  <Button variant="inline-link" onClick={() => setRepairRun(r)} ariaLabel={`Repair the log of run ${r.runId}`} disabled={pending === r.runId}>
                    Repair log
                  </Button>
                ) : null}
                {r.resumable && r.state !== 'running' ? (
                  <Button
                    variant="inline-link"
                    onClick={() => void act(r.runId, () => actions.resumeRun(r.runId).catch((e) => actions.notify({ type: 'error', header: 'The run could not resume', content: errorMessage(e) })))}
                    ariaLabel={`Resume run ${r.runId}`}
                    disabled={pending === r.runId}
                  >
                    Resume
                  </Button>
                ) : null}
                {r.state !== 'running' ? (
                  <Button variant="inline-link" onClick={() => setExportRun(r.runId)} ariaLabel={`Export report of run ${r.runId}`}>
                    Export report
                  </Button>
                ) : null}
              </SpaceBetween>
            ),
          },
        ]}
      />
      <BatchHistoryTable />
      {exportRun ? <ExportReportModal runId={exportRun} onClose={() => setExportRun(null)} /> : null}
      {repairRun?.damage ? <RepairLogModal runId={repairRun.runId} damage={repairRun.damage} onClose={() => setRepairRun(null)} onRepaired={load} /> : null}
    </SpaceBetween>
  );
}
