/**
 * THE main-side handlers: one async function per contract command. Plain Node, no electron import:
 * the Electron main process and the browser host used by end-to-end tests both run exactly this,
 * with only the platform services (save dialog, PDF printing, opening links, pushing to the page)
 * passed in as deps.
 *
 * It owns the embedded sandbox (started lazily, in-process), the AWS sessions (one per
 * profile+region, so an assumed role's MFA is asked once), the active runs (engine handles), the
 * run store, and report export. Credentials never leave this module: only identities, ids,
 * statuses and events (which the engine keeps free of secrets) cross to the page.
 */
import { failedFileCount } from '../../core/runs/outcome';
import { PRODUCT } from '../../core/product';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SANDBOX_PROFILE,
  type AppInfo,
  type CommandName,
  type CommandRequest,
  type CommandResponse,
  type FieldIssue,
  type IdentityResult,
  type ImportInputs,
  type OnboardingInputs,
  type PollingSettings,
  type ProfileSummary,
  type PushName,
  type Pushes,
  type ReportFormat,
  type RunEvent,
  type RunInputs,
  type RunSummary,
  type RunTarget,
} from '../../contract/ipc';
import { AwsFaultError, AwsSetupError, classifyAwsError } from '../../core/aws/errors';
import { listProfiles } from '../../core/aws/profiles';
import { createAwsSession, type AwsSession } from '../../core/aws/session';
import type { OsProxyLookup } from '../../core/aws/network';
import { checkConnection } from '../../core/aws/network/connection-check';
import type { RunContext, RunEndedEvent } from '../../core/engine/events';
import {
  DEFAULT_POLLING,
  InvalidInputsError,
  loadWorkflowDocument,
  resumeRun,
  selectWorkflow,
  startRun,
  validateInputs,
  type PollingPolicy,
  type RunHandle,
  type WorkflowDocument,
} from '../../core/engine/index';
import { generateClientToken } from '../../core/healthimaging/client-token';
import { BUNDLED_WORKFLOW_FILE, IMPORT_INTO_WORKFLOW_ID, ONBOARD_WORKFLOW_ID, type BundledWorkflowId } from '../../core/healthimaging/workflows';
import { validateOnboardingInputs } from '../../core/healthimaging/field-rules';
import { buildReport, renderReport, reportFileName } from '../../core/report/index';
import { recordImportResults } from '../../core/runs/record-import-results';
import { createRunStore, readRunLog, type RunLogSummary, type RunStore } from '../../core/runs/run-store';
import { refuseDamagedResume, repairRun } from './run-repair';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { createEventBatcher } from './event-batcher';
import { vetExternalUrl } from './external-url';
import { ssoSignIn } from './sso-sign-in';

export type CommandHandlers = { [K in CommandName]: (request: CommandRequest<K>) => Promise<CommandResponse<K>> };
export type Handlers = CommandHandlers & { dispose(): Promise<void> };

export interface HandlerDeps {
  runsDir: string;
  userDataDir: string;
  /** The ONLY source of a path to write a report to; undefined when the user cancelled. */
  dialogs: { saveReport(defaultName: string, format: ReportFormat): Promise<string | undefined> };
  openExternal(url: string): Promise<void>;
  /** Opens an IAM Identity Center sign-in page (already vetted by vetSignInUrl); absent: sign-in cannot open a browser. */
  openSignInUrl?(url: string): Promise<void>;
  printToPdf(html: string): Promise<Buffer>;
  push<P extends PushName>(push: P, payload: Pushes[P]): void;
  env?: NodeJS.ProcessEnv;
  /** The Arazzo workflow to run; default: assets/ of this repository. */
  workflowPath?: string;
  appInfo?: { name?: string; version?: string; electron: boolean };
  /** Sandbox minutes per real minute; default 60 (a whole demo onboarding in seconds). */
  sandboxTimeScale?: number;
  /** Called once the embedded sandbox runs (tests use it to inject faults). */
  onSandboxStarted?(sandbox: Sandbox): void;
  /** How long pushes are batched; default 50 ms. */
  pushIntervalMs?: number;
  /** The OS proxy for an AWS endpoint (electron/main/os-proxy.ts); environment variables win. */
  osProxyFor?: OsProxyLookup;
}

