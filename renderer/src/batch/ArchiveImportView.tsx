/**
 * "Import an archive": where the archive is, where results go and which role reads it; Plan lists
 * the archive (nothing is started) and shows the import jobs it is cut into, the files, the size,
 * the API calls it will make and any folder that cannot be cut, with the fix; Start hands the
 * batch to the runner and opens its batch view. A plan is for the fields it was made from: change
 * one and it must be planned again before Start.
 *
 * Opened from a data store's page ("Import an archive"), the account, region and data store are
 * that page's and fixed. "Browse S3" picks the archive, output and staging folders in the S3
 * browser; the archive's object count and size are kept beside its field (no one-job warning: an
 * archive is expected to be bigger than one job).
 */
import { useEffect, useMemo, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Pagination from '@cloudscape-design/components/pagination';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { SANDBOX_PROFILE, type BatchPlanSummary, type ProfileSummary, type S3PrefixSummary } from '../../../contract/ipc';
import { errorMessage, invoke } from '../api';
import { useAppActions } from '../appContext';
import { S3PrefixBrowser } from '../components/S3PrefixBrowser';
import { pageOf } from '../state/paging';
import { orderedProfiles } from '../state/profiles';
import { objectCountText, outputWarning, sizeText, stagingWarning } from '../state/s3Browse';
import { ARCHIVE_LABELS, archiveFormIssues, archiveRequest, count, EMPTY_ARCHIVE_FORM, formatBytes, planKey, planView, startingView, startRequest, type ArchiveForm } from '../state/batchView';
import { profileOption } from '../wizard/AccountStep';
import { TextField } from '../wizard/fields';
import { REGION_OPTIONS } from '../wizard/regions';

export interface ArchiveImportPreset {
  profile?: string;
  region?: string;
  /** Set from a data store's page: the store (and the page's profile and region) are fixed. */
  datastoreId?: string;
  datastoreName?: string;
}

/** The fields "Browse S3" can fill. */
type S3Field = 'inputS3Uri' | 'outputS3Uri' | 'stageTo';

const BROWSE_TEXT: Record<S3Field, { title: string; description: string; label: string }> = {
  inputS3Uri: { title: 'Choose the archive folder', description: 'The folder whose DICOM files are imported, with every subfolder, as many import jobs as it needs.', label: 'archive location' },
  outputS3Uri: { title: 'Choose the output folder', description: 'Every import job writes its results into a folder of its own under this one. It must not be inside the archive.', label: 'output location' },
  stageTo: { title: 'Choose the staging folder', description: 'Folders that cannot be cut into jobs are copied here (CopyObject, server side) in parts that fit, and those are imported.', label: 'staging location' },
};

/** Planned jobs shown a page at a time: an archive can be thousands of jobs. */
const JOBS_PAGE = 50;

type PlanState = { state: 'none' } | { state: 'planning' } | { state: 'planned'; key: string; plan: BatchPlanSummary } | { state: 'failed'; message: string };

export default function ArchiveImportView({
  profiles,
  preset,
  onStarted,
  onDatastores,
  onDatastore,
}: {
  profiles: ProfileSummary[];
  preset?: ArchiveImportPreset;
  onStarted: (batchId: string) => void;
  /** From a data store's page: its breadcrumbs lead back to the list and to that page. */
  onDatastores?: () => void;
  onDatastore?: () => void;
}) {
  const { announce } = useAppActions();
  const ordered = useMemo(() => orderedProfiles(profiles), [profiles]);
  const [profile, setProfile] = useState(preset?.profile ?? ordered[0]?.name ?? SANDBOX_PROFILE);
  const current = profiles.find((p) => p.name === profile);
  const [region, setRegion] = useState(preset?.region ?? current?.region ?? 'us-east-1');
  const [form, setForm] = useState<ArchiveForm>({ ...EMPTY_ARCHIVE_FORM, datastoreId: preset?.datastoreId ?? '' });
  const [touched, setTouched] = useState<Partial<Record<keyof ArchiveForm, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [plan, setPlan] = useState<PlanState>({ state: 'none' });
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string>();
  const [browsing, setBrowsing] = useState<S3Field>();
  /** What the S3 browser counted in the archive folder chosen there (shown while the field keeps it). */
  const [chosenArchive, setChosenArchive] = useState<{ uri: string; summary: S3PrefixSummary }>();
  const [jobsPage, setJobsPage] = useState(1);
  const fixed = Boolean(preset?.datastoreId);
  const sandbox = profile === SANDBOX_PROFILE;
  const target = { profile, region: sandbox ? 'us-east-1' : region };

  // The sandbox's demo archive, output folder and role, so a first try needs no typing.
  useEffect(() => {
    if (!sandbox) return;
    let live = true;
    invoke('inputs:defaults', { profile: SANDBOX_PROFILE, region: 'us-east-1' })
      .then((d) => {
        if (!live) return;
        setForm((f) => ({ ...f, inputS3Uri: f.inputS3Uri || d.inputS3Uri, outputS3Uri: f.outputS3Uri || d.outputS3Uri, dataAccessRoleArn: f.dataAccessRoleArn || d.dataAccessRoleArn }));
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [sandbox]);

  const issues = archiveFormIssues(form, { requireAll: submitted });
  const shown = (field: keyof ArchiveForm) => (submitted || touched[field] ? issues[field] : undefined);
  const set = (field: keyof ArchiveForm) => (value: string) => setForm((f) => ({ ...f, [field]: value }));
  const blur = (field: keyof ArchiveForm) => () => setTouched((t) => ({ ...t, [field]: true }));
  const key = planKey(form, target);
  const planned = plan.state === 'planned' ? plan : undefined;
  const stale = planned !== undefined && planned.key !== key;
  const view = planned ? planView(planned.plan, form.stageTo) : undefined;

  const doPlan = async () => {
    setSubmitted(true);
    setStartError(undefined);
    if (Object.keys(archiveFormIssues(form, { requireAll: true })).length) return;
    setPlan({ state: 'planning' });
    try {
      const result = await invoke('batch:plan', { ...target, ...archiveRequest(form) });
      setPlan({ state: 'planned', key, plan: result });
      setJobsPage(1);
      announce(`Planned: ${result.jobs.length} import jobs.`);
    } catch (e) {
      setPlan({ state: 'failed', message: errorMessage(e) });
    }
  };

  const doStart = async () => {
    setStarting(true);
    setStartError(undefined);
    try {
      const { batchId } = await invoke('batch:start', { ...target, ...startRequest(form) });
      announce('Archive import started.');
      onStarted(batchId);
    } catch (e) {
      setStartError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  const canStart = planned !== undefined && !stale && !view?.blocked && !issues.concurrency && !issues.stageTo;
  const jobsShown = planned ? pageOf(planned.plan.jobs, jobsPage, JOBS_PAGE) : undefined;
  const archiveCounted = chosenArchive && chosenArchive.uri === form.inputS3Uri.trim() ? chosenArchive.summary : undefined;
  const browse = (field: S3Field) => (
    <Button iconName="search" onClick={() => setBrowsing(field)} ariaLabel={`Browse S3 for the ${BROWSE_TEXT[field].label}`}>
      Browse S3
    </Button>
  );

  return (
    <ContentLayout
      breadcrumbs={
        fixed && onDatastores && onDatastore ? (
          <BreadcrumbGroup
            ariaLabel="Breadcrumbs"
            items={[
              { text: 'Data stores', href: '#/datastores' },
              { text: preset?.datastoreName || form.datastoreId, href: `#/datastores/${form.datastoreId}` },
              { text: 'Import an archive', href: '#/archive' },
            ]}
            onFollow={(e) => {
              e.preventDefault();
              if (e.detail.href === '#/datastores') onDatastores();
              else if (e.detail.href.startsWith('#/datastores/')) onDatastore();
            }}
          />
        ) : undefined
      }
      header={
        <Header variant="h1" description="Import a whole DICOM archive already in S3: it is cut into import jobs that each fit HealthImaging's limits, and run within the data store's concurrency quota. A batch survives restarts and can be resumed.">
          Import an archive
        </Header>
      }
    >
      <Form
        actions={
          <SpaceBetween direction="horizontal" size="xs">
            <Button onClick={() => void doPlan()} loading={plan.state === 'planning'} variant={planned && !stale ? 'normal' : 'primary'}>
              {planned ? 'Plan again' : 'Plan'}
            </Button>
            <Button variant={planned && !stale ? 'primary' : 'normal'} disabled={!canStart} loading={starting} onClick={() => void doStart()}>
              Start import
            </Button>
          </SpaceBetween>
        }
        errorText={startError}
      >
        <SpaceBetween size="l">
          {fixed ? (
            <Container header={<Header variant="h2" description="From the data store's page: the archive is imported into this data store, with that page's account and region.">Data store</Header>}>
              <KeyValuePairs
                columns={3}
                items={[
                  {
                    label: 'Data store',
                    value: (
                      <>
                        {preset?.datastoreName ? <div>{preset.datastoreName}</div> : null}
                        <span className="mono">{form.datastoreId}</span>
                      </>
                    ),
                  },
                  { label: 'AWS profile', value: current?.label ?? profile },
                  { label: 'Region', value: target.region },
                ]}
              />
            </Container>
          ) : (
            <Container header={<Header variant="h2">Account and data store</Header>}>
              <ColumnLayout columns={2}>
                <FormField controlId="archive-profile" label="AWS profile">
                  <Select
                    controlId="archive-profile"
                    selectedOption={ordered.map(profileOption).find((o) => o.value === profile) ?? null}
                    options={ordered.map(profileOption)}
                    onChange={(e) => {
                      const next = profiles.find((p) => p.name === e.detail.selectedOption.value);
                      if (!next) return;
                      setProfile(next.name);
                      if (next.region) setRegion(next.region);
                    }}
                  />
                </FormField>
                <FormField controlId="archive-region" label="Region" description={sandbox ? 'The sandbox answers in us-east-1 only.' : undefined}>
                  <Select
                    controlId="archive-region"
                    disabled={sandbox}
                    selectedOption={REGION_OPTIONS.find((o) => o.value === target.region) ?? null}
                    options={REGION_OPTIONS}
                    onChange={(e) => setRegion(e.detail.selectedOption.value ?? 'us-east-1')}
                  />
                </FormField>
              </ColumnLayout>
              <Box margin={{ top: 'l' }}>
                <TextField
                  id="archive-datastore"
                  label={ARCHIVE_LABELS.datastoreId}
                  description="The ACTIVE data store the archive is imported into."
                  constraint="32 lowercase letters or digits"
                  value={form.datastoreId}
                  onChange={set('datastoreId')}
                  onBlur={blur('datastoreId')}
                  error={shown('datastoreId')}
                  monospace
                />
              </Box>
            </Container>
          )}

          <Container header={<Header variant="h2" description="The archive is read where it is: nothing is downloaded or copied unless a folder needs staging.">Archive</Header>}>
            <SpaceBetween size="l">
              <TextField
                id="archive-input"
                label={ARCHIVE_LABELS.inputS3Uri}
                description="The S3 folder (prefix) that holds the DICOM files, with every subfolder."
                constraint={archiveCounted ? `${objectCountText(archiveCounted)}, ${sizeText(archiveCounted)} (counted in the S3 browser)` : 's3://BUCKET/PREFIX/ — a folder, ending in /'}
                secondaryControl={browse('inputS3Uri')}
                placeholder="s3://bucket/archive/"
                value={form.inputS3Uri}
                onChange={set('inputS3Uri')}
                onBlur={blur('inputS3Uri')}
                error={shown('inputS3Uri')}
              />
              <TextField
                id="archive-output"
                label={ARCHIVE_LABELS.outputS3Uri}
                description="Where every import job writes its results (one folder per job)."
                placeholder="s3://bucket/import-output/"
                secondaryControl={browse('outputS3Uri')}
                value={form.outputS3Uri}
                onChange={set('outputS3Uri')}
                onBlur={blur('outputS3Uri')}
                error={shown('outputS3Uri')}
              />
              <TextField
                id="archive-role"
                label={ARCHIVE_LABELS.dataAccessRoleArn}
                description="The IAM role HealthImaging assumes to read the archive and write the output."
                placeholder="arn:aws:iam::123456789012:role/NAME"
                value={form.dataAccessRoleArn}
                onChange={set('dataAccessRoleArn')}
                onBlur={blur('dataAccessRoleArn')}
                error={shown('dataAccessRoleArn')}
              />
              <ExpandableSection headerText="Limits and pace" variant="footer">
                <ColumnLayout columns={2}>
                  <TextField
                    id="archive-max-files"
                    label={ARCHIVE_LABELS.maxFiles}
                    optional
                    description="HealthImaging's default quota is 5,000; set it when yours was raised (or lower, to try a small archive as several jobs)."
                    placeholder="5000"
                    inputMode="numeric"
                    value={form.maxFiles}
                    onChange={set('maxFiles')}
                    onBlur={blur('maxFiles')}
                    error={shown('maxFiles')}
                  />
                  <TextField
                    id="archive-concurrency"
                    label={ARCHIVE_LABELS.concurrency}
                    optional
                    description="Default: the region's quota (100; 20 in Asia Pacific (Sydney))."
                    placeholder={target.region === 'ap-southeast-2' ? '20' : '100'}
                    inputMode="numeric"
                    value={form.concurrency}
                    onChange={set('concurrency')}
                    onBlur={blur('concurrency')}
                    error={shown('concurrency')}
                  />
                </ColumnLayout>
              </ExpandableSection>
            </SpaceBetween>
          </Container>

          {plan.state === 'failed' ? (
            <Alert type="error" header="The archive could not be planned">
              {plan.message}
            </Alert>
          ) : null}
          {plan.state === 'planning' ? (
            <Container>
              <StatusIndicator type="loading">Listing the archive (ListObjectsV2, 1,000 objects a page)…</StatusIndicator>
            </Container>
          ) : null}
          {planned && view ? (
            <SpaceBetween size="l">
              {stale ? (
                <Alert type="info" header="The form changed since this plan">
                  Plan again before starting: the plan below is for the earlier values.
                </Alert>
              ) : null}
              <Container header={<Header variant="h2" description={view.headline} counter={`(${count(planned.plan.jobs.length)} jobs)`}>Plan</Header>}>
                <SpaceBetween size="l">
                  <ColumnLayout columns={4} variant="text-grid">
                    {view.stats.map((s) => (
                      <div key={s.label}>
                        <Box variant="awsui-key-label">{s.label}</Box>
                        <Box variant="awsui-value-large">{s.value}</Box>
                        {s.detail ? (
                          <Box variant="small" display="block" color="text-body-secondary">
                            {s.detail}
                          </Box>
                        ) : null}
                      </div>
                    ))}
                  </ColumnLayout>
                  <Table
                    variant="embedded"
                    ariaLabels={{ tableLabel: 'Expected API calls' }}
                    header={<Header variant="h3">Expected API calls</Header>}
                    items={view.expectedCalls}
                    trackBy="operation"
                    columnDefinitions={[
                      { id: 'op', header: 'Operation', cell: (c) => <Box fontSize="body-s"><code>{c.operation}</code></Box>, isRowHeader: true },
                      { id: 'calls', header: 'Calls', cell: (c) => c.calls },
                      { id: 'note', header: 'What for', cell: (c) => c.note },
                    ]}
                  />
                </SpaceBetween>
              </Container>
              {view.unsplittable.length ? (
                <Container header={<Header variant="h2" counter={`(${view.unsplittable.length})`} description="No prefix can take these files apart from the rest of their folder.">Folders that cannot be cut into jobs</Header>}>
                  <SpaceBetween size="m">
                    {view.unsplittable.map((u) => (
                      <Alert key={u.prefix} type={u.stageable ? 'warning' : 'error'} header={<code>{u.prefix}</code>}>
                        <SpaceBetween size="xxs">
                          <span>{u.detail}</span>
                          <span>
                            <b>Fix:</b> {u.fix}
                          </span>
                        </SpaceBetween>
                      </Alert>
                    ))}
                    {view.unsplittable.some((u) => u.stageable) ? (
                      <TextField
                        id="archive-stage-to"
                        label={ARCHIVE_LABELS.stageTo}
                        description="An S3 folder the import role can read, in the same bucket or one you own. The same as --stage-to on the command line."
                        placeholder="s3://bucket/staged/"
                        secondaryControl={browse('stageTo')}
                        value={form.stageTo}
                        onChange={set('stageTo')}
                        onBlur={blur('stageTo')}
                        error={shown('stageTo')}
                      />
                    ) : null}
                  </SpaceBetween>
                </Container>
              ) : null}
              <Table
                ariaLabels={{ tableLabel: 'Planned import jobs' }}
                header={<Header counter={`(${count(planned.plan.jobs.length)})`} description="One import job per prefix; folders, and so series, stay together.">Planned import jobs</Header>}
                items={jobsShown!.items}
                trackBy="inputS3Uri"
                wrapLines
                pagination={
                  jobsShown!.pages > 1 ? (
                    <Pagination
                      currentPageIndex={jobsShown!.page}
                      pagesCount={jobsShown!.pages}
                      onChange={(e) => setJobsPage(e.detail.currentPageIndex)}
                      ariaLabels={{ nextPageLabel: 'Next page of jobs', previousPageLabel: 'Previous page of jobs', pageLabel: (n) => `Page ${n} of ${jobsShown!.pages}` }}
                    />
                  ) : undefined
                }
                columnDefinitions={[
                  { id: 'prefix', header: 'Prefix', cell: (j) => <code>{j.inputS3Uri}</code>, isRowHeader: true },
                  { id: 'files', header: 'Files', cell: (j) => count(j.files) },
                  { id: 'size', header: 'Size', cell: (j) => formatBytes(j.bytes) },
                ]}
                empty={<Box textAlign="center">No import job: nothing under this prefix fits a job.</Box>}
              />
              {view.blocked ? <StatusIndicator type="warning">{view.blocked}</StatusIndicator> : null}
            </SpaceBetween>
          ) : null}
          {/* Next to Start, where the eye is after clicking it. */}
          {starting && planned ? <StartingNotice {...startingView(planned.plan, form.stageTo)} /> : null}
        </SpaceBetween>
      </Form>
      {browsing ? (
        <S3PrefixBrowser
          target={target}
          title={BROWSE_TEXT[browsing].title}
          description={BROWSE_TEXT[browsing].description}
          value={form[browsing] || (browsing === 'inputS3Uri' ? '' : form.inputS3Uri)}
          // No one-job warning for the archive (it is expected to be big); the others must not be inside it.
          {...(browsing === 'inputS3Uri' ? {} : { warn: (summary: S3PrefixSummary) => (browsing === 'stageTo' ? stagingWarning : outputWarning)(summary, form.inputS3Uri) })}
          onDismiss={() => setBrowsing(undefined)}
          onChoose={(uri, summary) => {
            set(browsing)(uri);
            setTouched((t) => ({ ...t, [browsing]: true }));
            if (browsing === 'inputS3Uri') setChosenArchive(summary ? { uri, summary } : undefined);
            setBrowsing(undefined);
          }}
        />
      ) : null}
    </ContentLayout>
  );
}

/**
 * Start is pending: the archive is listed again and, with a staging location, every file of the
 * folders that cannot be cut is copied before the batch exists; the wait has no count to show,
 * so an indeterminate indicator says what it is waiting for (announced once, politely).
 */
function StartingNotice({ header, detail }: { header: string; detail: string }) {
  return (
    <Container>
      <div role="status" aria-live="polite" data-testid="archive-starting">
        <SpaceBetween size="xs">
          <StatusIndicator type="loading">{header}</StatusIndicator>
          <Box variant="small" color="text-body-secondary">
            {detail}
          </Box>
        </SpaceBetween>
      </div>
    </Container>
  );
}
