/**
 * Runs: start, follow, cancel, resume, and the History list. The application layer's run service
 * does the work; these translate the window's requests into it.
 */
import { SANDBOX_PROFILE, type HandlersFor, type RunTarget } from '../../../contract/ipc';
import { runInputIssues, workflowRun } from '../../../core/app/inputs';
import { preflightGate } from '../../../core/app/preflight';
import { DEMO_POLLING } from '../../../core/app/sandbox-host';
import { isSandboxTarget } from '../../../core/app/sessions';
import { InvalidInputsError, loadWorkflowDocument } from '../../../core/engine/index';
import { readRunLog } from '../../../core/runs/run-store';
import { refuseDamagedResume, repairRun } from '../run-repair';
import type { HandlerContext } from './context';
import { SANDBOX_POLLING, samePolling, awsPollingDefaults, userPolling } from './inputs';
import { runSummary } from './run-summary';

export type RunHandlers = HandlersFor<
  'run:start' | 'run:cancel' | 'run:poll-now' | 'run:continue' | 'run:resume' | 'run:repair' | 'run:active' | 'runs:list' | 'runs:events'
>;

export function runHandlers({ store, runs, sessions, loadWorkflow, assertOpen }: HandlerContext): RunHandlers {
  return {
    async 'run:start'(request) {
      assertOpen();
      const run = workflowRun(request);
      const { text, document } = await loadWorkflow();
      const early = runInputIssues(document, request, undefined);
      if (early.length > 0) throw new InvalidInputsError(early);
      const session = await sessions.sessionFor(request);
      await session.identity().catch(() => undefined);
      const context = session.describe();
      // The role's account is checked again now that the caller's account is known for sure.
      const late = runInputIssues(document, request, context.accountId);
      if (late.length > 0) throw new InvalidInputsError(late);
      // The preflight, blocking like the CLI's: a failed check stops here, before CreateDatastore,
      // unless the user chose "I understand, start anyway". Its results go into run-started.
      const preflight = await preflightGate(session, run.inputs, { skip: request.skipPreflight === true, startAnyway: 'choose “I understand, start anyway” on the Review step' });
      const sandboxRun = isSandboxTarget(request);
      const defaults = sandboxRun ? SANDBOX_POLLING : awsPollingDefaults();
      const custom = request.polling && !samePolling(request.polling, defaults) ? userPolling(request.polling) : undefined;
      const polling = custom ?? (sandboxRun ? DEMO_POLLING : undefined);
      const started = await runs.start({
        session,
        document,
        documentText: text,
        workflowId: run.workflowId,
        inputs: run.inputs,
        context,
        preflight,
        ...(polling ? { polling } : {}),
      });
      return { runId: started.runId };
    },

    async 'run:cancel'({ runId }) {
      runs.require(runId).handle.cancel('cancelled by the user');
    },

    async 'run:poll-now'({ runId }) {
      runs.require(runId).handle.pollNow();
    },

    async 'run:continue'({ runId }) {
      const run = runs.require(runId);
      // The user signed in again: read the profile afresh before the next request.
      run.session.refreshCredentials();
      run.handle.continue();
    },

    async 'run:resume'({ runId }) {
      assertOpen();
      await runs.resume(runId, async () => {
        const header = await store.readHeader(runId);
        if (!header) throw new Error(`No run ${runId} in History.`);
        const summary = (await store.list()).find((s) => s.runId === runId);
        refuseDamagedResume(runId, summary);
        if (summary && !summary.resumable) throw new Error(`Run ${runId} ended and cannot be resumed.`);
        // Resume with the document the run started with, so the same steps are interpreted.
        const document = loadWorkflowDocument(header.workflowText, { ...(header.workflowPath ? { path: header.workflowPath } : {}) });
        const ctx = summary?.context ?? header.context;
        const target: RunTarget = ctx.sandbox ? { profile: SANDBOX_PROFILE, region: ctx.region } : { profile: ctx.profile ?? 'default', region: ctx.region };
        const session = await sessions.sessionFor(target);
        return { session, document, documentText: header.workflowText, ...(ctx.sandbox ? { polling: DEMO_POLLING } : {}) };
      });
      return { runId };
    },

    async 'run:active'() {
      const run = runs.list()[0];
      if (!run) return null;
      return { runId: run.runId, events: await store.read(run.runId) };
    },

    async 'runs:list'() {
      return (await store.list()).map((s) => runSummary(s, runs.get(s.runId)));
    },

    async 'runs:events'({ runId }) {
      // A damaged log opens with its readable part (History says where it is damaged).
      return (await readRunLog(store.dir, runId)).events;
    },

    async 'run:repair'({ runId }) {
      return repairRun(store.dir, runId, runs.isReserved(runId));
    },
  };
}
