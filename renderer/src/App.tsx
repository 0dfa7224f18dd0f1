/**
 * The shell: header, side navigation, the persistent sandbox marker, and which screen shows. The
 * wizard stays mounted while other screens show (a glance at History loses no typing); the run,
 * done and history screens load lazily so the start-up bundle stays small.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import AppLayout from '@cloudscape-design/components/app-layout';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import LiveRegion from '@cloudscape-design/components/live-region';
import SideNavigation, { type SideNavigationProps } from '@cloudscape-design/components/side-navigation';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import type { ProfileSummary, RunTarget } from '../../contract/ipc';
import logoUrl from '../../assets/icons/icon.svg';
import { errorMessage, hasApi, invoke } from './api';
import { AppActionsContext, type AppActions, type Notice } from './appContext';
import type { ArchiveImportPreset } from './batch/ArchiveImportView';
import { MfaModal } from './components/MfaModal';
import { ScreenFocus } from './components/ScreenFocus';
import { Notifications, SANDBOX_TEXT } from './components/SandboxBanner';
import { connectRunEvents, runStore, useRunFact } from './runStoreInstance';
import { addNotice, noticesAfterNavigation } from './state/notices';
import { outcomeTitle, runOutcome } from './state/timeline';
import { initialTarget } from './datastores/common';
import { isSandbox } from './state/wizardModel';
import { OnboardingWizard } from './wizard/OnboardingWizard';
import { importIntoPreset, type WizardPreset } from './wizard/preset';

const RunScreen = lazy(() => import('./run/RunScreen'));
const HistoryView = lazy(() => import('./history/HistoryView'));
const ArchiveImportView = lazy(() => import('./batch/ArchiveImportView'));
const BatchView = lazy(() => import('./batch/BatchView'));
const DatastoresPage = lazy(() => import('./datastores/DatastoresPage'));
const DatastorePage = lazy(() => import('./datastores/DatastorePage'));
const JobPage = lazy(() => import('./datastores/JobPage'));

type Screen =
  | { kind: 'wizard' }
  | { kind: 'run'; runId: string }
  | { kind: 'history' }
  | { kind: 'archive'; preset?: ArchiveImportPreset }
  | { kind: 'batch'; batchId: string }
  | { kind: 'datastores' }
  | { kind: 'datastore'; datastoreId: string }
  | { kind: 'job'; datastoreId: string; jobId: string };

/** The Data stores pages (issue 13): their account and region are their own, picked on the list. */
const isDatastoreScreen = (screen: Screen): screen is Extract<Screen, { kind: 'datastores' | 'datastore' | 'job' }> =>
  screen.kind === 'datastores' || screen.kind === 'datastore' || screen.kind === 'job';

type Boot = { state: 'loading' } | { state: 'ready'; profiles: ProfileSummary[] } | { state: 'failed'; message: string };

