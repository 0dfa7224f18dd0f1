/**
 * One batch, live: progress bars of files and jobs, how many jobs run, wait, are done or failed,
 * the ETA, every job with its status, the failures grouped by cause, and Pause / Resume / Cancel /
 * Export report. The first paint comes from the batch's report (so a batch opened from History
 * shows at once); 'batch:progress' pushes then keep it current, and the report is read again
 * whenever a job ends (its results and failures are in it).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { BatchProgressUpdate, BatchReport } from '../../../contract/ipc';
import { errorMessage, invoke, subscribe } from '../api';
import { useAppActions } from '../appContext';
import { BATCH_REPORT_DESCRIPTION, ExportReportModal } from '../components/ExportReportModal';
import { useNow } from '../hooks/useNow';
import { formatDateTime } from '../state/labels';
import { batchActions, batchScreen, batchStateStatus, count, failureGroupsView, updateFromReport } from '../state/batchView';

export default function BatchView({ batchId }: { batchId: string }) {
  const { notify, announce } = useAppActions();
  const [report, setReport] = useState<BatchReport>();
  const [live, setLive] = useState<BatchProgressUpdate>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [exporting, setExporting] = useState(false);
  const endedCount = useRef(-1);

  const load = useCallback(() => {
    invoke('batch:report', { batchId })
      .then((r) => {
        setReport(r);
        setError(undefined);
      })
      .catch((e) => setError(errorMessage(e)));
  }, [batchId]);
  useEffect(load, [load]);

  useEffect(
    () =>
      subscribe('batch:progress', (update) => {
        if (update.batchId === batchId) setLive(update);
      }),
    [batchId],
  );

  const update = live ?? (report ? updateFromReport(report) : undefined);
  const allEnded = update ? update.progress.jobs.queued === 0 && update.progress.jobs.running === 0 && update.progress.jobs.total > 0 : false;
  // A job ended (or the last one did): read the report again for its results and failures.
  const ended = update ? update.progress.jobs.completed + update.progress.jobs.failed : -1;
  useEffect(() => {
    if (!live) return;
    if (endedCount.current !== ended) {
      endedCount.current = ended;
      load();
    }
  }, [live, ended, load]);

  const now = useNow(Boolean(update && !allEnded), 5000);
  const shown = update ? batchScreen(update, now) : undefined;
  const paused = update?.progress.paused ?? false;
  const state = report?.state;
  // The batch this screen watched ended: say so once (the report says how).
  const lastState = useRef(state);
  useEffect(() => {
    if (lastState.current === 'running' && state && state !== 'running') {
      const text = batchStateStatus(state).text;
      notify({ type: state === 'completed' ? 'success' : state === 'cancelled' ? 'info' : 'warning', header: `Archive import ended: ${text}`, content: 'Export the report for every job, its counts and the failures.' });
      announce(`Archive import ended: ${text}.`);
    }
    lastState.current = state;
  }, [state, notify, announce]);
  const status = state ? batchStateStatus(state, paused) : undefined;
  const can = batchActions(state, paused, shown?.ended ?? false);

  const act = async (what: 'pause' | 'resume' | 'cancel') => {
    setBusy(what);
    try {
      await invoke(`batch:${what}`, { batchId });
      announce(what === 'pause' ? 'Batch paused.' : what === 'resume' ? 'Batch resumed.' : 'Batch cancelled.');
      load();
    } catch (e) {
      notify({ type: 'error', header: `The batch could not ${what}`, content: errorMessage(e) });
    } finally {
      setBusy(undefined);
    }
  };

  const groups = report ? failureGroupsView(report) : [];

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={report ? `${report.inputS3Uri} → data store ${report.datastoreId}` : undefined}
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              {can.pause ? (
                <Button onClick={() => void act('pause')} loading={busy === 'pause'}>
                  Pause
                </Button>
              ) : null}
              {can.resume ? (
                <Button onClick={() => void act('resume')} loading={busy === 'resume'}>
                  Resume
                </Button>
              ) : null}
              {can.cancel ? (
                <Button onClick={() => void act('cancel')} loading={busy === 'cancel'}>
                  Cancel batch
                </Button>
              ) : null}
              <Button disabled={!report} onClick={() => setExporting(true)}>
                Export report
              </Button>
            </SpaceBetween>
          }
        >
          Archive import {status ? <StatusIndicator type={status.type}>{status.text}</StatusIndicator> : null}
        </Header>
      }
    >
      <SpaceBetween size="l">
        {error ? (
          <Alert type="error" header="The batch could not be read" action={<Button onClick={load}>Try again</Button>}>
            {error}
          </Alert>
        ) : null}
        {report?.sandbox ? <Alert type="info">This batch runs against the local sandbox: nothing is imported into AWS.</Alert> : null}
        {!shown ? (
          <Container>
            <StatusIndicator type="loading">Loading the batch…</StatusIndicator>
          </Container>
        ) : (
          <>
            <Container header={<Header variant="h2" description={paused ? 'Paused: no new job is submitted; jobs already submitted run on.' : undefined}>Progress</Header>}>
              <SpaceBetween size="l">
                <ColumnLayout columns={2}>
                  <ProgressBar value={shown.files.value} label={shown.files.label} description={shown.files.description} />
                  <ProgressBar value={shown.jobs.value} label={shown.jobs.label} description={shown.jobs.description} additionalInfo={shown.eta} />
                </ColumnLayout>
                <ColumnLayout columns={4} variant="text-grid">
                  {shown.counts.map((c) => (
                    <div key={c.label}>
                      <Box variant="awsui-key-label">
                        <StatusIndicator type={c.type}>{c.label}</StatusIndicator>
                      </Box>
                      <Box variant="awsui-value-large">{c.value}</Box>
                    </div>
                  ))}
                </ColumnLayout>
              </SpaceBetween>
            </Container>
            {report ? (
              <Container header={<Header variant="h2">Batch</Header>}>
                <KeyValuePairs
                  columns={4}
                  items={[
                    { label: 'Batch ID', value: <code>{report.batchId}</code> },
                    { label: 'Data store', value: <code>{report.datastoreId}</code> },
                    { label: 'Region', value: report.sandbox ? `${report.region} (sandbox)` : report.region },
                    { label: 'Import jobs at once', value: count(report.concurrency) },
                    { label: 'Started', value: formatDateTime(report.startedAt) },
                    { label: 'Ended', value: report.endedAt ? formatDateTime(report.endedAt) : '—' },
                    { label: 'Estimated end', value: shown.eta },
                    { label: 'Files per job', value: `at most ${count(report.limits.maxFiles)}` },
                  ]}
                />
              </Container>
            ) : null}
            <Table
              ariaLabels={{ tableLabel: 'Import jobs of the batch' }}
              header={<Header counter={`(${count(shown.rows.length)})`}>Import jobs</Header>}
              items={shown.rows}
              trackBy="inputS3Uri"
              wrapLines
              resizableColumns
              columnDefinitions={[
                {
                  id: 'prefix',
                  header: 'Prefix',
                  isRowHeader: true,
                  minWidth: 220,
                  cell: (r) => (
                    <SpaceBetween size="xxxs">
                      <code>{r.inputS3Uri}</code>
                      {r.message ? (
                        <Box variant="small" color="text-status-error">
                          {r.message}
                        </Box>
                      ) : null}
                    </SpaceBetween>
                  ),
                },
                { id: 'job', header: 'Import job', width: 220, cell: (r) => <code>{r.jobId}</code> },
                { id: 'status', header: 'Status', width: 155, cell: (r) => <StatusIndicator type={r.status.type}>{r.status.text}</StatusIndicator> },
                {
                  id: 'files',
                  header: 'Files',
                  width: 100,
                  cell: (r) => (
                    <SpaceBetween size="xxxs">
                      <span>{r.files}</span>
                      <Box variant="small" color="text-body-secondary">
                        {r.size}
                      </Box>
                    </SpaceBetween>
                  ),
                },
                { id: 'imported', header: 'Imported', width: 125, cell: (r) => r.imported },
                { id: 'failed', header: 'Failed', width: 85, cell: (r) => r.failed },
              ]}
            />
            <Container header={<Header variant="h2" counter={groups.length ? `(${groups.length})` : undefined} description="From each ended job's FAILURE/failure.ndjson, grouped by type, with the likely cause and the fix.">Failures</Header>}>
              {groups.length === 0 ? (
                <StatusIndicator type="success">No file has failed{shown.ended ? '' : ' so far'}.</StatusIndicator>
              ) : (
                <SpaceBetween size="m">
                  {groups.map((g) => (
                    <Alert key={g.type} type="warning" header={`${g.type}: ${g.count}`}>
                      <SpaceBetween size="xxs">
                        <span>{g.cause}</span>
                        <span>
                          <b>Fix:</b> {g.fix}
                        </span>
                        <ul className="batch-examples">
                          {g.examples.map((x) => (
                            <li key={x}>
                              <code>{x}</code>
                            </li>
                          ))}
                          {g.more ? <li>{g.more}</li> : null}
                        </ul>
                      </SpaceBetween>
                    </Alert>
                  ))}
                </SpaceBetween>
              )}
            </Container>
          </>
        )}
      </SpaceBetween>
      {exporting ? (
        <ExportReportModal
          runId={batchId}
          onClose={() => setExporting(false)}
          exportWith={(format) => invoke('batch:export', { batchId, format })}
          description={BATCH_REPORT_DESCRIPTION}
        />
      ) : null}
    </ContentLayout>
  );
}
