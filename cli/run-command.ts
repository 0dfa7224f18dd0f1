/**
 * `ahi-onboard run` and `ahi-onboard resume`: everything between the parsed command line and the
 * engine. Checks come first (document, workflow, inputs, settings, profile, region), so bad usage
 * exits 2 with nothing sent; then the caller's identity; then the run, printed as it goes.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { healthImagingCatalog } from '../core/aws/operation-table';
import { AwsFaultError, AwsSetupError } from '../core/aws/errors';
import { createAwsSession, type AwsSession, type SandboxTarget } from '../core/aws/session';
import {
  BUNDLED_WORKFLOW_FILE,
  createRunStore,
  DEFAULT_POLLING,
  FALLBACK_POLLING,
  InvalidInputsError,
  InvalidPollingPolicyError,
  IMPORT_INTO_WORKFLOW_ID,
  loadWorkflowDocument,
  ONBOARD_WORKFLOW_ID,
  resumeRun,
  RunNotResumableError,
  RunResumeError,
  selectWorkflow,
  startRun,
  validateInputs,
  WorkflowDocumentError,
  type PollingPolicy,
  type ImportResults,
  type RunEndedEvent,
  type RunEvent,
  type RunHandle,
  type RunStore,
  type Workflow,
  type WorkflowDocument,
} from '../core/engine/index';
import { generateClientToken } from '../core/healthimaging/client-token';
import type { RunSettings } from './args';
import { defaultRunsDir, sandboxDataDir } from './data-dir';
import { EXIT, exitCodeForRun, UsageError, type ExitCode } from './exit-codes';
import { classifyRunOutcome, failedFileCount, OUTCOME_LABELS } from '../core/runs/outcome';
import { recordImportResults } from '../core/runs/record-import-results';
import { createEventPrinter, outcomeLine } from './output';
import { writeNotStartedReport, writeRunReport } from './report-file';
import { assertRunLogReadable, RunLogDamagedError } from '../core/runs/run-store';
import { repairHint } from './repair-command';
import { demoImportInputs, demoInputs, DEMO_POLL_INTERVAL_S, DEMO_POLL_MAX_INTERVAL_S, startDemoSandbox, type DemoSandbox } from './sandbox';

// From source (cli/) the assets are one folder up; from the built command (out/cli/) two.
const WORKFLOW_CANDIDATES = ['../assets/', '../../assets/'].map((dir) => fileURLToPath(new URL(`${dir}${BUNDLED_WORKFLOW_FILE}`, import.meta.url)));
export const BUNDLED_WORKFLOW = WORKFLOW_CANDIDATES.find((f) => existsSync(f)) ?? WORKFLOW_CANDIDATES[0]!;

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** Ends the process at once (a second Ctrl-C). */
  exit: (code: ExitCode) => void;
  /** Subscribes to SIGINT/SIGTERM; returns an unsubscribe. */
  onSignal: (handler: (signal: NodeJS.Signals) => void) => () => void;
}

/** Everything opened for a run, closed whatever happens. */
class Resources {
  session?: AwsSession;
  sandbox?: DemoSandbox;
  async close(): Promise<void> {
    this.session?.close();
    await this.sandbox?.sandbox.close();
  }
}

