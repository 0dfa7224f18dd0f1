/**
 * A finished run: the outcome in words, what was created (with console links for the run's region,
 * never in sandbox mode), what the import really did, and the report.
 */
import { RunHeaderDescription } from './RunHeaderDescription';
import { useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { errorMessage, invoke } from '../api';
import { useAppActions } from '../appContext';
import { ExportReportModal } from '../components/ExportReportModal';
import { NextAction } from '../components/NextAction';
import { consoleLinksApply, datastoreConsoleUrl, importJobConsoleUrl } from '../../../core/healthimaging/console-links';
import type { ImportResults } from '../state/eventTypes';
import { formatDateTime, formatDuration } from '../state/labels';
import type { RunLog } from '../state/runLog';
import { datastoreNameOf, failedFiles, learnedOutputs, outcomeTitle, runNoun, runOutcome } from '../state/timeline';
import { importMorePreset } from '../wizard/preset';
import { ImportFindings } from './ImportFindings';
import { RunDetails } from './RunDetails';

function summaryLine(name: string | undefined, datastoreId: string | undefined, results: ImportResults | undefined, sandbox: boolean): string {
  const store = `${sandbox ? 'The sandbox data store' : 'The data store'} ${name ? `“${name}”` : ''}${datastoreId ? ` (${datastoreId})` : ''} is ACTIVE`;
  if (results?.state === 'read') {
    return `${store}; the import job brought in ${results.numberOfImportedFiles ?? 0} of ${results.numberOfScannedFiles ?? 0} files as ${results.numberOfGeneratedImageSets ?? 0} image sets.`;
  }
  return `${store} and the import job COMPLETED.`;
}

export function DoneView({ runId, log }: { runId: string; log: RunLog }) {
  const actions = useAppActions();
  const view = log.view;
  const outcome = runOutcome(view);
  const title = outcomeTitle(outcome);
  const outputs = learnedOutputs(view);
  const region = view.context?.region ?? 'us-east-1';
  const sandbox = view.context?.sandbox ?? false;
  const datastoreId = outputs.datastoreId;
  const jobId = outputs.jobId;
  const jobStatus = outputs.jobStatus;
  const name = datastoreNameOf(view);
  const [exporting, setExporting] = useState(false);
  const [resuming, setResuming] = useState(false);
  const preset = importMorePreset(view);
  // More data can go only into a data store the run saw ACTIVE (not one still CREATING: resume that);
  // the import-only wizard then runs import-into-datastore, which checks it is still ACTIVE.
  const datastoreUsable = Boolean(datastoreId) && view.steps.some((s) => s.operationId === 'GetDatastore' && s.lastStatus === 'ACTIVE');

  const open = (url: string) => void invoke('external:open', { url }).catch((e) => actions.notify({ type: 'error', header: 'The link could not be opened', content: errorMessage(e) }));
  const dsUrl = datastoreId ? datastoreConsoleUrl(region, datastoreId) : undefined;
  const jobUrl = datastoreId && jobId ? importJobConsoleUrl(region, datastoreId, jobId) : undefined;
  const duration = view.startedAt && view.endedAt ? Date.parse(view.endedAt) - Date.parse(view.startedAt) : undefined;

  return (
    <SpaceBetween size="l">
      <Header
        variant="h1"
        description={<RunHeaderDescription view={view} runId={runId} />}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button onClick={() => actions.newOnboarding()}>New onboarding</Button>
            {preset && datastoreUsable ? <Button onClick={() => actions.newOnboarding(preset)}>Import more data into this data store</Button> : null}
            <Button variant="primary" onClick={() => setExporting(true)}>
              Export report
            </Button>
          </SpaceBetween>
        }
      >
        <span data-testid="run-outcome" data-outcome={outcome.kind}>
          {title}
        </span>
      </Header>

      {outcome.kind === 'completed' ? (
        <Alert type="success" header={`The ${runNoun(view)} finished`}>
          {summaryLine(name, datastoreId, view.importResults, sandbox)}
        </Alert>
      ) : null}

      {outcome.kind === 'completed_with_errors' ? (
        <Alert type="warning" header={`${outcome.failedFiles} ${outcome.failedFiles === 1 ? 'file' : 'files'} failed to import`}>
          The import job finished as COMPLETED, but not every file was imported. The first failures and their reasons are listed below; the full list is in the job's
          FAILURE/failure.ndjson in the output location.
        </Alert>
      ) : null}
      {outcome.kind === 'failed' || outcome.kind === 'error' || outcome.kind === 'timed_out' || outcome.kind === 'cancelled' ? (
        <Alert
          type={outcome.kind === 'cancelled' ? 'info' : 'error'}
          action={
            outcome.resumable ? (
              <Button
                loading={resuming}
                onClick={() => {
                  setResuming(true);
                  void actions.resumeRun(runId).finally(() => setResuming(false));
                }}
              >
                Resume
              </Button>
            ) : undefined
          }
        >
          <SpaceBetween size="xxs">
            <span>{outcome.message}</span>
            {outcome.detail ? (
              <Box variant="small" color="text-body-secondary">
                {outcome.detail}
              </Box>
            ) : null}
            {outcome.action ? <NextAction action={outcome.action} /> : null}
            {outcome.resumable ? <span>This run can be resumed: it continues where it stopped and creates nothing twice.</span> : null}
          </SpaceBetween>
        </Alert>
      ) : null}

      <Container header={<Header variant="h2">Outputs</Header>}>
        <SpaceBetween size="l">
          <KeyValuePairs
            columns={3}
            items={[
              {
                label: 'Data store ID',
                value: datastoreId ? <CopyToClipboard variant="inline" textToCopy={datastoreId} copyButtonAriaLabel="Copy data store ID" copySuccessText="Data store ID copied" copyErrorText="Copy failed" /> : '—',
              },
              { label: 'Import job ID', value: jobId ? <CopyToClipboard variant="inline" textToCopy={jobId} copyButtonAriaLabel="Copy import job ID" copySuccessText="Import job ID copied" copyErrorText="Copy failed" /> : '—' },
              { label: 'Job status', value: jobStatus ? <span data-testid="job-status">{jobStatus}</span> : '—' },
              { label: 'Region', value: sandbox ? `${region} (sandbox)` : region },
              { label: 'Account', value: view.context?.accountId ?? '—' },
              { label: 'Duration', value: formatDuration(duration) },
              { label: 'Started', value: formatDateTime(view.startedAt) },
              { label: 'Ended', value: formatDateTime(view.endedAt) },
            ]}
          />
          {sandbox ? (
            <Box variant="small" color="text-body-secondary">
              Console links are not shown for sandbox runs: nothing exists in AWS.
            </Box>
          ) : !consoleLinksApply(view.context) ? (
            <Box variant="small" color="text-body-secondary">
              Console links are not shown: this run used the custom endpoint {view.context?.endpoint}, so its resources are not in the AWS console.
            </Box>
          ) : dsUrl ? (
            <SpaceBetween direction="horizontal" size="xs">
              <Button iconName="external" iconAlign="right" onClick={() => open(dsUrl)}>
                Open data store in the AWS console
              </Button>
              {jobUrl ? (
                <Button iconName="external" iconAlign="right" onClick={() => open(jobUrl)}>
                  Open import job in the AWS console
                </Button>
              ) : null}
            </SpaceBetween>
          ) : null}
        </SpaceBetween>
      </Container>

      {jobId ? <ImportResultsPanel results={view.importResults} /> : null}

      <RunDetails runId={runId} log={log} now={Date.now()} live={false} />

      {exporting ? <ExportReportModal runId={runId} onClose={() => setExporting(false)} /> : null}
    </SpaceBetween>
  );
}

