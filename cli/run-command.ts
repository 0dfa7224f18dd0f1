/**
 * `ahi-onboard run`, `import` and `resume`: the command line translated into the application
 * layer (core/app). Checks come first (document, workflow, inputs, settings, profile, region), so
 * bad usage exits 2 with nothing sent; then the caller's identity; then the run, printed as it goes.
 */
import { resolve } from 'node:path';
import { AwsSetupError } from '../core/aws/errors';
import { createAwsSession, type AwsSession, type SandboxTarget } from '../core/aws/session';
import { createRunService, type RunService } from '../core/app/runs';
import { demoImportInputs, demoOnboardingInputs } from '../core/app/sandbox-host';
import { createRunStore, IMPORT_INTO_WORKFLOW_ID, InvalidInputsError, ONBOARD_WORKFLOW_ID, selectWorkflow, validateInputs, WorkflowDocumentError, type RunStore } from '../core/engine/index';
import type { RunSettings } from './args';
import { defaultRunsDir, sandboxDataDir } from './data-dir';
import { UsageError, type ExitCode } from './exit-codes';
import { createEventSink, drive } from './run/drive';
import { failBeforeRun } from './run/fail-before-run';
import { BUNDLED_WORKFLOW, importInputsFrom, parseDocument, readInputsFile, readWorkflow } from './run/files';
import type { CliIO } from './run/io';
import { pollingFrom } from './run/polling';
import { preflightGate } from './run/preflight-gate';
import { checkRunNotInUse } from './run-in-use';
import { assertRunLogReadable } from '../core/runs/run-store';
import { terminalMfaPrompt } from './run/terminal';
import { startDemoSandbox, type DemoSandbox } from './sandbox';

export type { CliIO } from './run/io';

/** Everything opened for a run, closed whatever happens. */
class Resources {
  session?: AwsSession;
  sandbox?: DemoSandbox;
  async close(): Promise<void> {
    this.session?.close();
    await this.sandbox?.sandbox.close();
  }
}

async function openSession(settings: RunSettings, io: CliIO, res: Resources, sandboxTarget: SandboxTarget | undefined, fallback?: { profile?: string; region?: string }) {
  try {
    const profile = settings.profile ?? fallback?.profile;
    const region = settings.region ?? fallback?.region;
    const mfa = terminalMfaPrompt(io);
    res.session = await createAwsSession({
      ...(sandboxTarget ? { sandbox: sandboxTarget } : {}),
      ...(!sandboxTarget && profile ? { profile } : {}),
      ...(!sandboxTarget && region ? { region } : {}),
      ...(mfa ? { mfaCodeProvider: mfa } : {}),
      env: io.env,
    });
    const opened = res.session;
    io.guard?.addSecrets(() => opened.secretsInUse());
    return res.session;
  } catch (e) {
    if (e instanceof AwsSetupError) throw new UsageError(e.message, e.action);
    throw e;
  }
}

/** One command's run service: events to the terminal, results read unless a signal stops them. */
function runServiceFor(store: RunStore, settings: RunSettings, io: CliIO) {
  const events = createEventSink(settings, io);
  const stopResults = new AbortController();
  const runs: RunService = createRunService({ store, onEvent: events.sink, signal: stopResults.signal });
  return { runs, events, stopResults };
}

