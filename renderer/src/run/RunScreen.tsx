/** One run, live or finished: picks the Run or the Done view from the run's phase. */
import { lazy, Suspense } from 'react';
import Spinner from '@cloudscape-design/components/spinner';
import { useRunLog } from '../runStoreInstance';
import { RunView } from './RunView';

const DoneView = lazy(() => import('./DoneView').then((m) => ({ default: m.DoneView })));

export default function RunScreen({ runId }: { runId: string }) {
  const log = useRunLog(runId);
  if (log.view.phase === 'ended') {
    return (
      <Suspense fallback={<Spinner size="large" />}>
        <DoneView runId={runId} log={log} />
      </Suspense>
    );
  }
  return <RunView runId={runId} log={log} />;
}