async function readWorkflow(path: string): Promise<{ text: string; path: string }> {
  try {
    return { text: await readFile(path, 'utf8'), path };
  } catch (e) {
    throw new UsageError(`Cannot read the workflow file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
}

function parseDocument(text: string, path: string): WorkflowDocument {
  try {
    return loadWorkflowDocument(text, { path, binding: healthImagingCatalog });
  } catch (e) {
    if (e instanceof WorkflowDocumentError) throw new UsageError(`${path}: ${e.message}`);
    throw e;
  }
}

async function readInputsFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read the inputs file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`The inputs file ${path} is not valid JSON: ${(e as Error).message}.`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`The inputs file ${path} must hold one JSON object of workflow inputs, e.g. {"datastoreName": "..."}.`);
  }
  return value as Record<string, unknown>;
}

/**
 * The polling policy from the command line. --timeout is a deadline for the whole run: the engine's
 * policy is resolved at each step entry, so each step gets the time that is left (and the run ends
 * `timed_out`, resumable, when it runs out).
 */
function pollingFrom(settings: RunSettings, sandbox: boolean, now: () => number = Date.now) {
  const first = settings.pollInterval ?? (sandbox ? DEMO_POLL_INTERVAL_S : undefined);
  const cap = settings.pollMaxInterval ?? (sandbox ? Math.max(DEMO_POLL_MAX_INTERVAL_S, first ?? 0) : undefined);
  const fixed: Partial<PollingPolicy> = {
    ...(first !== undefined ? { initialDelayMs: Math.round(first * 1000) } : {}),
    ...(cap !== undefined ? { maxDelayMs: Math.round(cap * 1000) } : {}),
    // At demo speed a "fast phase" of 5 sandbox minutes is 5 s: keep it short for the same feel.
    ...(sandbox && settings.pollInterval === undefined ? { fastPhaseMs: 5_000 } : {}),
  };
  if (settings.timeout === undefined) return Object.keys(fixed).length > 0 ? fixed : undefined;
  const deadline = now() + settings.timeout * 1000;
  return (_stepId: string, operationId: string): Partial<PollingPolicy> => {
    const left = Math.max(0, deadline - now());
    // The step's own deadline still holds when it comes sooner.
    const stepDefault = (DEFAULT_POLLING[operationId] ?? FALLBACK_POLLING).stepTimeoutMs;
    return { ...fixed, stepTimeoutMs: Math.min(stepDefault, left) };
  };
}

/** Asks for an MFA code on the terminal (stderr, so --json output stays clean). */
function terminalMfaPrompt(io: CliIO): ((serial: string) => Promise<string>) | undefined {
  if (!io.stdinIsTTY) return undefined;
  return (serial) =>
    new Promise((resolveCode) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
      rl.question(`MFA code for ${serial}: `, (code) => {
        rl.close();
        resolveCode(code.trim());
      });
    });
}

function waitForEnter(prompt: string): { promise: Promise<void>; cancel: () => void } {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  let settle!: () => void;
  const promise = new Promise<void>((r) => (settle = r));
  rl.question(prompt, () => {
    rl.close();
    settle();
  });
  return { promise, cancel: () => rl.close() };
}

function resumeHint(runId: string, settings: RunSettings, sandbox: boolean): string {
  const parts = ['ahi-onboard resume', runId];
  if (settings.runsDir) parts.push('--runs-dir', JSON.stringify(settings.runsDir).slice(1, -1));
  else if (sandbox) parts.push('--sandbox');
  if (settings.profile) parts.push('--profile', settings.profile);
  return parts.join(' ');
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
    return res.session;
  } catch (e) {
    if (e instanceof AwsSetupError) throw new UsageError(e.message, e.action);
    throw e;
  }
}

/** Checks who we are before anything is created; a failure here is an AWS error (exit 3). */
async function checkIdentity(session: AwsSession): Promise<void> {
  await session.identity();
}

interface Drive {
  handle: RunHandle;
  /** Where events are printed (the import-results event goes the same way). */
  sink: (e: RunEvent) => void;
  store: RunStore;
  settings: RunSettings;
  sandbox: boolean;
  session: AwsSession;
  io: CliIO;
}

/** Follows a started run to its end: signals, credential pauses, the report and the exit code. */
async function drive(d: Drive): Promise<ExitCode> {
  const { handle, io } = d;
  let interrupted: NodeJS.Signals | undefined;
  let credentialStop = false;
  let prompt: { cancel: () => void } | undefined;

  const unsubscribe = io.onSignal((signal) => {
    if (interrupted) {
      // A second Ctrl-C: stop waiting. Every event is already on disk, so the run stays resumable.
      io.err(`Exiting now; resume with: ${resumeHint(handle.runId, d.settings, d.sandbox)}\n`);
      io.exit(EXIT.interrupted);
      return;
    }
    interrupted = signal;
    prompt?.cancel();
    io.err(`\n${signal} received: stopping and recording the run (it stays resumable)...\n`);
    handle.cancel(`interrupted by ${signal}`);
  });

  const onPaused = (e: Extract<RunEvent, { type: 'run-paused' }>) => {
    const what = `${e.error.message}${e.error.action ? `\n  ${e.error.action}` : ''}`;
    if (io.stdinIsTTY && !interrupted) {
      const p = waitForEnter(`\nThe run is paused: ${what}\nPress Enter to continue once you have signed in again (Ctrl-C stops; the run stays resumable). `);
      prompt = p;
      void p.promise.then(() => {
        prompt = undefined;
        d.session.refreshCredentials();
        handle.continue();
      });
    } else {
      // No one to ask: stop with the run recorded, so `resume` continues after signing in.
      credentialStop = true;
      io.err(`\nThe run needs new credentials: ${what}\nThen run: ${resumeHint(handle.runId, d.settings, d.sandbox)}\n`);
      handle.cancel('paused for credentials with no terminal to continue from');
    }
  };
  pausedListeners.set(handle.runId, onPaused);

  let ended: RunEndedEvent;
  try {
    ended = await handle.done;
  } finally {
    unsubscribe();
    pausedListeners.delete(handle.runId);
    prompt?.cancel();
  }

  // What the import really did (manifest, failed files): read while the session is still open.
  let importResults: ImportResults | undefined;
  if (!interrupted && !credentialStop) {
    const readAbort = new AbortController();
    const stopReading = io.onSignal(() => readAbort.abort(new Error('interrupted')));
    try {
      const event = await recordImportResults(d.store, d.session, ended, { signal: readAbort.signal });
      if (event) {
        importResults = event.results;
        d.sink(event);
      }
    } catch {
      // Best effort: the report then says the results could not be read.
    } finally {
      stopReading();
    }
  }

  if (d.settings.report) {
    try {
      await writeRunReport(d.settings.report, await d.store.read(handle.runId));
    } catch (e) {
      io.err(`Could not write the report to ${d.settings.report}: ${(e as Error).message}\n`);
    }
  }

  if (ended.resumable && ended.status !== 'succeeded') io.err(`Resume with: ${resumeHint(handle.runId, d.settings, d.sandbox)}\n`);
  if (interrupted) return EXIT.interrupted;
  if (credentialStop) return EXIT.awsError;
  const outcome = classifyRunOutcome({ status: ended.status, jobStatus: ended.outputs.jobStatus, ...(importResults ? { importResults } : {}) });
  if (outcome === 'completed_with_errors') {
    io.err(`The import ${OUTCOME_LABELS[outcome].toLowerCase()}: ${failedFileCount(importResults)} files failed to import (see failure.ndjson under the output location).\n`);
  }
  if (!d.settings.json && (outcome === 'succeeded' || outcome === 'completed_with_errors')) io.out(`${outcomeLine(outcome, importResults)}\n`);
  return exitCodeForRun({ ...ended, status: outcome });
}

/** run-paused events reach drive() through here (the printer sees every event first). */
const pausedListeners = new Map<string, (e: Extract<RunEvent, { type: 'run-paused' }>) => void>();

function eventSink(settings: RunSettings, io: CliIO): (e: RunEvent) => void {
  const printer = createEventPrinter({ json: settings.json, tty: io.stdoutIsTTY, write: io.out });
  return (e) => {
    printer.print(e);
    if (e.type === 'run-paused') pausedListeners.get(e.runId)?.(e);
  };
}

/**
 * An import takes the import's inputs only. Settings of a new data store would be silently unused,
 * and an import client token from an earlier run would be answered with that run's job: both are
 * refused, so `import --inputs` of an onboarding's inputs file cannot pretend to import.
 */
function importInputsFrom(fromFile: Record<string, unknown>, workflow: Workflow, datastoreId: string, file: string): Record<string, unknown> {
  const declared = workflow.inputs && typeof workflow.inputs.properties === 'object' && workflow.inputs.properties !== null ? Object.keys(workflow.inputs.properties) : [];
  const taken = new Set(declared.filter((k) => k !== 'importClientToken' && k !== 'datastoreId'));
  const refused = Object.keys(fromFile).filter((k) => !taken.has(k) && k !== 'datastoreId');
  if (refused.length > 0)
    throw new UsageError(
      `The inputs file ${file} has inputs an import into an existing data store does not take: ${refused.join(', ')}.`,
      `An import takes ${[...taken].join(', ')}. Data store settings belong to \`run\`; every import gets a new import client token.`,
    );
  if (fromFile.datastoreId !== undefined && fromFile.datastoreId !== datastoreId)
    throw new UsageError(`The inputs file ${file} names data store ${String(fromFile.datastoreId)}, but --datastore-id is ${datastoreId}.`, 'Leave datastoreId out of the file, or make them the same.');
  return { ...fromFile, datastoreId, importClientToken: generateClientToken() };
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
      inputs = { ...(cmd.importInto ? demoImportInputs(res.sandbox.sandbox.demo) : demoInputs(res.sandbox.sandbox.demo)), ...fromFile };
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
    await checkIdentity(session);

    // 3. The run.
    const sink = eventSink(settings, io);
    const handle = startRun({
      document,
      documentText: wf.text,
      workflowId,
      inputs,
      binding: session.binding,
      store,
      context: session.describe(),
      ...(polling ? { polling } : {}),
      onEvent: sink,
    });
    return await drive({ handle, sink, store, settings, sandbox: settings.sandbox, session, io });
  } catch (e) {
    return await failBeforeRun(e, io, settings, { ...(workflowId ? { workflowId } : {}), ...(inputs ? { inputs } : {}) });
  } finally {
    await res.close();
  }
}

