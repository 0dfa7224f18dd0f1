/** Errors before a run started (or could resume): words on stderr, the exit code, a report if asked. */
import { AwsFaultError } from '../../core/aws/errors';
import { InvalidInputsError, InvalidPollingPolicyError, RunNotResumableError, RunResumeError } from '../../core/engine/index';
import { RunAlreadyActiveError } from '../../core/app/runs';
import type { RunSettings } from '../args';
import { EXIT, UsageError, type ExitCode } from '../exit-codes';
import { writeNotStartedReport } from '../report-file';
import type { CliIO } from './io';

export async function failBeforeRun(
  e: unknown,
  io: CliIO,
  settings: RunSettings,
  facts: { workflowId?: string; inputs?: Record<string, unknown>; runId?: string },
): Promise<ExitCode> {
  let code: ExitCode;
  let error: { code: string; message: string; action?: string };
  if (e instanceof InvalidInputsError) {
    code = EXIT.usage;
    error = { code: 'InvalidInputs', message: e.message };
    io.err(`Invalid inputs, nothing was sent:\n${e.issues.map((i) => `  ${i.field}: ${i.message}`).join('\n')}\n`);
  } else if (e instanceof UsageError || e instanceof InvalidPollingPolicyError) {
    code = EXIT.usage;
    error = { code: 'Usage', message: e.message, ...(e instanceof UsageError && e.hint ? { action: e.hint } : {}) };
    io.err(`${e.message}\n${e instanceof UsageError && e.hint ? `${e.hint}\n` : ''}`);
  } else if (e instanceof RunNotResumableError || e instanceof RunResumeError || e instanceof RunAlreadyActiveError) {
    code = EXIT.usage;
    error = { code: e.name, message: e.message };
    io.err(`Cannot resume: ${e.message}\n`);
  } else if (e instanceof AwsFaultError) {
    code = EXIT.awsError;
    const c = e.classification;
    error = { code: c.code, message: c.message, ...(c.action ? { action: c.action } : {}) };
    io.err(`${c.message}\n${c.action ? `${c.action}\n` : ''}Nothing was created.\n`);
  } else {
    code = EXIT.workflowFailed;
    error = { code: 'Unexpected', message: (e as Error)?.message ?? String(e) };
    io.err(`Unexpected error: ${error.message}\n`);
  }
  if (settings.report) {
    await writeNotStartedReport(settings.report, { ...facts, error }).catch((w: Error) => io.err(`Could not write the report: ${w.message}\n`));
  }
  return code;
}
