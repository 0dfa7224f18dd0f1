/** One run, live or finished: picks the Run or the Done view from the run's phase. */
import { lazy, Suspense, useEffect } from 'react';
import Spinner from '@cloudscape-design/components/spinner';
import { useAppActions } from '../appContext';
import { useRunLog } from '../runStoreInstance';
import { stepTitle } from '../state/labels';
import { progressAnnouncement } from '../state/timeline';
import { RunView } from './RunView';

const DoneView = lazy(() => import('./DoneView').then((m) => ({ default: m.DoneView })));

export default function RunScreen({ runId }: { runId: string }) {
  const log = useRunLog(runId);
  const { announce } = useAppActions();
  // Status changes go to the shell's always-mounted live region (a region mounted together with
  // its text is not reliably read). The text changes with the step and its status, not per tick.
  const progress = progressAnnouncement(log.view, stepTitle);
  useEffect(() => {
    if (progress) announce(progress);
  }, [progress, announce]);
  if (log.view.phase === 'ended') {
    return (
      <Suspense fallback={<Spinner size="large" />}>
        <DoneView runId={runId} log={log} />
      </Suspense>
    );
  }
  return <RunView runId={runId} log={log} />;
}
