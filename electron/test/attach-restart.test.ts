/**
 * "Watch live" after the app was restarted, through the main-side handlers against the REAL
 * sandbox (kept in the app's data folder, so its store and job outlive the restart), SDK, engine and
 * run store: the watch the closed app left unfinished in History is the job's watch. Watch live
 * resumes it, or answers it when History resumed it first, and never starts a second one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateDatastoreCommand, GetDatastoreCommand, StartDICOMImportJobCommand } from '@aws-sdk/client-medical-imaging';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SANDBOX_PROFILE } from '../../contract/ipc';
import { ATTACH_WORKFLOW_ID } from '../../core/healthimaging/workflows';
import type { Sandbox } from '../../sandbox/index';
import { clients } from '../../sandbox/test-clients';
import { createHandlers, type Handlers } from '../main/handlers';

const target = { profile: SANDBOX_PROFILE, region: 'us-east-1' };

describe('Watch live after an app restart', () => {
  let dir: string;
  let app: Handlers | undefined;
  let datastoreId = '';
  let jobId = '';

  /** One start of the app: the same run folder and sandbox data folder every time. */
  const startApp = (onSandbox?: (sb: Sandbox) => void): Handlers =>
    (app = createHandlers({
      runsDir: path.join(dir, 'runs'),
      userDataDir: dir,
      env: { AWS_CONFIG_FILE: path.join(dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials') },
      dialogs: { saveReport: async () => undefined },
      openExternal: vi.fn(async () => undefined),
      printToPdf: async () => Buffer.from(''),
      push: () => undefined,
      // Slow enough that the job is still running across two restarts (about 20 s).
      sandboxTimeScale: 3,
      ...(onSandbox ? { onSandboxStarted: onSandbox } : {}),
    }));

  const watches = async (h: Handlers) => (await h['runs:list']()).filter((r) => r.workflowId === ATTACH_WORKFLOW_ID && r.jobId === jobId);

  /** Until the run's log holds an answer of GetDICOMImportJob after its last (re)start. */
  const polledOnce = async (h: Handlers, runId: string) => {
    for (;;) {
      const events = await h['runs:events']({ runId });
      const since = events.findLastIndex((e) => e.type === 'run-started' || e.type === 'run-resumed');
      if (events.slice(since).some((e) => e.type === 'response-received')) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'attach-restart-'));
    let sandbox: Sandbox | undefined;
    const h = startApp((sb) => (sandbox = sb));
    await h['datastores:list'](target);
    // The store and the job made directly through the SDK, as a script would.
    const mi = clients(sandbox!).mi;
    datastoreId = (await mi.send(new CreateDatastoreCommand({ datastoreName: 'restart-store', clientToken: 'restart-store-token' }))).datastoreId!;
    for (;;) {
      if ((await mi.send(new GetDatastoreCommand({ datastoreId }))).datastoreProperties?.datastoreStatus === 'ACTIVE') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const demo = sandbox!.demo;
    jobId = (await mi.send(new StartDICOMImportJobCommand({ datastoreId, jobName: 'restart-job', dataAccessRoleArn: demo.dataAccessRoleArn, inputS3Uri: demo.inputS3Uri, outputS3Uri: demo.outputS3Uri, clientToken: 'restart-job-token' }))).jobId!;
    mi.destroy();
  }, 60_000);

  afterAll(async () => {
    await app?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resumes the watch the closed app left unfinished, then answers the one History resumed: one watch throughout', async () => {
    let h = app!;
    const { runId } = await h['job:attach']({ ...target, datastoreId, jobId });
    await polledOnce(h, runId);
    // The app is closed while it watches: the log stays without an end, History offers Resume.
    await h.dispose();

    h = startApp();
    expect(await watches(h)).toMatchObject([{ runId, state: 'interrupted', resumable: true }]);
    // Watch live on the job's page: the same watch, resumed, said to be the one already there.
    expect(await h['job:attach']({ ...target, datastoreId, jobId })).toEqual({ runId, alreadyWatching: true });
    expect(await watches(h)).toMatchObject([{ runId, state: 'running' }]);
    // Again: the one watch, registered now.
    expect(await h['job:attach']({ ...target, datastoreId, jobId })).toEqual({ runId, alreadyWatching: true });
    await polledOnce(h, runId);
    await h.dispose();

    // This time History's Resume comes first; Watch live then answers that run, no second resume.
    h = startApp();
    await h['run:resume']({ runId });
    expect(await watches(h)).toMatchObject([{ runId, state: 'running' }]);
    expect(await h['job:attach']({ ...target, datastoreId, jobId })).toEqual({ runId, alreadyWatching: true });
    const resumes = (await h['runs:events']({ runId })).filter((e) => e.type === 'run-resumed');
    expect(resumes).toHaveLength(2);

    // The one watch follows the job to its end; a watch that ended is not taken up again.
    let [watch] = await watches(h);
    while (watch?.state === 'running') {
      await new Promise((r) => setTimeout(r, 200));
      [watch] = await watches(h);
    }
    expect(await watches(h)).toMatchObject([{ runId, state: 'succeeded', jobStatus: 'COMPLETED', datastoreName: 'restart-store' }]);
    const after = await h['job:attach']({ ...target, datastoreId, jobId });
    expect(after.runId).not.toBe(runId);
    expect(after.alreadyWatching).toBeUndefined();
  }, 120_000);
});
