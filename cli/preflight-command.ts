/**
 * `ahi-onboard preflight --inputs FILE.json [--profile NAME] [--region R] [--json] [--sandbox]`:
 * the checks of core/preflight, before anything is created. Exit 0 when nothing blocks (warnings
 * allowed), 1 when a check failed, 2 for bad usage or inputs (nothing sent), 3 when AWS itself
 * failed (network, credentials, throttling), 130 when interrupted.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AwsSetupError } from '../core/aws/errors';
import { createAwsSession, type AwsSession } from '../core/aws/session';
import { demoImportInputs } from '../core/app/sandbox-host';
import { preflightInputsFrom } from '../core/preflight/inputs';
import { runPreflight, type PreflightOptions } from '../core/preflight/runner';
import type { PreflightInputs, PreflightReport } from '../core/preflight/types';
import { sandboxDataDir } from './data-dir';
import { EXIT, UsageError, type ExitCode } from './exit-codes';
import { formatPreflight, preflightJson } from './preflight-output';
import { readInputsFile } from './run/files';
import type { CliIO } from './run/io';
import { terminalMfaPrompt } from './run/terminal';
import { startDemoSandbox, type DemoSandbox } from './sandbox';

export const PREFLIGHT_USAGE = `Usage: ahi-onboard preflight --inputs FILE.json [--profile NAME] [--region R] [--json] [--sandbox]
  Checks, before anything is created: the caller, the region, the data store quota, the data
  access role (exists, trusts HealthImaging, may read the input and write the output), both
  buckets (exist, in the run's region), the input prefix against the import job limits, a sample
  of its files for DICOM, and the KMS key. The inputs file is the one \`run\` takes.
  Exit 0 nothing blocks (warnings allowed), 1 a check failed, 2 bad inputs, 3 AWS error.`;

export interface PreflightOptionsParsed {
  inputs?: string;
  profile?: string;
  region?: string;
  json: boolean;
  sandbox: boolean;
}

function parse(argv: string[]): PreflightOptionsParsed & { help: boolean } {
  let values;
  try {
    values = parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        inputs: { type: 'string' },
        profile: { type: 'string' },
        region: { type: 'string' },
        json: { type: 'boolean', default: false },
        sandbox: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    throw new UsageError(`preflight: ${(e as Error).message}`, 'Run "ahi-onboard preflight --help".');
  }
  for (const k of ['inputs', 'profile', 'region'] as const) if (values[k] !== undefined && !values[k]!.trim()) throw new UsageError(`--${k} needs a value.`);
  if (values.sandbox && values.profile) throw new UsageError('--sandbox and --profile exclude each other: the sandbox has its own credentials.');
  if (!values.help && !values.inputs && !values.sandbox) throw new UsageError('preflight needs --inputs FILE.json (or --sandbox to check the demo inputs).');
  return {
    help: values.help === true,
    json: values.json === true,
    sandbox: values.sandbox === true,
    ...(values.inputs ? { inputs: values.inputs } : {}),
    ...(values.profile ? { profile: values.profile } : {}),
    ...(values.region ? { region: values.region } : {}),
  };
}

/** The inputs file's preflight fields, or a UsageError naming each bad field and its rule. */
export function checkedPreflightInputs(raw: Record<string, unknown>, file: string): PreflightInputs {
  const { inputs, issues } = preflightInputsFrom(raw);
  if (!inputs) throw new UsageError(`Invalid inputs in ${file}, nothing was sent:\n${issues.map((i) => `  ${i.field}: ${i.message}`).join('\n')}`);
  return inputs;
}

/** The exit code for a finished preflight: AWS errors first (3), then failed checks (1). */
export function exitCodeForPreflight(r: PreflightReport): ExitCode {
  if (r.errors.length > 0) return EXIT.awsError;
  return r.ready ? EXIT.completed : EXIT.workflowFailed;
}

/** Runs the preflight with Ctrl-C cancelling it, progress on stderr when it is a terminal. */
export async function preflightWithProgress(session: AwsSession, inputs: PreflightInputs, io: CliIO, extra: Pick<PreflightOptions, 'notRun'> = {}): Promise<PreflightReport | 'interrupted'> {
  const abort = new AbortController();
  const unsubscribe = io.onSignal(() => abort.abort(new Error('interrupted')));
  let shown = false;
  try {
    return await runPreflight(session, inputs, {
      ...extra,
      signal: abort.signal,
      onProgress: (p) => {
        if (!io.stdoutIsTTY || p.objects === undefined) return;
        shown = true;
        io.err(`\rListing the input prefix: ${p.objects.toLocaleString('en-US')} files so far...`);
      },
    });
  } catch (e) {
    if (abort.signal.aborted) return 'interrupted';
    throw e;
  } finally {
    if (shown) io.err('\n');
    unsubscribe();
  }
}

export async function preflightCommand(argv: string[], io: CliIO): Promise<ExitCode> {
  const o = parse(argv);
  if (o.help) {
    io.out(PREFLIGHT_USAGE + '\n');
    return EXIT.completed;
  }
  let sandbox: DemoSandbox | undefined;
  let session: AwsSession | undefined;
  try {
    const file = o.inputs ? await readInputsFile(resolve(o.inputs)) : {};
    let raw = file;
    if (o.sandbox) {
      sandbox = await startDemoSandbox({ dataDir: sandboxDataDir(io.env) });
      raw = { ...demoImportInputs(sandbox.sandbox.demo), ...file };
    }
    const inputs = checkedPreflightInputs(raw, o.inputs ?? 'the demo inputs');
    try {
      const mfa = terminalMfaPrompt(io);
      session = await createAwsSession({
        ...(sandbox ? { sandbox: sandbox.target } : {}),
        ...(o.profile ? { profile: o.profile } : {}),
        ...(o.region ? { region: o.region } : {}),
        ...(mfa ? { mfaCodeProvider: mfa } : {}),
        env: io.env,
      });
    } catch (e) {
      if (e instanceof AwsSetupError) throw new UsageError(e.message, e.action);
      throw e;
    }
    const report = await preflightWithProgress(session, inputs, io);
    if (report === 'interrupted') {
      io.err('Preflight interrupted; nothing was created.\n');
      return EXIT.interrupted;
    }
    io.out(o.json ? JSON.stringify(preflightJson(report), null, 2) + '\n' : formatPreflight(report, io.stdoutIsTTY));
    return exitCodeForPreflight(report);
  } finally {
    session?.close();
    await sandbox?.sandbox.close();
  }
}
