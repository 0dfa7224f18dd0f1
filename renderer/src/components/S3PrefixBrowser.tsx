/**
 * "Browse S3" for a prefix field, in the pattern of the console's S3 resource selector: a modal
 * with breadcrumbs, a table of buckets and then of one folder's subfolders and objects, folders
 * opened by their name, and a folder chosen with its radio button (or the folder you are in). The
 * chosen folder's object count and size are shown before Choose, counted by the main process
 * (ListObjectsV2, up to 100,000 objects: "at least" past that).
 *
 * Reusable: the caller gives the title, what the choice is for, the field's value (the browser
 * opens there) and an optional check of the counts (the Import step warns past one job's limits).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import Icon from '@cloudscape-design/components/icon';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Link from '@cloudscape-design/components/link';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import type { RunTarget, S3BucketEntry, S3PrefixSummary } from '../../../contract/ipc';
import { errorMessage, invoke } from '../api';
import { formatShortDateTime } from '../state/labels';
import { crumbs, entryName, formatBytes, locationOf, objectCountText, s3Uri, sizeText, type S3Location } from '../state/s3Browse';

export interface S3PrefixBrowserProps {
  /** The profile and region whose S3 is browsed (the run's). */
  target: RunTarget;
  /** The modal's title, e.g. "Choose the input folder". */
  title: string;
  /** What the chosen folder is for, under the title. */
  description?: string;
  /** The field's current value: the browser opens at that folder. */
  value?: string;
  /** The account that owns the buckets, when it is not the caller's (ExpectedBucketOwner). */
  expectedBucketOwner?: string;
  /** A warning about the chosen folder's counts (too much for one job...), or undefined. */
  warn?(summary: S3PrefixSummary): string | undefined;
  onChoose(uri: string, summary?: S3PrefixSummary): void;
  onDismiss(): void;
}

interface Row {
  kind: 'bucket' | 'folder' | 'object';
  /** Bucket name, folder prefix or object key. */
  id: string;
  name: string;
  region?: string;
  size?: number;
  modified?: string;
}

type Counted = { uri: string } & ({ state: 'loading' } | { state: 'done'; summary: S3PrefixSummary } | { state: 'error'; message: string });

