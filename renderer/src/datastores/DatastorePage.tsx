/**
 * One data store, as the console's data store page shows it: its properties, its tags, a link to
 * it in the AWS console, and its import jobs from AWS (all of them, whoever started them). "Import
 * data" opens the import-only wizard for an ACTIVE store, "Import an archive" the archive import
 * (many jobs) for it with this page's profile and region; "Delete" is offered only where main's
 * own check allows it (an empty store, or the sandbox), behind the console's typed-name confirmation.
 */
import { useMemo, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import Modal from '@cloudscape-design/components/modal';
import Pagination from '@cloudscape-design/components/pagination';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { IMPORT_JOB_STATUSES, type DatastoreDetails, type ImportJobStatus, type RunTarget } from '../../../contract/ipc';
import { errorMessage, invoke } from '../api';
import { useAppActions } from '../appContext';
import { formatDateTime, formatShortDateTime } from '../state/labels';
import { DatastoreStatus, JobStatus, pageOf, statusOptions, useCommand } from './common';


export default function DatastorePage(props: {
  target: RunTarget;
  datastoreId: string;
  onDatastores(): void;
  /** Deleted: back to the list, which confirms it. */
  onDeleted(name: string, status: string): void;
  onOpenJob(jobId: string): void;
  onImport(store: { datastoreId: string; datastoreName?: string }): void;
}) {
  const { target, datastoreId } = props;
  const actions = useAppActions();
  const store = useCommand(() => invoke('datastore:get', { ...target, datastoreId }), [target.profile, target.region, datastoreId]);
  const [deleting, setDeleting] = useState(false);
  const d = store.data;
  const title = d?.datastoreName || datastoreId;

  const open = (url: string) => void invoke('external:open', { url }).catch((e) => actions.notify({ type: 'error', header: 'The link could not be opened', content: errorMessage(e) }));

  return (
    <SpaceBetween size="l">
      <BreadcrumbGroup
        ariaLabel="Breadcrumbs"
        items={[
          { text: 'Data stores', href: '#/datastores' },
          { text: title, href: `#/datastores/${datastoreId}` },
        ]}
        onFollow={(e) => {
          e.preventDefault();
          if (e.detail.href === '#/datastores') props.onDatastores();
        }}
      />
      <Header
        variant="h1"
        description={d ? `Data store ${datastoreId}` : undefined}
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button iconName="refresh" ariaLabel="Refresh data store" loading={store.loading} onClick={store.reload} />
            {d?.consoleUrl ? (
              <Button iconName="external" iconAlign="right" onClick={() => open(d.consoleUrl!)}>
                Open in AWS console
              </Button>
            ) : null}
            <Button disabled={!d?.deletion.allowed} onClick={() => setDeleting(true)}>
              Delete
            </Button>
            <Button
              disabled={d?.datastoreStatus !== 'ACTIVE'}
              onClick={() => d && actions.openArchiveImport({ ...target, datastoreId, ...(d.datastoreName ? { datastoreName: d.datastoreName } : {}) })}
            >
              Import an archive
            </Button>
            <Button
              variant="primary"
              disabled={d?.datastoreStatus !== 'ACTIVE'}
              onClick={() => d && props.onImport({ datastoreId, ...(d.datastoreName ? { datastoreName: d.datastoreName } : {}) })}
            >
              Import data
            </Button>
          </SpaceBetween>
        }
      >
        {title}
      </Header>

      {store.error ? (
        <Alert type="error" header="The data store could not be read" action={<Button onClick={store.reload}>Try again</Button>}>
          {store.error}
        </Alert>
      ) : null}

      <Container header={<Header variant="h2">Data store details</Header>}>
        {d ? (
          <KeyValuePairs
            columns={3}
            items={[
              { label: 'Name', value: d.datastoreName || '—' },
              { label: 'Data store ID', value: <span className="mono">{d.datastoreId}</span> },
              { label: 'Status', value: <DatastoreStatus status={d.datastoreStatus} /> },
              { label: 'ARN', value: d.datastoreArn ? <span className="mono">{d.datastoreArn}</span> : '—' },
              { label: 'Created', value: formatDateTime(d.createdAt) },
              { label: 'Updated', value: formatDateTime(d.updatedAt) },
              { label: 'Encryption', value: d.kmsKeyArn ? <span className="mono">{d.kmsKeyArn}</span> : 'AWS owned key' },
              { label: 'Lossless storage format', value: d.losslessStorageFormat ?? 'HTJ2K' },
              { label: 'Deletion', value: d.deletion.reason },
            ]}
          />
        ) : store.loading ? (
          <StatusIndicator type="loading">Loading data store</StatusIndicator>
        ) : (
          '—'
        )}
      </Container>

      <Table
        variant="container"
        items={d ? Object.entries(d.tags).map(([key, value]) => ({ key, value })) : []}
        loading={store.loading && !d}
        loadingText="Loading tags"
        trackBy="key"
        ariaLabels={{ tableLabel: 'Tags' }}
        header={<Header counter={d ? `(${Object.keys(d.tags).length})` : undefined}>Tags</Header>}
        empty={<Box textAlign="center" color="inherit">No tags</Box>}
        columnDefinitions={[
          { id: 'key', header: 'Key', isRowHeader: true, cell: (t) => t.key },
          { id: 'value', header: 'Value', cell: (t) => t.value || '—' },
        ]}
      />

      <ImportJobs target={target} datastoreId={datastoreId} onOpenJob={props.onOpenJob} />

      {deleting && d ? (
        <DeleteModal
          target={target}
          store={d}
          onClose={() => setDeleting(false)}
          onDeleted={(status) => {
            setDeleting(false);
            actions.announce(`Data store ${title} is ${status.toLowerCase()}.`);
            props.onDeleted(title, status);
          }}
        />
      ) : null}
    </SpaceBetween>
  );
}