export async function runCommand(cmd: { inputs?: string; settings: RunSettings; importInto?: { datastoreId: string } }, io: CliIO): Promise<ExitCode> {
  const { settings } = cmd;
  const res = new Resources();
  let workflowId: string | undefined;
  let inputs: Record<string, unknown> | undefined;
  try {
    // 1. Everything that can be checked without sending anything.
    const wf = await readWorkflow(resolve(settings.workflow ?? BUNDLED_WORKFLOW));
    const document = parseDocument(wf.text, wf.path);
    let workflow;
    try {
      // The shipped document holds two workflows: `run` means the onboarding unless told otherwise.
      const requested = cmd.importInto ? IMPORT_INTO_WORKFLOW_ID : (settings.workflowId ?? (settings.workflow ? undefined : ONBOARD_WORKFLOW_ID));
      workflow = selectWorkflow(document, requested);
    } catch (e) {
      if (e instanceof WorkflowDocumentError) throw new UsageError(e.message, 'Name the workflow with --workflow-id ID.');
      throw e;
    }
    workflowId = workflow.workflowId;
    const file = cmd.inputs ? await readInputsFile(resolve(cmd.inputs)) : {};
    const fromFile = cmd.importInto ? importInputsFrom(file, workflow, cmd.importInto.datastoreId, cmd.inputs ?? '') : file;

    let sandboxTarget: SandboxTarget | undefined;
    if (settings.sandbox) {
      // The sandbox's demo locations are known only once it runs (they carry its account id).
      res.sandbox = await startDemoSandbox({ dataDir: sandboxDataDir(io.env) });
      sandboxTarget = res.sandbox.target;
      const demo = res.sandbox.sandbox.demo;
      inputs = { ...(cmd.importInto ? demoImportInputs(demo) : demoOnboardingInputs(demo)), ...fromFile };
    } else {
      inputs = fromFile;
    }
    const checked = validateInputs(workflow, inputs);
    if (checked.issues.length > 0) throw new InvalidInputsError(checked.issues);
    inputs = checked.inputs;

    const session = await openSession(settings, io, res, sandboxTarget);
    const store = createRunStore(resolve(settings.runsDir ?? defaultRunsDir(settings.sandbox, io.env)));
    const polling = pollingFrom(settings, settings.sandbox);

    // 2. Who we are (the first request): credentials problems stop here, before anything is created.
    await session.identity();

    // 3. The preflight: a blocking problem stops here, before CreateDatastore.
    const gate = await preflightGate(session, inputs, settings, io, { workflowId });
    if ('exit' in gate) return gate.exit;

    // 4. The run.
    const service = runServiceFor(store, settings, io);
    const run = await service.runs.start({
      session,
      preflight: gate.preflight,
      document,
      documentText: wf.text,
      workflowId,
      inputs,
      context: session.describe(),
      ...(polling ? { polling } : {}),
    });
    return await drive({ run, ...service, store, settings, sandbox: settings.sandbox, io });
  } catch (e) {
    return await failBeforeRun(e, io, settings, { ...(workflowId ? { workflowId } : {}), ...(inputs ? { inputs } : {}) });
  } finally {
    await res.close();
  }
}

/** The run's store: --runs-dir, or the default folders (sandbox runs live in their own). */
async function findRun(runId: string, settings: RunSettings, io: CliIO) {
  const candidates = settings.runsDir ? [settings.runsDir] : settings.sandbox ? [defaultRunsDir(true, io.env)] : [defaultRunsDir(false, io.env), defaultRunsDir(true, io.env)];
  for (const dir of candidates) {
    const store = createRunStore(resolve(dir));
    const header = await store.readHeader(runId).catch(() => undefined);
    if (header) return { store, header };
  }
  throw new UsageError(`No run "${runId}" in ${candidates.map((c) => resolve(c)).join(' or ')}.`, 'Pass --runs-dir DIR where the run was recorded.');
}

export async function resumeCommand(cmd: { runId: string; settings: RunSettings }, io: CliIO): Promise<ExitCode> {
  const { settings, runId } = cmd;
  const res = new Resources();
  let workflowId: string | undefined;
  try {
    const { store, header } = await findRun(runId, settings, io);
    workflowId = header.workflowId;
    // Held by another process: say so now, before the sandbox starts or anyone signs in.
    await checkRunNotInUse(store.dir, runId);
    // A damaged log is refused with the repair command before the sandbox starts or anyone signs in.
    await assertRunLogReadable(store.dir, runId);

    // The document the run started with (stored in its header) unless another is given explicitly.
    const wf = settings.workflow ? await readWorkflow(resolve(settings.workflow)) : { text: header.workflowText, path: header.workflowPath ?? `${runId}/header.json` };
    const document = parseDocument(wf.text, wf.path);

    const wasSandbox = header.context.sandbox;
    if (settings.sandbox && !wasSandbox) throw new UsageError(`Run ${runId} ran against AWS, not the sandbox; resume it without --sandbox.`);
    if (wasSandbox && settings.profile) throw new UsageError(`Run ${runId} ran against the sandbox; --profile does not apply.`);
    const service = runServiceFor(store, settings, io);
    const run = await service.runs.resume(runId, async () => {
      let sandboxTarget: SandboxTarget | undefined;
      if (wasSandbox) {
        // The sandbox keeps its state in its data dir: start it again over the same stores and jobs.
        res.sandbox = await startDemoSandbox({ dataDir: sandboxDataDir(io.env) });
        sandboxTarget = res.sandbox.target;
      }
      const session = await openSession(settings, io, res, sandboxTarget, {
        ...(header.context.profile ? { profile: header.context.profile } : {}),
        region: header.context.region,
      });
      if (!wasSandbox && session.region !== header.context.region) {
        throw new UsageError(`Run ${runId} ran in ${header.context.region}; resuming in ${session.region} would not find its data store.`, `Pass --region ${header.context.region}.`);
      }
      await session.identity();
      const polling = pollingFrom(settings, wasSandbox);
      return { session, document, documentText: wf.text, context: session.describe(), ...(polling ? { polling } : {}) };
    });
    return await drive({ run, ...service, store, settings, sandbox: wasSandbox, io });
  } catch (e) {
    return await failBeforeRun(e, io, settings, { ...(workflowId ? { workflowId } : {}), runId });
  } finally {
    await res.close();
  }
}
