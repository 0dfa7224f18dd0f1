/** A run log's summary as History lists it: its state now (running here, paused, or how it ended). */
import { SANDBOX_PROFILE, type RunSummary } from '../../../contract/ipc';
import type { ActiveRun } from '../../../core/app/runs';
import { failedFileCount } from '../../../core/runs/outcome';
import type { RunLogSummary } from '../../../core/runs/run-store';

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export function runSummary(s: RunLogSummary, run: ActiveRun | undefined): RunSummary {
  const state: RunSummary['state'] = run ? (run.handle.state === 'paused' ? 'paused' : 'running') : s.ended && s.status ? s.status : 'interrupted';
  const ctx = s.context;
  const name = s.inputs?.['datastoreName'] ?? s.outputs['datastoreName'];
  // An import into an existing store names it in its inputs before any answer arrives.
  const datastoreId = str(s.outputs['datastoreId']) ?? str(s.inputs?.['datastoreId']);
  // A watch of a job started elsewhere (attach-to-import-job) names its job in its inputs too.
  const jobId = str(s.outputs['jobId']) ?? str(s.inputs?.['jobId']);
  const jobStatus = str(s.outputs['jobStatus']);
  const failedFiles = failedFileCount(s.importResults);
  const profile = ctx?.sandbox ? SANDBOX_PROFILE : ctx?.profile;
  return {
    runId: s.runId,
    workflowId: s.workflowId ?? '',
    startedAt: s.startedAt ?? '',
    ...(s.endedAt && !run ? { endedAt: s.endedAt } : {}),
    state,
    ...(typeof name === 'string' ? { datastoreName: name } : {}),
    ...(datastoreId ? { datastoreId } : {}),
    ...(jobId ? { jobId } : {}),
    ...(jobStatus ? { jobStatus } : {}),
    ...(failedFiles > 0 ? { failedFiles } : {}),
    ...(profile ? { profile } : {}),
    region: ctx?.region ?? '',
    sandbox: ctx?.sandbox ?? false,
    // A damaged log resumes only once repaired (History offers Repair log).
    resumable: !run && s.resumable && !s.damage,
    ...(s.damage ? { damage: s.damage } : {}),
  };
}
