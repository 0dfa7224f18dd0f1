/**
 * Every data store of the account and region, whoever made it, as the console's Data stores page
 * lists them: name, id, status, created, updated; search by name, filter by status, refresh, pages.
 */
import { useMemo, useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Link from '@cloudscape-design/components/link';
import Pagination from '@cloudscape-design/components/pagination';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import type { ProfileSummary, RunTarget } from '../../../contract/ipc';
import { invoke } from '../api';
import { useAppActions } from '../appContext';
import { formatShortDateTime } from '../state/labels';
import { filterDatastores } from '../state/paging';
import { DatastoreStatus, pageOf, statusOptions, TargetPicker, useCommand } from './common';

const STATUSES = ['ACTIVE', 'CREATING', 'CREATE_FAILED', 'DELETING', 'DELETED'] as const;

export default function DatastoresPage(props: { profiles: readonly ProfileSummary[]; target: RunTarget; onTarget(t: RunTarget): void; onOpen(datastoreId: string): void }) {
  const { target } = props;
  const actions = useAppActions();
  const list = useCommand(() => invoke('datastores:list', target), [target.profile, target.region]);
  const [filter, setFilter] = useState('');
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const options = statusOptions(STATUSES, 'status');

  const filtered = useMemo(() => filterDatastores(list.data ?? [], filter, status), [list.data, filter, status]);
  const shown = pageOf(filtered, page);

  return (
    <Table
      variant="full-page"
      loading={list.loading && !list.data}
      loadingText="Loading data stores"
      items={shown.items}
      trackBy="datastoreId"
      resizableColumns
      stickyHeader
      ariaLabels={{ tableLabel: 'Data stores' }}
      header={
        <Header
          variant="awsui-h1-sticky"
          counter={list.data ? (filtered.length === list.data.length ? `(${list.data.length})` : `(${filtered.length}/${list.data.length})`) : undefined}
          description="Every HealthImaging data store in this account and region, whoever created it: the console, a script, or this app."
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <TargetPicker profiles={props.profiles} target={target} onChange={(t) => (setPage(1), props.onTarget(t))} />
              <Button iconName="refresh" ariaLabel="Refresh data stores" loading={list.loading} onClick={list.reload} />
              {/* The console's "Create data store": here a new onboarding, which creates one and imports into it. */}
              <Button variant="primary" onClick={() => actions.newOnboarding()}>
                Create data store
              </Button>
            </SpaceBetween>
          }
        >
          Data stores
        </Header>
      }
      filter={
        <SpaceBetween direction="horizontal" size="xs">
          <TextFilter
            filteringText={filter}
            filteringPlaceholder="Find data stores"
            filteringAriaLabel="Find data stores by name or ID"
            countText={`${filtered.length} ${filtered.length === 1 ? 'match' : 'matches'}`}
            onChange={(e) => (setFilter(e.detail.filteringText), setPage(1))}
          />
          <Select
            ariaLabel="Filter by status"
            selectedOption={options.find((o) => o.value === status) ?? options[0]!}
            options={options}
            onChange={(e) => (setStatus(e.detail.selectedOption.value ?? ''), setPage(1))}
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
        list.error ? (
          <Box textAlign="center" padding="m">
            <SpaceBetween size="s">
              <StatusIndicator type="error">The data stores could not be listed: {list.error}</StatusIndicator>
              <Button onClick={list.reload}>Try again</Button>
            </SpaceBetween>
          </Box>
        ) : (
          <Box textAlign="center" color="inherit" padding="m">
            <b>{list.data && list.data.length > 0 ? 'No matches' : 'No data stores'}</b>
            <Box variant="p" color="inherit">
              {list.data && list.data.length > 0 ? 'No data store matches the filter.' : 'There is no data store in this account and region yet. New onboarding creates one.'}
            </Box>
          </Box>
        )
      }
      columnDefinitions={[
        {
          id: 'name',
          header: 'Name',
          isRowHeader: true,
          cell: (d) => (
            <Link
              href={`#/datastores/${d.datastoreId}`}
              onFollow={(e) => {
                e.preventDefault();
                props.onOpen(d.datastoreId);
              }}
            >
              {d.datastoreName || d.datastoreId}
            </Link>
          ),
        },
        // Wide enough for the whole 32-character id: it is what scripts and the CLI take.
        { id: 'id', header: 'Data store ID', width: 320, minWidth: 200, cell: (d) => <span className="mono">{d.datastoreId}</span> },
        { id: 'status', header: 'Status', cell: (d) => <DatastoreStatus status={d.datastoreStatus} /> },
        { id: 'created', header: 'Created', cell: (d) => formatShortDateTime(d.createdAt) },
        { id: 'updated', header: 'Updated', cell: (d) => formatShortDateTime(d.updatedAt) },
      ]}
    />
  );
}
