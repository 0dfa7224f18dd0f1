/** `ahi-onboard report RUN_ID --format json|html|md|pdf [-o FILE]`: a report from a recorded run. */
import { resolve } from 'node:path';
import { createRunStore, readRunLog } from '../core/runs/run-store';
import { ChromiumNotFoundError, exportReport, renderReport } from '../core/report/index';
import type { ReportFormat } from './args';
import { defaultRunsDir } from './data-dir';
import { repairHint } from './repair-command';
import { EXIT, UsageError, type ExitCode } from './exit-codes';

export async function reportCommand(opts: {
  runId: string;
  runsDir?: string;
  sandbox: boolean;
  format: ReportFormat;
  output?: string;
  out: (s: string) => void;
  err: (s: string) => void;
  env?: NodeJS.ProcessEnv;
}): Promise<ExitCode> {
  // Without --runs-dir, look in the runs dir of AWS runs, then of sandbox runs.
  const dirs = opts.runsDir ? [opts.runsDir] : opts.sandbox ? [defaultRunsDir(true, opts.env)] : [defaultRunsDir(false, opts.env), defaultRunsDir(true, opts.env)];
  for (const dir of dirs) {
    const store = createRunStore(resolve(dir));
    const header = await store.readHeader(opts.runId).catch(() => undefined);
    if (!header) continue;
    // A damaged log still gets its report: the readable part, the damaged line named in it and here.
    const { events, damage } = await readRunLog(store.dir, opts.runId);
    const build = damage ? { logDamage: damage } : {};
    if (damage) opts.err(`Warning: line ${damage.line} of the run log is damaged (${damage.reason}); the report covers the ${events.length} events before it.\n${repairHint(opts.runId, { runsDir: store.dir })}\n`);
    if (!opts.output) {
      const text = renderReport(events, opts.format as 'json' | 'html' | 'md', build);
      opts.out(text.endsWith('\n') ? text : text + '\n');
      return EXIT.completed;
    }
    try {
      const done = await exportReport(events, opts.format, resolve(opts.output), build);
      opts.err(`Wrote ${done.format} report to ${done.path} (${done.bytes} bytes).\n`);
    } catch (e) {
      if (e instanceof ChromiumNotFoundError) throw new UsageError(e.message);
      throw e;
    }
    return EXIT.completed;
  }
  throw new UsageError(`No run "${opts.runId}" in ${dirs.map((d) => resolve(d)).join(' or ')}.`, 'Pass --runs-dir DIR where the run was recorded.');
}
