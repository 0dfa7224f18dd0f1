/**
 * One import job, whoever started it: GetDICOMImportJob's properties and, once it ended, what it
 * did, read from its output location and shown as the Done screen shows a run's results. A job
 * still running can be watched live on the run timeline ('job:attach': nothing is created).
 */
import { useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { RunTarget } from '../../../contract/ipc';
import { errorMessage, invoke } from '../api';
import { useAppActions } from '../appContext';
import { ImportResultsPanel } from '../run/DoneView';
import { formatDateTime } from '../state/labels';
import { isRunningJob, JobStatus, useCommand } from './common';

export default function JobPage(props: { target: RunTarget; datastoreId: string; jobId: string; onDatastores(): void; onDatastore(): void; onWatching(runId: string, already: boolean): void }) {
  const { target, datastoreId, jobId } = props;
  const actions = useAppActions();
  const got = useCommand(() => invoke('job:results', { ...target, datastoreId, jobId }), [target.profile, target.region, datastoreId, jobId]);
  const [attaching, setAttaching] = useState(false);
  const job = got.data?.job;
  const title = job?.jobName || jobId;
  const storeName = job?.datastoreName || datastoreId;

  const open = (url: string) => void invoke('external:open', { url }).catch((e) => actions.notify({ type: 'error', header: 'The link could not be opened', content: errorMessage(e) }));
  const watch = async () => {
    setAttaching(true);
    try {
      const { runId, alreadyWatching } = await invoke('job:attach', { ...target, datastoreId, jobId });
      props.onWatching(runId, alreadyWatching === true);
    } catch (e) {
      actions.notify({ type: 'error', header: 'The job could not be watched', content: errorMessage(e) });
      setAttaching(false);
    }
  };

  return (
    <SpaceBetween size="l">
      <BreadcrumbGroup
        ariaLabel="Breadcrumbs"
        items={[
          { text: 'Data stores', href: '#/datastores' },
          { text: storeName, href: `#/datastores/${datastoreId}` },
          { text: title, href: `#/datastores/${datastoreId}/jobs/${jobId}` },
        ]}
        onFollow={(e) => {
          e.preventDefault();
          if (e.detail.href === '#/datastores') props.onDatastores();
          else if (e.detail.href === `#/datastores/${datastoreId}`) props.onDatastore();
        }}
      />
      <Header
        variant="h1"
        description={`Import job ${jobId} of data store ${storeName}`}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button iconName="refresh" ariaLabel="Refresh import job" loading={got.loading} onClick={got.reload} />
            {job?.consoleUrl ? (
              <Button iconName="external" iconAlign="right" onClick={() => open(job.consoleUrl!)}>
                Open in AWS console
              </Button>
            ) : null}
            {job && isRunningJob(job.jobStatus) ? (
              <Button variant="primary" loading={attaching} onClick={() => void watch()}>
                Watch live
              </Button>
            ) : null}
          </SpaceBetween>
        }
      >
        {title}
      </Header>

      {got.error ? (
        <Alert type="error" header="The import job could not be read" action={<Button onClick={got.reload}>Try again</Button>}>
          {got.error}
        </Alert>
      ) : null}

      <Container header={<Header variant="h2">Import job details</Header>}>
        {job ? (
          <KeyValuePairs
            columns={3}
            items={[
              { label: 'Job name', value: job.jobName || '—' },
              { label: 'Job ID', value: <span className="mono">{job.jobId}</span> },
              { label: 'Status', value: <span data-testid="job-page-status"><JobStatus status={job.jobStatus} /></span> },
              { label: 'Data store ID', value: <span className="mono">{job.datastoreId}</span> },
              { label: 'Submitted', value: formatDateTime(job.submittedAt) },
              { label: 'Ended', value: formatDateTime(job.endedAt) },
              { label: 'Input S3 URI', value: job.inputS3Uri ? <span className="mono">{job.inputS3Uri}</span> : '—' },
              { label: 'Output S3 URI', value: job.outputS3Uri ? <span className="mono">{job.outputS3Uri}</span> : '—' },
              { label: 'Data-access role', value: job.dataAccessRoleArn ? <span className="mono">{job.dataAccessRoleArn}</span> : '—' },
              ...(job.message ? [{ label: 'Message', value: job.message }] : []),
            ]}
          />
        ) : got.loading ? (
          <StatusIndicator type="loading">Loading import job</StatusIndicator>
        ) : (
          '—'
        )}
      </Container>

      {job && isRunningJob(job.jobStatus) ? (
        <Alert type="info" header="The job is still running">
          Its results are written to its output location when it ends. Watch live follows it on the run timeline, polling it as a run does; nothing is started or changed in AWS.
        </Alert>
      ) : job ? (
        <ImportResultsPanel results={got.data?.results} />
      ) : null}
    </SpaceBetween>
  );
}