export function S3PrefixBrowser(props: S3PrefixBrowserProps) {
  const { expectedBucketOwner } = props;
  // Callers pass a new { profile, region } object every render: keyed by its values.
  const target = useMemo<RunTarget>(() => ({ profile: props.target.profile, region: props.target.region }), [props.target.profile, props.target.region]);
  const [at, setAt] = useState<S3Location>(() => locationOf(props.value ?? ''));
  const [region, setRegion] = useState<string>();
  const [buckets, setBuckets] = useState<S3BucketEntry[]>();
  const [rows, setRows] = useState<Row[]>([]);
  const [nextToken, setNextToken] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<Row>();
  const [filter, setFilter] = useState('');
  const [counted, setCounted] = useState<Counted>();
  const [round, setRound] = useState(0);
  /** Answers to an older location or page are dropped. */
  const listing = useRef(0);

  const owner = expectedBucketOwner && /^\d{12}$/.test(expectedBucketOwner) ? { expectedBucketOwner } : {};
  const bucketsOf = useCallback(async () => {
    const result = await invoke('s3:buckets', target);
    setRegion(result.region);
    setBuckets(result.buckets);
    return result;
  }, [target]);

  // The rows of the current location: the buckets (with the region that tells which ones
  // HealthImaging can use here), or the first page of a folder.
  useEffect(() => {
    const mine = ++listing.current;
    setLoading(true);
    setError(undefined);
    setRows([]);
    setNextToken(undefined);
    setSelected(undefined);
    setFilter('');
    void (async () => {
      try {
        if (!at.bucket) {
          const { buckets: all } = await bucketsOf();
          if (mine === listing.current) setRows(all.map((b) => ({ kind: 'bucket', id: b.name, name: b.name, ...(b.region ? { region: b.region } : {}), ...(b.createdAt ? { modified: b.createdAt } : {}) })));
        } else {
          const page = await invoke('s3:list', { ...target, bucket: at.bucket, prefix: at.prefix, ...owner });
          if (mine !== listing.current) return;
          setRows(rowsOf(page.folders, page.objects, at.prefix));
          setNextToken(page.nextToken);
        }
      } catch (e) {
        if (mine === listing.current) setError(errorMessage(e));
      } finally {
        if (mine === listing.current) setLoading(false);
      }
    })();
    // `owner` is derived from expectedBucketOwner, which is listed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [at, target, expectedBucketOwner, round, bucketsOf]);

  const more = async () => {
    if (!at.bucket || !nextToken) return;
    const mine = listing.current;
    setLoading(true);
    try {
      const page = await invoke('s3:list', { ...target, bucket: at.bucket, prefix: at.prefix, continuationToken: nextToken, ...owner });
      if (mine !== listing.current) return;
      setRows((r) => [...r, ...rowsOf(page.folders, page.objects, at.prefix)]);
      setNextToken(page.nextToken);
    } catch (e) {
      if (mine === listing.current) setError(errorMessage(e));
    } finally {
      if (mine === listing.current) setLoading(false);
    }
  };

  const otherRegion = (row: Row) => row.kind === 'bucket' && Boolean(region && row.region && row.region !== region);
  // The folder Choose takes: the selected bucket or folder, else the folder you are in.
  const chosen = selected ? (selected.kind === 'bucket' ? s3Uri(selected.id, '') : s3Uri(at.bucket!, selected.id)) : at.bucket ? s3Uri(at.bucket, at.prefix) : undefined;

  // Count what the chosen folder holds; a newer choice replaces (and, in main, stops) the count.
  useEffect(() => {
    if (!chosen) return setCounted(undefined);
    const where = locationOf(chosen);
    setCounted({ uri: chosen, state: 'loading' });
    let current = true;
    invoke('s3:summary', { ...target, bucket: where.bucket!, prefix: where.prefix, ...owner })
      .then((summary) => current && setCounted({ uri: chosen, state: 'done', summary }))
      .catch((e) => current && setCounted({ uri: chosen, state: 'error', message: errorMessage(e) }));
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chosen, target, expectedBucketOwner, round]);

  const open = (location: S3Location) => setAt(location);
  const visible = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f ? rows.filter((r) => r.name.toLowerCase().includes(f)) : rows;
  }, [rows, filter]);
  const summary = counted?.state === 'done' ? counted.summary : undefined;
  const warning = summary && props.warn ? props.warn(summary) : undefined;
  const trail = crumbs(at);

  return (
    <Modal
      visible
      size="large"
      header={<Header description={props.description}>{props.title}</Header>}
      onDismiss={props.onDismiss}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={props.onDismiss}>
              Cancel
            </Button>
            <Button variant="primary" disabled={!chosen} onClick={() => chosen && props.onChoose(chosen, summary)}>
              Choose
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <BreadcrumbGroup
          ariaLabel="S3 location"
          items={trail.map((c, i) => ({ text: c.text, href: `#s3-${i}` }))}
          onFollow={(e) => {
            e.preventDefault();
            const i = Number(e.detail.href.slice('#s3-'.length));
            if (trail[i]) open(trail[i].location);
          }}
        />
        {error ? (
          <Alert
            type="error"
            header={at.bucket ? `The folder ${s3Uri(at.bucket, at.prefix)} could not be listed` : 'The buckets could not be listed'}
            action={<Button onClick={() => setRound((r) => r + 1)}>Retry</Button>}
          >
            {error}
          </Alert>
        ) : null}
        <Table<Row>
          variant="embedded"
          items={visible}
          trackBy={(r) => `${r.kind}:${r.id}`}
          loading={loading && rows.length === 0}
          loadingText={at.bucket ? 'Loading objects' : 'Loading buckets'}
          selectionType="single"
          selectedItems={selected ? [selected] : []}
          onSelectionChange={(e) => setSelected(e.detail.selectedItems[0])}
          isItemDisabled={(r) => r.kind === 'object' || otherRegion(r)}
          ariaLabels={{
            tableLabel: at.bucket ? `Objects in ${s3Uri(at.bucket, at.prefix)}` : 'Buckets',
            selectionGroupLabel: at.bucket ? 'Folders' : 'Buckets',
            itemSelectionLabel: (_, r) => `Select ${r.kind} ${r.name}`,
            allItemsSelectionLabel: () => 'Select all',
          }}
          header={
            <Header
              variant="h3"
              counter={loading && rows.length === 0 ? undefined : `(${rows.length}${nextToken ? '+' : ''})`}
              actions={
                <Button iconName="refresh" ariaLabel={at.bucket ? 'Refresh the objects' : 'Refresh the buckets'} onClick={() => setRound((r) => r + 1)} />
              }
            >
              {at.bucket ? 'Objects' : 'Buckets'}
            </Header>
          }
          filter={
            <TextFilter
              filteringText={filter}
              filteringPlaceholder={at.bucket ? 'Find objects by name (loaded ones)' : 'Find buckets'}
              filteringAriaLabel={at.bucket ? 'Find objects by name' : 'Find buckets by name'}
              countText={filter ? `${visible.length} ${visible.length === 1 ? 'match' : 'matches'}` : undefined}
              onChange={(e) => setFilter(e.detail.filteringText)}
            />
          }
          empty={
            <Box textAlign="center" color="inherit" padding="m">
              <b>{at.bucket ? 'No objects' : 'No buckets'}</b>
              <Box color="inherit">{at.bucket ? 'This folder is empty.' : 'This account has no S3 buckets.'}</Box>
            </Box>
          }
          footer={
            nextToken ? (
              <Box textAlign="center">
                <Button variant="link" loading={loading} onClick={() => void more()}>
                  Show more
                </Button>
              </Box>
            ) : undefined
          }
          columnDefinitions={[
            {
              id: 'name',
              header: 'Name',
              isRowHeader: true,
              cell: (r) =>
                r.kind === 'object' ? (
                  <span>
                    <Icon name="file" /> {r.name}
                  </span>
                ) : otherRegion(r) ? (
                  <span>{r.name}</span>
                ) : (
                  <Link
                    href="#"
                    ariaLabel={`Open ${r.kind} ${r.name}`}
                    onFollow={(e) => {
                      e.preventDefault();
                      open(r.kind === 'bucket' ? { bucket: r.id, prefix: '' } : { bucket: at.bucket!, prefix: r.id });
                    }}
                  >
                    {r.kind === 'folder' ? <Icon name="folder" /> : null} {r.name}
                  </Link>
                ),
            },
            ...(at.bucket
              ? [
                  { id: 'type', header: 'Type', cell: (r: Row) => (r.kind === 'folder' ? 'Folder' : 'Object'), width: 110 },
                  { id: 'modified', header: 'Last modified', cell: (r: Row) => (r.modified ? formatShortDateTime(r.modified) : '—'), width: 170 },
                  { id: 'size', header: 'Size', cell: (r: Row) => (r.size === undefined ? '—' : formatBytes(r.size)), width: 110 },
                ]
              : [
                  {
                    id: 'region',
                    header: 'Region',
                    cell: (r: Row) =>
                      otherRegion(r) ? <StatusIndicator type="warning">{`${r.region} — not ${region}`}</StatusIndicator> : (r.region ?? '—'),
                  },
                  { id: 'created', header: 'Created', cell: (r: Row) => formatShortDateTime(r.modified), width: 170 },
                ]),
          ]}
        />
        {buckets && region && buckets.some((b) => b.region && b.region !== region) && !at.bucket ? (
          <Box variant="small" color="text-body-secondary">
            HealthImaging reads input and writes results only in {region}, the data store's region: buckets of other regions cannot be chosen.
          </Box>
        ) : null}
        <SelectedFolder counted={counted} />
        {warning ? <Alert type="warning">{warning}</Alert> : null}
        {summary && summary.objects === 0 ? <Alert type="info">This folder holds no objects yet.</Alert> : null}
      </SpaceBetween>
    </Modal>
  );
}