export function ImportResultsPanel({ results }: { results: ImportResults | undefined }) {
  if (!results) {
    return (
      <Container header={<Header variant="h2">Import results</Header>}>
        <StatusIndicator type="pending">The job's output manifest has not been read (yet).</StatusIndicator>
      </Container>
    );
  }
  if (results.state !== 'read') {
    const why = results.state === 'access-denied' ? 'Access to the output location was denied' : results.state === 'not-found' ? 'The job output manifest was not found' : 'The import results could not be read';
    return (
      <Container header={<Header variant="h2">Import results</Header>}>
        <Alert type="warning" header={why}>
          {results.message ?? ''} The run's own result is not affected{results.manifestUri ? `; the manifest is expected at ${results.manifestUri}` : ''}.
        </Alert>
      </Container>
    );
  }
  const failed = failedFiles(results);
  return (
    <Container header={<Header variant="h2" description={results.manifestUri ? `From ${results.manifestUri}` : undefined}>Import results</Header>}>
      <SpaceBetween size="l">
        <ColumnLayout columns={4} variant="text-grid">
          <Metric label="Files scanned" value={results.numberOfScannedFiles} />
          <Metric label="Files imported" value={results.numberOfImportedFiles} />
          <Metric label="Files failed" value={failed} tone={failed > 0 ? 'error' : undefined} />
          <Metric label="Image sets created" value={results.numberOfGeneratedImageSets} />
        </ColumnLayout>
        <ImportFindings results={results} />
        {results.failures && results.failures.length > 0 ? (
          <Table
            variant="embedded"
            header={<Header variant="h3" counter={`(${results.failures.length}${failed > results.failures.length ? ` of ${failed}` : ''})`}>First failures</Header>}
            ariaLabels={{ tableLabel: 'Files that failed to import' }}
            items={results.failures}
            wrapLines
            columnDefinitions={[
              { id: 'file', header: 'File', cell: (f) => <span className="mono">{f.inputFile}</span> },
              { id: 'type', header: 'Reason', cell: (f) => f.exceptionType ?? '—' },
              { id: 'message', header: 'Message', cell: (f) => f.message },
            ]}
          />
        ) : null}
      </SpaceBetween>
    </Container>
  );
}

function Metric({ label, value, tone }: { label: string; value: number | undefined; tone?: 'error' }) {
  return (
    <div>
      <Box variant="awsui-key-label">{label}</Box>
      <Box variant="awsui-value-large" color={tone === 'error' ? 'text-status-error' : undefined}>
        {value ?? '—'}
      </Box>
    </div>
  );
}
