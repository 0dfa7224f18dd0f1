/** The line under a run's title: data store, where it ran (sandbox or region), and the run id. */
import { datastoreNameOf, type TimelineView } from '../state/timeline';

export function RunHeaderDescription({ view, runId }: { view: TimelineView; runId: string }) {
  const name = datastoreNameOf(view);
  const where = view.context ? (view.context.sandbox ? 'Sandbox' : view.context.region) : undefined;
  return (
    <>
      {name ? `Data store “${name}” · ` : ''}
      {where ? `${where} · ` : ''}Run <span className="mono">{runId}</span>
    </>
  );
}
