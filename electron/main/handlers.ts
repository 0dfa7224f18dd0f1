/**
 * THE main-side handlers: one module per feature under handlers/, composed here over the
 * application layer (core/app). Plain Node, no electron import: the Electron main process and the
 * browser host used by end-to-end tests both run exactly this, with only the platform services
 * (save dialog, PDF printing, opening links, pushing to the page) passed in as deps.
 *
 * Credentials never leave this layer: only identities, ids, statuses and events (which the engine
 * keeps free of secrets) cross to the page.
 */
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandHandlers } from '../../contract/ipc';
import { createPreflightRegistry } from '../../core/app/preflight';
import { createRunService, type SettledRun } from '../../core/app/runs';
import { createSandboxHost, DEMO_TIME_SCALE, sandboxTarget } from '../../core/app/sandbox-host';
import { createSessionRegistry } from '../../core/app/sessions';
import { PRODUCT } from '../../core/product';
import { loadWorkflowDocument, type WorkflowDocument } from '../../core/engine/index';
import { BUNDLED_WORKFLOW_FILE } from '../../core/healthimaging/workflows';
import { createRunStore, type RunStore } from '../../core/runs/run-store';
import { startSandbox } from '../../sandbox/index';
import { createEventBatcher } from './event-batcher';
import { accountHandlers } from './handlers/account';
import { appHandlers } from './handlers/app';
import { batchHandlers, pushBatchProgress } from './handlers/batches';
import { datastoreHandlers } from './handlers/datastores';
import type { HandlerContext, HandlerDeps } from './handlers/context';
import { inputsHandlers } from './handlers/inputs';
import { createMfaPrompt } from './handlers/mfa-prompt';
import { preflightHandlers } from './handlers/preflight';
import { reportHandlers } from './handlers/reports';
import { runHandlers } from './handlers/runs';
import { s3Handlers } from './handlers/s3';

export type { CommandHandlers } from '../../contract/ipc';
export type { HandlerDeps } from './handlers/context';
export { SANDBOX_LABEL } from './handlers/account';
export { SANDBOX_POLLING } from './handlers/inputs';

export type Handlers = CommandHandlers & {
  /** Hears every run that ended, once its import results are recorded (notifications, quitting). */
  onSettled(listener: (settled: SettledRun) => void): () => void;
  dispose(): Promise<void>;
};

function defaultWorkflowPath(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../assets', BUNDLED_WORKFLOW_FILE);
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
  const batcher = createEventBatcher((runId, events) => deps.push('run:events', { runId, events }), deps.pushIntervalMs ?? 50);
  const settledListeners = new Set<(settled: SettledRun) => void>();
  let workflow: Promise<{ text: string; document: WorkflowDocument }> | undefined;
  let disposed = false;
  /** Aborted by dispose(): stops the import-results reader's retries. */
  const closing = new AbortController();

  mkdirSync(deps.runsDir, { recursive: true });

  const sandbox = createSandboxHost(async () => {
    const dataDir = path.join(deps.userDataDir, 'sandbox');
    mkdirSync(dataDir, { recursive: true });
    const started = await startSandbox({ dataDir, timeScale: deps.sandboxTimeScale ?? DEMO_TIME_SCALE, demoData: true });
    deps.onSandboxStarted?.(started);
    return started;
  });
  const mfa = createMfaPrompt(deps.push);
  const runs = createRunService({
    store,
    signal: closing.signal,
    product: { name: PRODUCT.name, version: deps.appInfo?.version ?? PRODUCT.version },
    // Engine events (already durable in the run log): to the page, batched, and to nothing else.
    onEvent: (event) => {
      if (!disposed) batcher.add(event);
    },
    onSettled: (settled) => {
      batcher.flush();
      for (const listener of settledListeners) listener(settled);
    },
  });
  const sessions = createSessionRegistry({
    env,
    sandbox: async () => sandboxTarget(await sandbox.get()),
    mfaCodeProvider: (profile) => mfa.providerFor(profile),
    inUse: (session) => runs.usesSession(session) || (batches?.usesSession?.(session) ?? false),
    onCreated: (session) => deps.guard?.addSecrets(() => session.secretsInUse()),
    ...(deps.osProxyFor ? { osProxyFor: deps.osProxyFor } : {}),
  });

  const preflights = createPreflightRegistry();

  const ctx: HandlerContext = {
    deps,
    env,
    store,
    runs,
    sessions,
    preflights,
    sandbox,
    mfa,
    loadWorkflow: () =>
      (workflow ??= readFile(workflowPath, 'utf8').then((text) => ({ text, document: loadWorkflowDocument(text, { path: workflowPath }) }))),
    assertOpen: () => {
      if (disposed) throw new Error('The app is closing.');
    },
  };

  const batches = deps.batchService?.(ctx);
  const stopBatchProgress = pushBatchProgress(batches, deps);

  const handlers: CommandHandlers = {
    ...appHandlers(ctx),
    ...accountHandlers(ctx),
    ...inputsHandlers(ctx),
    ...runHandlers(ctx),
    ...preflightHandlers(ctx),
    ...reportHandlers(ctx),
    ...batchHandlers(ctx, batches),
    ...s3Handlers(ctx),
    ...datastoreHandlers(ctx),
  };

  return {
    ...handlers,
    onSettled(listener) {
      settledListeners.add(listener);
      return () => settledListeners.delete(listener);
    },
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
      await runs.stopAll('the app was closed');
      stopBatchProgress();
      await batches?.stopAll?.('the app was closed');
      batcher.dispose();
      preflights.cancelAll();
      mfa.cancelAll();
      await sessions.closeAll();
      await sandbox.close();
    },
  };
}