export const SANDBOX_LABEL = 'Local sandbox (no AWS account needed)';
const MFA_TIMEOUT_MS = 5 * 60_000;

/** Polling that suits the sandbox's time scale: a demo run takes seconds, not minutes. */
export const SANDBOX_POLLING: PollingSettings = { initialDelaySeconds: 0.5, multiplier: 1.5, maxDelaySeconds: 2, stepTimeoutSeconds: 600 };

/** What the wizard shows for real AWS: the import job's defaults (the long phase). */
function awsPollingDefaults(): PollingSettings {
  const job = DEFAULT_POLLING['GetDICOMImportJob']!;
  return {
    initialDelaySeconds: job.initialDelayMs / 1000,
    multiplier: job.multiplier,
    maxDelaySeconds: job.maxDelayMs / 1000,
    stepTimeoutSeconds: job.stepTimeoutMs / 1000,
  };
}

function samePolling(a: PollingSettings, b: PollingSettings): boolean {
  return (
    a.initialDelaySeconds === b.initialDelaySeconds &&
    a.multiplier === b.multiplier &&
    a.maxDelaySeconds === b.maxDelaySeconds &&
    a.stepTimeoutSeconds === b.stepTimeoutSeconds
  );
}

/** The user's polling settings apply to the polling (status-reading) steps only. */
function pollingOption(settings: PollingSettings) {
  const policy: Partial<PollingPolicy> = {
    initialDelayMs: Math.round(settings.initialDelaySeconds * 1000),
    multiplier: settings.multiplier,
    maxDelayMs: Math.round(settings.maxDelaySeconds * 1000),
    stepTimeoutMs: Math.round(settings.stepTimeoutSeconds * 1000),
  };
  return (_stepId: string, operationId: string): Partial<PollingPolicy> => (/^(Get|List|Describe)/.test(operationId) ? policy : {});
}

function defaultWorkflowPath(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../assets', BUNDLED_WORKFLOW_FILE);
}

/** demo-YYYYMMDD-HHMM in local time: readable, valid as a data store name. */
export function demoDatastoreName(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `demo-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}`;
}

/** The workflow inputs of the wizard's values: optional fields left out when empty. */
function workflowInputs(inputs: OnboardingInputs | ImportInputs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && value.trim() === '' && !/ClientToken$/.test(key)) continue;
    if (key === 'tags' && typeof value === 'object' && Object.keys(value).length === 0) continue;
    out[key] = value;
  }
  return out;
}

/**
 * Which shipped workflow a request runs, with its inputs. An import into an existing data store
 * gets a new import client token here, every time: re-sending an earlier import's token would make
 * HealthImaging answer with that earlier job instead of importing anything. The token is recorded
 * in the run's header, so a resume of this run re-sends this same one.
 */
export function workflowRun(request: RunInputs): { workflowId: BundledWorkflowId; inputs: Record<string, unknown> } {
  if (request.importInto === undefined) return { workflowId: ONBOARD_WORKFLOW_ID, inputs: workflowInputs(request.inputs) };
  return {
    workflowId: IMPORT_INTO_WORKFLOW_ID,
    inputs: { ...workflowInputs(request.inputs), datastoreId: request.importInto.datastoreId.trim(), importClientToken: generateClientToken() },
  };
}

const ROLE_ACCOUNT = /^arn:aws[a-z-]*:iam::(\d{12}):role\//;

