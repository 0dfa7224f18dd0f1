/**
 * `run` and `import` run the preflight first: a failed check stops before CreateDatastore (exit 1,
 * the failing checks named), an AWS error exits 3, and `--skip-preflight` starts anyway. The
 * results (or that it was skipped) go into the run log's run-started event, so the report shows them.
 */
import type { AwsSession } from '../../core/aws/session';
import type { RunPreflight } from '../../core/engine/events';
import { blockingProblem } from '../../core/app/preflight';
import { preflightInputsFrom } from '../../core/preflight/inputs';
import type { RunSettings } from '../args';
import { EXIT, type ExitCode } from '../exit-codes';
import { exitCodeForPreflight, preflightWithProgress } from '../preflight-command';
import { formatPreflight, preflightJson } from '../preflight-output';
import { writeNotStartedReport } from '../report-file';
import type { CliIO } from './io';

export async function preflightGate(
  session: AwsSession,
  inputs: Record<string, unknown>,
  settings: RunSettings,
  io: CliIO,
  facts: { workflowId?: string },
): Promise<{ preflight: RunPreflight } | { exit: ExitCode }> {
  if (settings.skipPreflight) {
    io.err('Preflight skipped (--skip-preflight).\n');
    return { preflight: { ready: false, skipped: true, checks: [] } };
  }
  // The inputs were validated for the workflow already; a workflow without these fields has nothing to preflight.
  const { inputs: checked } = preflightInputsFrom(inputs);
  if (!checked) return { preflight: { ready: false, skipped: true, checks: [] } };
  const report = await preflightWithProgress(session, checked, io);
  if (report === 'interrupted') {
    io.err('Interrupted during the preflight; nothing was created.\n');
    return { exit: EXIT.interrupted };
  }
  const preflight: RunPreflight = preflightJson(report);
  const code = exitCodeForPreflight(report);
  // stdout keeps one line per event (the run-started line says "preflight ready"); the checks
  // worth reading (warnings, or everything when blocked) go to stderr.
  const warnings = { ...report, checks: report.checks.filter((c) => c.status === 'warn') };
  if (code === EXIT.completed) {
    if (warnings.checks.length > 0) io.err(formatPreflight(warnings, false));
    return { preflight };
  }
  io.err(formatPreflight(report, false));

  const failing = report.checks.filter((c) => c.status === 'fail');
  // The app's Start refuses with the same sentence (core/app/preflight.ts).
  const message = blockingProblem(report) ?? 'The preflight did not pass';
  io.err(`${message}. Nothing was created.\nFix ${failing.length === 1 ? 'it' : 'them'} and run again, or start anyway with --skip-preflight.\n`);
  if (settings.report) {
    await writeNotStartedReport(settings.report, {
      ...facts,
      inputs,
      error: { code: code === EXIT.awsError ? 'PreflightError' : 'PreflightFailed', message, action: 'Fix the failing checks, or run with --skip-preflight.' },
      preflight,
    }).catch((w: Error) => io.err(`Could not write the report: ${w.message}\n`));
  }
  return { exit: code };
}
