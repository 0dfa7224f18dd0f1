/**
 * The app's side of a damaged run log (core/runs/damaged-log.ts): a resume is refused with words
 * that say where the log is damaged and what to click, and 'run:repair' cuts the log (keeping a
 * backup) unless the run is running in this process.
 */
import { RunLogDamagedError, type RunLogSummary } from '../../core/runs/run-store';
import { repairRunLog, type RunLogRepair } from '../../core/runs/repair-log';

/** Throws when History lists the run as damaged: resuming would replay only part of it. */
export function refuseDamagedResume(runId: string, summary: RunLogSummary | undefined): void {
  if (!summary?.damage) return;
  const e = new RunLogDamagedError(runId, summary.damage);
  throw new Error(`${e.message[0]!.toUpperCase()}${e.message.slice(1)}. Choose Repair log in History, then Resume.`);
}

export async function repairRun(runsDir: string, runId: string, running: boolean): Promise<RunLogRepair> {
  if (running) throw new Error(`Run ${runId} is running; its log is repaired only once it has stopped.`);
  return repairRunLog(runsDir, runId);
}