/** The data-access role must live in the caller's account: HealthImaging assumes it there. */
export function roleAccountIssue(roleArn: string, callerAccountId: string | undefined): FieldIssue | undefined {
  if (!callerAccountId) return undefined;
  const account = ROLE_ACCOUNT.exec(roleArn.trim())?.[1];
  if (!account || account === callerAccountId) return undefined;
  return {
    field: 'dataAccessRoleArn',
    message: `dataAccessRoleArn belongs to account ${account}, but you are signed in to account ${callerAccountId}: use a role of account ${callerAccountId} (HealthImaging can only be passed a role of the account that owns the data store)`,
  };
}

function identityFailure(error: unknown, profile: string | undefined): IdentityResult {
  if (error instanceof AwsSetupError) {
    return { ok: false, reason: 'other', error: { code: error.code, message: error.message, ...(error.action ? { action: error.action } : {}) } };
  }
  const c = error instanceof AwsFaultError ? error.classification : classifyAwsError(error, { operation: 'GetCallerIdentity', ...(profile ? { profile } : {}) });
  const runError = {
    code: c.code,
    message: c.message,
    ...(c.action ? { action: c.action } : {}),
    ...(c.httpStatus !== undefined ? { httpStatus: c.httpStatus } : {}),
    ...(c.requestId ? { requestId: c.requestId } : {}),
  };
  const reason: Exclude<IdentityResult, { ok: true }>['reason'] =
    c.code === 'SsoSignInRequired'
      ? 'sso-login-required'
      : c.code === 'MfaRequired'
        ? 'mfa-required'
        : c.code === 'CredentialsUnavailable'
          ? 'no-credentials'
          : c.fault === 'credentials' && /expire/i.test(c.code + c.message)
            ? 'expired'
            : c.fault === 'credentials'
              ? 'no-credentials'
              : /AccessDenied/.test(c.code)
                ? 'access-denied'
                : c.fault === 'transient'
                  ? 'network'
                  : 'other';
  return { ok: false, reason, error: runError };
}

/**
 * No MFA code came back (cancelled, timed out, app closing). Named like the SDK's provider errors
 * and worded with "MFA", so it is classified as MfaRequired, a credentials fault: an identity check
 * says an MFA code is needed, and a run pauses (resumable with Continue) instead of failing.
 */
class MfaCodeNotGivenError extends Error {
  override name = 'CredentialsProviderError';
}

interface ActiveRun {
  runId: string;
  handle: RunHandle;
  session: AwsSession;
}