export async function resumeCommand(cmd: { runId: string; settings: RunSettings }, io: CliIO): Promise<ExitCode> {
  const { settings, runId } = cmd;
  const res = new Resources();
  let workflowId: string | undefined;
  try {
    // Sandbox runs live in the sandbox runs dir; look there too when --runs-dir is not given.
    const candidates = settings.runsDir ? [settings.runsDir] : settings.sandbox ? [defaultRunsDir(true, io.env)] : [defaultRunsDir(false, io.env), defaultRunsDir(true, io.env)];
    let store: RunStore | undefined;
    let header;
    for (const dir of candidates) {
      const s = createRunStore(resolve(dir));
      const h = await s.readHeader(runId).catch(() => undefined);
      if (h) {
        store = s;
        header = h;
        break;
      }
    }
    if (!store || !header) throw new UsageError(`No run "${runId}" in ${candidates.map((c) => resolve(c)).join(' or ')}.`, 'Pass --runs-dir DIR where the run was recorded.');
    workflowId = header.workflowId;
    await assertRunLogReadable(store.dir, runId);

    // The document the run started with (stored in its header) unless another is given explicitly.
    const wf = settings.workflow ? await readWorkflow(resolve(settings.workflow)) : { text: header.workflowText, path: header.workflowPath ?? `${runId}/header.json` };
    const document = parseDocument(wf.text, wf.path);

    const wasSandbox = header.context.sandbox;
    if (settings.sandbox && !wasSandbox) throw new UsageError(`Run ${runId} ran against AWS, not the sandbox; resume it without --sandbox.`);
    if (wasSandbox && settings.profile) throw new UsageError(`Run ${runId} ran against the sandbox; --profile does not apply.`);
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
    const polling = pollingFrom(settings, wasSandbox);
    await checkIdentity(session);

    const sink = eventSink(settings, io);
    const handle = await resumeRun({
      runId,
      document,
      documentText: wf.text,
      binding: session.binding,
      store,
      context: session.describe(),
      ...(polling ? { polling } : {}),
      onEvent: sink,
    });
    return await drive({ handle, sink, store, settings, sandbox: wasSandbox, session, io });
  } catch (e) {
    return await failBeforeRun(e, io, settings, { ...(workflowId ? { workflowId } : {}), runId });
  } finally {
    await res.close();
  }
}

/** Errors before a run started (or could resume): words on stderr, the exit code, a report if asked. */
async function failBeforeRun(
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
  } else if (e instanceof RunLogDamagedError) {
    code = EXIT.usage;
    error = { code: e.name, message: e.message, action: repairHint(e.runId, settings) };
    io.err(`Cannot resume: ${e.message}.\n${error.action}\n`);
  } else if (e instanceof RunNotResumableError || e instanceof RunResumeError) {
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