function ImportJobs({ target, datastoreId, onOpenJob }: { target: RunTarget; datastoreId: string; onOpenJob(jobId: string): void }) {
  const [status, setStatus] = useState<ImportJobStatus | ''>('');
  const [page, setPage] = useState(1);
  const jobs = useCommand(() => invoke('jobs:list', { ...target, datastoreId, ...(status ? { status } : {}) }), [target.profile, target.region, datastoreId, status]);
  const options = statusOptions(IMPORT_JOB_STATUSES, 'status');
  const shown = useMemo(() => pageOf(jobs.data ?? [], page), [jobs.data, page]);
  return (
    <Table
      variant="container"
      items={shown.items}
      loading={jobs.loading && !jobs.data}
      loadingText="Loading import jobs"
      trackBy="jobId"
      resizableColumns
      ariaLabels={{ tableLabel: 'Import jobs' }}
      header={
        <Header
          counter={jobs.data ? `(${jobs.data.length})` : undefined}
          description="Every import job of this data store, whoever started it."
          actions={<Button iconName="refresh" ariaLabel="Refresh import jobs" loading={jobs.loading} onClick={jobs.reload} />}
        >
          Import jobs
        </Header>
      }
      filter={
        // In a row, so the select is as wide as its words rather than the whole table.
        <SpaceBetween direction="horizontal" size="xs">
          <Select
            ariaLabel="Filter import jobs by status"
            selectedOption={options.find((o) => o.value === status) ?? options[0]!}
            options={options}
            onChange={(e) => (setStatus((e.detail.selectedOption.value ?? '') as ImportJobStatus | ''), setPage(1))}
          />
        </SpaceBetween>
      }
      pagination={
        <Pagination
          currentPageIndex={shown.page}
          pagesCount={shown.pages}
          onChange={(e) => setPage(e.detail.currentPageIndex)}
          ariaLabels={{ nextPageLabel: 'Next page', previousPageLabel: 'Previous page', pageLabel: (n) => `Page ${n} of ${shown.pages}` }}
        />
      }
      empty={
        jobs.error ? (
          <StatusIndicator type="error">The import jobs could not be listed: {jobs.error}</StatusIndicator>
        ) : (
          <Box textAlign="center" color="inherit">
            {status ? 'No import job with this status.' : 'No import jobs yet.'}
          </Box>
        )
      }
      columnDefinitions={[
        {
          id: 'name',
          header: 'Job name',
          isRowHeader: true,
          cell: (j) => (
            <Link
              href={`#/datastores/${datastoreId}/jobs/${j.jobId}`}
              onFollow={(e) => {
                e.preventDefault();
                onOpenJob(j.jobId);
              }}
            >
              {j.jobName || j.jobId}
            </Link>
          ),
        },
        { id: 'id', header: 'Job ID', width: 320, minWidth: 200, cell: (j) => <span className="mono">{j.jobId}</span> },
        { id: 'status', header: 'Status', cell: (j) => <JobStatus status={j.jobStatus} /> },
        { id: 'submitted', header: 'Submitted', cell: (j) => formatShortDateTime(j.submittedAt) },
        { id: 'ended', header: 'Ended', cell: (j) => formatShortDateTime(j.endedAt) },
      ]}
    />
  );
}

/** The console's confirmation: the store's name typed out before Delete is enabled. */
function DeleteModal({ target, store, onClose, onDeleted }: { target: RunTarget; store: DatastoreDetails; onClose(): void; onDeleted(status: string): void }) {
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const name = store.datastoreName || store.datastoreId;
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const out = await invoke('datastore:delete', { ...target, datastoreId: store.datastoreId });
      onDeleted(out.datastoreStatus);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <Modal
      visible
      onDismiss={onClose}
      header={`Delete data store ${name}`}
      closeAriaLabel="Close"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onClose}>
              Cancel
            </Button>
            <Button variant="primary" disabled={typed !== name} loading={busy} onClick={() => void confirm()}>
              Delete
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box variant="span">
          Delete the data store <b>{name}</b> ({store.datastoreId}) permanently? {store.deletion.reason} This cannot be undone.
        </Box>
        <FormField label={`To confirm deletion, enter the data store name: ${name}`}>
          <Input value={typed} placeholder={name} onChange={(e) => setTyped(e.detail.value)} />
        </FormField>
        {error ? <Alert type="error" header="The data store was not deleted">{error}</Alert> : null}
      </SpaceBetween>
    </Modal>
  );
}
