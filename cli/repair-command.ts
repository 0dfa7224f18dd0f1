/**
 * `ahi-onboard repair RUN_ID [--runs-dir DIR] [--sandbox]`: cuts a damaged run log at its first
 * bad line (core/runs/repair-log.ts), keeping the whole damaged log as a backup, so `resume` can
 * finish the run. Exit 0 when repaired or nothing needed repair; 2 when there is no such run.
 */
import { resolve } from 'node:path';
import { createRunStore } from '../core/runs/run-store';
import { repairRunLog } from '../core/runs/repair-log';
import { defaultRunsDir } from './data-dir';
import { EXIT, UsageError, type ExitCode } from './exit-codes';

/** A path as a shell would need it typed. */
export function shellWord(s: string): string {
  return /^[\w./:@%+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** What to type to repair a damaged run log, with the options the failed command was given. */
export function repairHint(runId: string, where: { runsDir?: string; sandbox?: boolean }): string {
  return `Repair the log (a backup of it is kept), then resume: ahi-onboard repair ${runId}${where.runsDir ? ` --runs-dir ${shellWord(resolve(where.runsDir))}` : where.sandbox ? ' --sandbox' : ''}`;
}

export async function repairCommand(opts: { runId: string; runsDir?: string; sandbox: boolean; out: (s: string) => void; env?: NodeJS.ProcessEnv }): Promise<ExitCode> {
  const dirs = opts.runsDir ? [opts.runsDir] : opts.sandbox ? [defaultRunsDir(true, opts.env)] : [defaultRunsDir(false, opts.env), defaultRunsDir(true, opts.env)];
  for (const dir of dirs.map((d) => resolve(d))) {
    if (!(await createRunStore(dir).readHeader(opts.runId).catch(() => undefined))) continue;
    const r = await repairRunLog(dir, opts.runId);
    if (!r.repaired) {
      opts.out(`The run log of ${opts.runId} is not damaged (${r.keptEvents} events); nothing was changed.\n`);
      return EXIT.completed;
    }
    const d = r.damage!;
    opts.out(
      [
        `Repaired the run log of ${opts.runId}: cut at line ${d.line} (byte ${d.offset}: ${d.reason}).`,
        `Kept ${r.keptEvents} events; cut ${r.cutLines} line${r.cutLines === 1 ? '' : 's'} (${r.cutBytes} bytes)${r.cutEvents > 0 ? `, ${r.cutEvents} of them whole events after the damaged line` : ''}.`,
        `The damaged log is kept as ${r.backupPath}`,
        `Resume with: ahi-onboard resume ${opts.runId} --runs-dir ${shellWord(dir)}`,
        '',
      ].join('\n'),
    );
    return EXIT.completed;
  }
  throw new UsageError(`No run "${opts.runId}" in ${dirs.map((d) => resolve(d)).join(' or ')}.`, 'Pass --runs-dir DIR where the run was recorded.');
}