function rowsOf(folders: string[], objects: Array<{ key: string; size: number; lastModified?: string }>, parent: string): Row[] {
  return [
    ...folders.map((f): Row => ({ kind: 'folder', id: f, name: entryName(f, parent) })),
    ...objects.map((o): Row => ({ kind: 'object', id: o.key, name: entryName(o.key, parent), size: o.size, ...(o.lastModified ? { modified: o.lastModified } : {}) })),
  ];
}

/** The folder Choose takes, with its object count and size as they are counted. */
function SelectedFolder({ counted }: { counted: Counted | undefined }) {
  if (!counted) return <Box color="text-body-secondary">Open a bucket, then choose a folder: select it, or open it and choose the folder you are in.</Box>;
  const pending = <StatusIndicator type="loading">Counting</StatusIndicator>;
  const failed = counted.state === 'error' ? <StatusIndicator type="error">{counted.message}</StatusIndicator> : undefined;
  return (
    <div data-testid="s3-selected-folder" aria-live="polite">
      <KeyValuePairs
        columns={3}
        items={[
          { label: 'Selected folder', value: <Box variant="code">{counted.uri}</Box> },
          { label: 'Objects', value: counted.state === 'done' ? objectCountText(counted.summary) : (failed ?? pending) },
          { label: 'Total size', value: counted.state === 'done' ? sizeText(counted.summary) : counted.state === 'error' ? '—' : pending },
        ]}
      />
    </div>
  );
}