/** A run store whose appends can be stopped: used when the app quits (see dispose). */
function freezableStore(store: RunStore): RunStore & { freeze(): void } {
  let frozen = false;
  return {
    get dir() {
      return store.dir;
    },
    create: (runId, header) => store.create(runId, header),
    append: (runId, event) => (frozen ? Promise.reject(new Error('the app is closing; the run stays resumable')) : store.append(runId, event)),
    read: (runId) => store.read(runId),
    readHeader: (runId) => store.readHeader(runId),
    list: () => store.list(),
    freeze() {
      frozen = true;
    },
  };
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const env = deps.env ?? process.env;
  const store = freezableStore(createRunStore(deps.runsDir));
  const workflowPath = deps.workflowPath ?? defaultWorkflowPath();
  const active = new Map<string, ActiveRun>();
  const sessions = new Map<string, Promise<AwsSession>>();
  const mfaWaiters = new Map<string, { resolve(code: string): void; reject(error: Error): void; timer: ReturnType<typeof setTimeout> }>();
  const batcher = createEventBatcher((runId, events) => deps.push('run:events', { runId, events }), deps.pushIntervalMs ?? 50);
  let sandbox: Promise<Sandbox> | undefined;
  let workflow: Promise<{ text: string; document: WorkflowDocument }> | undefined;
  let disposed = false;
  /** Aborted by dispose(): stops the import-results reader's retries. */
  const closing = new AbortController();

  mkdirSync(deps.runsDir, { recursive: true });

  const loadWorkflow = () =>
    (workflow ??= readFile(workflowPath, 'utf8').then((text) => ({ text, document: loadWorkflowDocument(text, { path: workflowPath }) })));

  const getSandbox = (): Promise<Sandbox> => {
    if (disposed) return Promise.reject(new Error('The app is closing.'));
    sandbox ??= (async () => {
      const dataDir = path.join(deps.userDataDir, 'sandbox');
      mkdirSync(dataDir, { recursive: true });
      const started = await startSandbox({ dataDir, timeScale: deps.sandboxTimeScale ?? 60, demoData: true });
      deps.onSandboxStarted?.(started);
      return started;
    })();
    sandbox.catch(() => {
      sandbox = undefined;
    });
    return sandbox;
  };

  const isSandbox = (profile: string | undefined) => profile === SANDBOX_PROFILE;

  /** Asks the page for an MFA code and waits for 'mfa:answer'. */
  const mfaCodeProvider = (profile: string) => (serialNumber: string) =>
    new Promise<string>((resolve, reject) => {
      const requestId = randomUUID();
      const timer = setTimeout(() => {
        mfaWaiters.delete(requestId);
        reject(new MfaCodeNotGivenError(`No MFA code was entered within 5 minutes for profile "${profile}".`));
      }, MFA_TIMEOUT_MS);
      timer.unref?.();
      mfaWaiters.set(requestId, { resolve, reject, timer });
      deps.push('mfa:request', { requestId, profile, serialNumber });
    });

  /** One session per profile+region, kept while it works, so assumed-role credentials (and MFA) are reused. */
  const sessionFor = (target: RunTarget): Promise<AwsSession> => {
    const key = isSandbox(target.profile) ? SANDBOX_PROFILE : `${target.profile}\u0000${target.region}`;
    let pending = sessions.get(key);
    if (!pending) {
      pending = (async () => {
        if (isSandbox(target.profile)) {
          const sb = await getSandbox();
          // The sandbox signs and answers in its own region only.
          return createAwsSession({
            sandbox: { endpoint: sb.url, endpoints: sb.endpoints, region: sb.region, credentials: sb.credentials },
            env,
          });
        }
        return createAwsSession({
          profile: target.profile,
          region: target.region,
          env,
          mfaCodeProvider: mfaCodeProvider(target.profile),
          ...(deps.osProxyFor ? { osProxyFor: deps.osProxyFor } : {}),
        });
      })();
      sessions.set(key, pending);
      pending.catch(() => sessions.delete(key));
    }
    return pending;
  };

  const dropSession = async (target: RunTarget) => {
    const key = isSandbox(target.profile) ? SANDBOX_PROFILE : `${target.profile}\u0000${target.region}`;
    const pending = sessions.get(key);
    sessions.delete(key);
    const session = await pending?.catch(() => undefined);
    if (session && ![...active.values()].some((r) => r.session === session)) session.close();
  };

  /** Callers waiting for a run's first recorded event (so its log exists when they answer). */
  const firstEvent = new Map<string, () => void>();

  /** Engine events (already durable in the run log): to the page, batched, and to nothing else. */
  const onEvent = (event: RunEvent) => {
    firstEvent.get(event.runId)?.();
    firstEvent.delete(event.runId);
    if (!disposed) batcher.add(event);
  };

  /** After the run: read what the import really did, record it, push it. Never changes the run's result. */
  const afterRun = async (runId: string, session: AwsSession, ended: RunEndedEvent) => {
    active.delete(runId);
    if (!disposed) {
      try {
        const event = await recordImportResults(store, session, ended, { signal: closing.signal });
        if (event && !disposed) batcher.add(event);
      } catch {
        // Best effort: the run's outcome stands, and the report says the results could not be read.
      }
    }
    batcher.flush();
  };

  /** Registers a started/resumed run and waits until its first event is on disk. */
  const track = async (handle: RunHandle, session: AwsSession) => {
    active.set(handle.runId, { runId: handle.runId, handle, session });
    const recorded = new Promise<void>((resolve) => firstEvent.set(handle.runId, resolve));
    void handle.done.then((ended) => afterRun(handle.runId, session, ended));
    await Promise.race([recorded, handle.done]);
    firstEvent.delete(handle.runId);
  };

  const requireActive = (runId: string): ActiveRun => {
    const run = active.get(runId);
    if (!run) throw new Error(`Run ${runId} is not running in this app (it may have ended; see History).`);
    return run;
  };

  const summaryOf = (s: RunLogSummary): RunSummary => {
    const run = active.get(s.runId);
    const state: RunSummary['state'] = run
      ? run.handle.state === 'paused'
        ? 'paused'
        : 'running'
      : s.ended && s.status
        ? s.status
        : 'interrupted';
    const ctx = s.context;
    const name = s.inputs?.['datastoreName'] ?? s.outputs['datastoreName'];
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    // An import into an existing store names it in its inputs before any answer arrives.
    const datastoreId = str(s.outputs['datastoreId']) ?? str(s.inputs?.['datastoreId']);
    const jobId = str(s.outputs['jobId']);
    const jobStatus = str(s.outputs['jobStatus']);
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
      ...(failedFileCount(s.importResults) > 0 ? { failedFiles: failedFileCount(s.importResults) } : {}),
      ...(profile ? { profile } : {}),
      region: ctx?.region ?? '',
      sandbox: ctx?.sandbox ?? false,
      resumable: !run && s.resumable && !s.damage,
      ...(s.damage ? { damage: s.damage } : {}),
    };
  };

  const contextFor = async (session: AwsSession): Promise<RunContext> => {
    // Knowing the caller's account makes reports useful; a failure here is the run's first error.
    await session.identity().catch(() => undefined);
    return session.describe();
  };

  const handlers: CommandHandlers = {
    async 'app:info'(): Promise<AppInfo> {
      return {
        name: deps.appInfo?.name ?? PRODUCT.name,
        version: deps.appInfo?.version ?? PRODUCT.version,
        platform: process.platform,
        electron: deps.appInfo?.electron ?? false,
      };
    },

    async 'profiles:list'(): Promise<ProfileSummary[]> {
      const sandboxEntry: ProfileSummary = { name: SANDBOX_PROFILE, label: SANDBOX_LABEL, region: 'us-east-1', kind: 'sandbox' };
      let profiles: ProfileSummary[] = [];
      try {
        profiles = (await listProfiles(env)).map((p) => ({
          name: p.name,
          label: p.region ? `${p.name} (${p.region})` : p.name,
          ...(p.region ? { region: p.region } : {}),
          kind: p.kind,
          ...(p.customEndpoint ? { customEndpoint: true } : {}),
          ...(p.mfa ? { mfa: true } : {}),
        }));
      } catch {
        // Unreadable ~/.aws files must not hide the sandbox; the identity check reports the problem.
      }
      return [sandboxEntry, ...profiles];
    },

    async 'identity:check'(target): Promise<IdentityResult> {
      try {
        const session = await sessionFor(target);
        const id = await session.identity();
        return { ok: true, accountId: id.accountId, arn: id.arn, ...(id.userId ? { userId: id.userId } : {}) };
      } catch (error) {
        await dropSession(target);
        return identityFailure(error, isSandbox(target.profile) ? undefined : target.profile);
      }
    },

    // Test connection: the same checks as `ahi-onboard doctor`, on the session a run would use.
    async 'network:check'(target) {
      return checkConnection(await sessionFor(target));
    },

    async 'mfa:answer'({ requestId, code }) {
      const waiter = mfaWaiters.get(requestId);
      if (!waiter) throw new Error('That MFA request is no longer waiting (it timed out or was answered).');
      mfaWaiters.delete(requestId);
      clearTimeout(waiter.timer);
      if (code === null) waiter.reject(new MfaCodeNotGivenError('MFA code entry was cancelled.'));
      else waiter.resolve(code);
    },

    async 'inputs:defaults'(target): Promise<OnboardingInputs> {
      if (isSandbox(target.profile)) {
        const sb = await getSandbox();
        return {
          datastoreName: demoDatastoreName(),
          datastoreClientToken: generateClientToken(),
          dataAccessRoleArn: sb.demo.dataAccessRoleArn,
          importClientToken: generateClientToken(),
          inputS3Uri: sb.demo.inputS3Uri,
          outputS3Uri: sb.demo.outputS3Uri,
        };
      }
      return {
        datastoreName: '',
        datastoreClientToken: generateClientToken(),
        dataAccessRoleArn: '',
        importClientToken: generateClientToken(),
        inputS3Uri: '',
        outputS3Uri: '',
      };
    },

    async 'inputs:validate'(request): Promise<FieldIssue[]> {
      const { inputs, callerAccountId } = request;
      const { document } = await loadWorkflow();
      const run = workflowRun(request);
      // The onboarding's own required-field wording first; then the workflow's schema and rules.
      const issues: FieldIssue[] = run.workflowId === ONBOARD_WORKFLOW_ID ? [...validateOnboardingInputs(run.inputs)] : [];
      const seen = new Set(issues.map((i) => i.field));
      for (const issue of validateInputs(selectWorkflow(document, run.workflowId), run.inputs).issues) {
        if (!seen.has(issue.field)) {
          issues.push(issue);
          seen.add(issue.field);
        }
      }
      const role = roleAccountIssue(inputs.dataAccessRoleArn, callerAccountId);
      if (role && !seen.has(role.field)) issues.push(role);
      return issues;
    },

    async 'polling:defaults'(target): Promise<PollingSettings> {
      return isSandbox(target.profile) ? { ...SANDBOX_POLLING } : awsPollingDefaults();
    },

    async 'run:start'(request) {
      if (disposed) throw new Error('The app is closing.');
      const run = workflowRun(request);
      const issues = await handlers['inputs:validate'](request);
      if (issues.length > 0) throw new InvalidInputsError(issues);
      const { text, document } = await loadWorkflow();
      const session = await sessionFor(request);
      const sandboxRun = isSandbox(request.profile);
      const context = await contextFor(session);
      const role = roleAccountIssue(request.inputs.dataAccessRoleArn, context.accountId);
      if (role) throw new InvalidInputsError([role]);
      const defaults = sandboxRun ? SANDBOX_POLLING : awsPollingDefaults();
      const polling = request.polling && !samePolling(request.polling, defaults) ? request.polling : sandboxRun ? SANDBOX_POLLING : undefined;
      const handle = startRun({
        document,
        documentText: text,
        workflowId: run.workflowId,
        inputs: run.inputs,
        binding: session.binding,
        store,
        context,
        onEvent,
        product: { name: PRODUCT.name, version: deps.appInfo?.version ?? PRODUCT.version },
        ...(polling ? { polling: pollingOption(polling) } : {}),
      });
      await track(handle, session);
      return { runId: handle.runId };
    },

    async 'run:cancel'({ runId }) {
      requireActive(runId).handle.cancel('cancelled by the user');
    },

    async 'run:poll-now'({ runId }) {
      requireActive(runId).handle.pollNow();
    },

    async 'run:continue'({ runId }) {
      const run = requireActive(runId);
      // The user signed in again: read the profile afresh before the next request.
      run.session.refreshCredentials();
      run.handle.continue();
    },

    async 'run:resume'({ runId }) {
      if (disposed) throw new Error('The app is closing.');
      if (active.has(runId)) throw new Error(`Run ${runId} is already running.`);
      const header = await store.readHeader(runId);
      if (!header) throw new Error(`No run ${runId} in History.`);
      const summary = (await store.list()).find((s) => s.runId === runId);
      refuseDamagedResume(runId, summary);
      if (summary && !summary.resumable) throw new Error(`Run ${runId} ended and cannot be resumed.`);
      // Resume with the document the run started with, so the same steps are interpreted.
      const document = loadWorkflowDocument(header.workflowText, { ...(header.workflowPath ? { path: header.workflowPath } : {}) });
      const ctx = summary?.context ?? header.context;
      const target: RunTarget = ctx.sandbox ? { profile: SANDBOX_PROFILE, region: ctx.region } : { profile: ctx.profile ?? 'default', region: ctx.region };
      const session = await sessionFor(target);
      const context = await contextFor(session);
      const polling = ctx.sandbox ? pollingOption(SANDBOX_POLLING) : undefined;
      const handle = await resumeRun({
        runId,
        document,
        documentText: header.workflowText,
        binding: session.binding,
        store,
        context,
        onEvent,
        ...(polling ? { polling } : {}),
      });
      await track(handle, session);
      return { runId };
    },

    async 'run:repair'({ runId }) {
      return repairRun(store.dir, runId, active.has(runId));
    },

    async 'run:active'() {
      const run = [...active.values()][0];
      if (!run) return null;
      return { runId: run.runId, events: await store.read(run.runId) };
    },

    async 'runs:list'() {
      return (await store.list()).map(summaryOf);
    },

    async 'runs:events'({ runId }) {
      // A damaged log opens with its readable part (History says where it is damaged).
      return (await readRunLog(store.dir, runId)).events;
    },

    async 'report:export'({ runId, format }) {
      const { events, damage } = await readRunLog(store.dir, runId);
      const build = damage ? { logDamage: damage } : {};
      const report = buildReport(events, build);
      const filePath = await deps.dialogs.saveReport(reportFileName(report, format), format);
      if (!filePath) return { saved: false };
      if (format === 'pdf') {
        const pdf = await deps.printToPdf(renderReport(events, 'html', build));
        await writeFile(filePath, pdf);
      } else {
        await writeFile(filePath, renderReport(events, format, build), 'utf8');
      }
      return { saved: true, path: filePath };
    },

    async 'external:open'({ url }) {
      // Vetted here as well as by the platform's opener: https AWS console/documentation pages only.
      const vetted = vetExternalUrl(url);
      if (!vetted.ok) throw new Error(`Refused to open ${JSON.stringify(url.slice(0, 200))}: ${vetted.reason}.`);
      await deps.openExternal(vetted.url);
    },

    async 'sso:sign-in'(req) {
      return ssoSignIn(req, {
        env,
        openSignInUrl: deps.openSignInUrl ?? (async () => Promise.reject(new Error('this build cannot open a browser for sign-in'))),
        showDeviceCode: (p) => deps.push('sso:device-code', p),
      });
    },
  };

  return {
    ...handlers,
    /**
     * Stops everything without losing a run: the run store stops accepting appends first, then the
     * active runs are stopped, so their logs end where a killed process would have left them (no
     * run-ended): the next start lists them as interrupted, with Resume. Then the sandbox closes.
     */
    async dispose() {
      if (disposed) return;
      disposed = true;
      closing.abort();
      batcher.flush();
      store.freeze();
      const runs = [...active.values()];
      for (const run of runs) run.handle.cancel('the app was closed');
      await Promise.all(runs.map((run) => run.handle.done.catch(() => undefined)));
      batcher.dispose();
      for (const waiter of mfaWaiters.values()) {
        clearTimeout(waiter.timer);
        waiter.reject(new MfaCodeNotGivenError('The app is closing: no MFA code.'));
      }
      mfaWaiters.clear();
      for (const pending of sessions.values()) (await pending.catch(() => undefined))?.close();
      sessions.clear();
      const sb = await sandbox?.catch(() => undefined);
      await sb?.close();
    },
  };
}