export function App() {
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [screen, setScreen] = useState<Screen>({ kind: 'wizard' });
  const [wizard, setWizard] = useState<{ key: number; preset?: WizardPreset }>({ key: 0 });
  const [wizardSandbox, setWizardSandbox] = useState(false);
  // The wizard that started a run is replaced only when the user comes back to it: a fresh wizard
  // re-checks identity, which for an MFA profile would ask for a code nobody is waiting to type.
  const wizardUsed = useRef(false);
  const [activeRunId, setActiveRunId] = useState<string>();
  const [notices, setNotices] = useState<Notice[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const [navigationOpen, setNavigationOpen] = useState(true);
  const [datastoreTarget, setDatastoreTarget] = useState<RunTarget>();
  /** A confirmation for the screen being navigated to (e.g. "deleted" on the list): shown on arrival. */
  const arrivalNotice = useRef<Omit<Notice, 'id'>>(undefined);
  const shownRunSandbox = useRunFact(screen.kind === 'run' ? screen.runId : undefined, (log) => log.view.context?.sandbox);
  const activeRunOutcome = useRunFact(activeRunId, (log) => (log.view.phase === 'ended' ? outcomeTitle(runOutcome(log.view)) : undefined));

  const loadApp = useCallback(async () => {
    setBoot({ state: 'loading' });
    try {
      connectRunEvents();
      const [profiles, active] = await Promise.all([invoke('profiles:list', undefined), invoke('run:active', undefined)]);
      if (active) {
        // A reload during a run: restore its timeline and show it.
        runStore.load(active.runId, active.events);
        setActiveRunId(active.runId);
        setScreen({ kind: 'run', runId: active.runId });
      }
      setDatastoreTarget((t) => t ?? initialTarget(profiles));
      setBoot({ state: 'ready', profiles });
    } catch (e) {
      setBoot({ state: 'failed', message: errorMessage(e) });
    }
  }, []);

  useEffect(() => {
    if (!hasApi()) {
      setBoot({ state: 'failed', message: 'The app bridge (window.onboarding) is missing: open this page from the HealthImaging Onboarding app or the browser host.' });
      return;
    }
    void loadApp();
  }, [loadApp]);

  // A marker end-to-end tests wait for: the first screen is interactive.
  useEffect(() => {
    document.documentElement.dataset.appState = boot.state;
  }, [boot.state]);

  const notify = useCallback((notice: Omit<Notice, 'id'>) => {
    setNotices((list) => addNotice(list, withId(notice)));
  }, []);

  // Confirmations belong to the screen they were given on: leaving it clears them (errors stay
  // until dismissed, since they may still need acting on). One given for the screen arrived at stays.
  useEffect(() => {
    const arrived = arrivalNotice.current;
    arrivalNotice.current = undefined;
    setNotices((list) => (arrived ? addNotice(noticesAfterNavigation(list), withId(arrived)) : noticesAfterNavigation(list)));
  }, [screen]);

  const actions = useMemo<AppActions>(
    () => ({
      async openRun(runId) {
        try {
          runStore.load(runId, await invoke('runs:events', { runId }));
          setScreen({ kind: 'run', runId });
        } catch (e) {
          notify({ type: 'error', header: 'The run could not be opened', content: errorMessage(e) });
        }
      },
      async resumeRun(runId) {
        try {
          const resumed = await invoke('run:resume', { runId });
          runStore.load(resumed.runId, await invoke('runs:events', { runId: resumed.runId }));
          setActiveRunId(resumed.runId);
          setScreen({ kind: 'run', runId: resumed.runId });
          setAnnouncement('Run resumed.');
        } catch (e) {
          notify({ type: 'error', header: 'The run could not resume', content: errorMessage(e) });
        }
      },
      runStarted(runId) {
        setActiveRunId(runId);
        setScreen({ kind: 'run', runId });
        wizardUsed.current = true;
        setAnnouncement('Onboarding started.');
      },
      newOnboarding(preset) {
        wizardUsed.current = false;
        setWizard((w) => ({ key: w.key + 1, preset }));
        setScreen({ kind: 'wizard' });
      },
      showHistory() {
        setScreen({ kind: 'history' });
      },
      openArchiveImport(preset) {
        setScreen({ kind: 'archive', ...(preset ? { preset } : {}) });
      },
      openBatch(batchId) {
        setScreen({ kind: 'batch', batchId });
      },
      watchRun(runId, already) {
        // A job attached from its page: shown live like a run this window started. Watched
        // already: main answered that watch's run, so this opens it rather than a second one.
        setActiveRunId(runId);
        setScreen({ kind: 'run', runId });
        setAnnouncement(already ? 'Already watching this import job: its run is shown.' : 'Watching the import job.');
      },
      announce: setAnnouncement,
      notify,
    }),
    [notify],
  );

  /** Back to the wizard as the user left it, or a fresh one after it started a run. */
  const showWizard = () => (wizardUsed.current ? actions.newOnboarding() : setScreen({ kind: 'wizard' }));

  const sandbox =
    screen.kind === 'run'
      ? (shownRunSandbox ?? wizardSandbox)
      : isDatastoreScreen(screen)
        ? isSandbox(datastoreTarget?.profile ?? '')
        : screen.kind === 'archive' && screen.preset?.profile
          ? isSandbox(screen.preset.profile)
          : wizardSandbox;

  // The run this window started ended while another screen showed: say so, with a way back.
  const onRunScreen = screen.kind === 'run' && screen.runId === activeRunId;
  useEffect(() => {
    if (!activeRunOutcome || onRunScreen) return;
    notify({ type: activeRunOutcome === 'Completed' ? 'success' : 'info', header: `Onboarding run finished: ${activeRunOutcome}`, content: 'Open “Current run” in the navigation for the details and the report.' });
    // Only when the outcome appears, not when the user navigates afterwards.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activeRunOutcome]);

  useEffect(() => {
    const titles = { wizard: 'New onboarding', run: 'Run', history: 'History', archive: 'Import an archive', batch: 'Archive import', datastores: 'Data stores', datastore: 'Data store', job: 'Import job' } as const;
    document.title = `${titles[screen.kind]} · HealthImaging Onboarding${sandbox ? ' (sandbox)' : ''}`;
  }, [screen.kind, sandbox]);

  const navItems: SideNavigationProps.Item[] = [
    { type: 'link', text: 'New onboarding', href: '#/new' },
    ...(activeRunId ? [{ type: 'link' as const, text: 'Current run', href: `#/run/${activeRunId}` }] : []),
    { type: 'link', text: 'Import an archive', href: '#/archive' },
    { type: 'link', text: 'History', href: '#/history' },
    { type: 'link', text: 'Data stores', href: '#/datastores' },
    { type: 'divider' },
    { type: 'link', text: 'HealthImaging documentation', href: 'https://docs.aws.amazon.com/healthimaging/latest/devguide/what-is.html', external: true },
  ];
  const activeHref =
    screen.kind === 'wizard'
      ? '#/new'
      : screen.kind === 'history'
        ? '#/history'
        : screen.kind === 'archive' || screen.kind === 'batch'
          ? '#/archive'
          : isDatastoreScreen(screen)
            ? '#/datastores'
            : `#/run/${screen.runId}`;

  return (
    <AppActionsContext.Provider value={actions}>
      <div id="top-nav" style={{ position: 'sticky', top: 0, zIndex: 1002 }}>
        <TopNavigation
          identity={{ href: '#/new', title: 'HealthImaging Onboarding', logo: { src: logoUrl, alt: '' }, onFollow: (e) => (e.preventDefault(), showWizard()) }}
          utilities={
            sandbox
              ? [
                  {
                    type: 'button',
                    text: 'Sandbox mode',
                    iconName: 'status-info',
                    ariaLabel: 'Sandbox mode: demo data, nothing is created in AWS',
                    title: SANDBOX_TEXT,
                    disableUtilityCollapse: true,
                    onClick: () => window.scrollTo({ top: 0, behavior: 'smooth' }),
                  },
                ]
              : []
          }
          i18nStrings={{ overflowMenuTriggerText: 'More', overflowMenuTitleText: 'All features' }}
        />
      </div>
      <AppLayout
        headerSelector="#top-nav"
        toolsHide
        navigationOpen={navigationOpen}
        onNavigationChange={(e) => setNavigationOpen(e.detail.open)}
        contentType={screen.kind === 'history' || screen.kind === 'datastores' ? 'table' : screen.kind === 'wizard' ? 'wizard' : 'default'}
        ariaLabels={{ navigation: 'Side navigation', navigationClose: 'Close side navigation', navigationToggle: 'Open side navigation', notifications: 'Notifications' }}
        navigation={
          <SideNavigation
            header={{ text: 'Onboarding', href: '#/new' }}
            activeHref={activeHref}
            items={navItems}
            onFollow={(e) => {
              if (e.detail.external) {
                e.preventDefault();
                void invoke('external:open', { url: e.detail.href }).catch((err) => notify({ type: 'error', header: 'The link could not be opened', content: errorMessage(err) }));
                return;
              }
              e.preventDefault();
              const href = e.detail.href;
              if (href === '#/history') actions.showHistory();
              else if (href === '#/archive') setScreen({ kind: 'archive' });
              else if (href === '#/datastores') setScreen({ kind: 'datastores' });
              else if (href.startsWith('#/run/')) setScreen({ kind: 'run', runId: href.slice('#/run/'.length) });
              else showWizard();
            }}
          />
        }
        notifications={<Notifications sandbox={sandbox} notices={notices} dismiss={(id) => setNotices((l) => l.filter((n) => n.id !== id))} />}
        content={
          <>
            <LiveRegion hidden>{announcement}</LiveRegion>
            <MfaModal />
            {boot.state === 'loading' ? (
              <div className="boot">
                <StatusIndicator type="loading">Loading profiles…</StatusIndicator>
              </div>
            ) : boot.state === 'failed' ? (
              <ContentLayout header={<Header variant="h1">HealthImaging Onboarding could not start</Header>}>
                <Box>
                  <StatusIndicator type="error">{boot.message}</StatusIndicator>
                </Box>
                {hasApi() ? (
                  <Box margin={{ top: 'm' }}>
                    <Button onClick={() => void loadApp()}>Try again</Button>
                  </Box>
                ) : null}
              </ContentLayout>
            ) : (
              <>
                <div hidden={screen.kind !== 'wizard'}>
                  <OnboardingWizard
                    key={wizard.key}
                    profiles={boot.profiles}
                    preset={wizard.preset}
                    onSandboxChange={setWizardSandbox}
                    onStarted={actions.runStarted}
                    onDiscard={() => actions.newOnboarding()}
                  />
                </div>
                <Suspense fallback={<Spinner size="large" />}>
                  {screen.kind === 'run' ? (
                    <ScreenFocus key={screen.runId} label="Onboarding run">
                      <RunScreen runId={screen.runId} />
                    </ScreenFocus>
                  ) : null}
                  {screen.kind === 'archive' ? (
                    <ScreenFocus key={screen.preset?.datastoreId ?? 'any'} label="Import an archive">
                      <ArchiveImportView
                        profiles={boot.profiles}
                        {...(screen.preset ? { preset: screen.preset } : {})}
                        onStarted={(batchId) => setScreen({ kind: 'batch', batchId })}
                        onDatastores={() => setScreen({ kind: 'datastores' })}
                        onDatastore={() => screen.preset?.datastoreId && setScreen({ kind: 'datastore', datastoreId: screen.preset.datastoreId })}
                      />
                    </ScreenFocus>
                  ) : null}
                  {screen.kind === 'batch' ? (
                    <ScreenFocus key={screen.batchId} label="Archive import">
                      <BatchView batchId={screen.batchId} />
                    </ScreenFocus>
                  ) : null}
                  {screen.kind === 'history' ? (
                    <ScreenFocus label="Run history">
                      <HistoryView />
                    </ScreenFocus>
                  ) : null}
                  {isDatastoreScreen(screen) && datastoreTarget ? (
                    <ScreenFocus key={`${screen.kind}-${'datastoreId' in screen ? screen.datastoreId : ''}-${'jobId' in screen ? screen.jobId : ''}`} label={titleOf(screen)}>
                      {screen.kind === 'datastores' ? (
                        <DatastoresPage profiles={boot.profiles} target={datastoreTarget} onTarget={setDatastoreTarget} onOpen={(datastoreId) => setScreen({ kind: 'datastore', datastoreId })} />
                      ) : screen.kind === 'datastore' ? (
                        <DatastorePage
                          target={datastoreTarget}
                          datastoreId={screen.datastoreId}
                          onDatastores={() => setScreen({ kind: 'datastores' })}
                          onDeleted={(name, status) => {
                            arrivalNotice.current = {
                              type: 'success',
                              header: `Data store ${name} is being deleted`,
                              content: `DeleteDatastore answered ${status}. The list shows its status until HealthImaging has removed it.`,
                            };
                            setScreen({ kind: 'datastores' });
                          }}
                          onOpenJob={(jobId) => setScreen({ kind: 'job', datastoreId: screen.datastoreId, jobId })}
                          onImport={(store) => actions.newOnboarding(importIntoPreset(datastoreTarget, store))}
                        />
                      ) : (
                        <JobPage
                          target={datastoreTarget}
                          datastoreId={screen.datastoreId}
                          jobId={screen.jobId}
                          onDatastores={() => setScreen({ kind: 'datastores' })}
                          onDatastore={() => setScreen({ kind: 'datastore', datastoreId: screen.datastoreId })}
                          onWatching={actions.watchRun}
                        />
                      )}
                    </ScreenFocus>
                  ) : null}
                </Suspense>
              </>
            )}
          </>
        }
      />
    </AppActionsContext.Provider>
  );
}

const withId = (notice: Omit<Notice, 'id'>): Notice => ({ ...notice, id: `${Date.now()}-${Math.random().toString(36).slice(2)}` });

function titleOf(screen: Screen): string {
  return screen.kind === 'datastores' ? 'Data stores' : screen.kind === 'datastore' ? 'Data store' : 'Import job';
}
