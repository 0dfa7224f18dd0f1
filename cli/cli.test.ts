/**
 * The command as users run it: a child process (bin/ahi-onboard.mjs) against the embedded sandbox
 * (--sandbox): exit codes, output, reports, SIGINT then resume, and `import` into an existing store.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../sandbox/index';
import type { RunEvent } from '../core/engine/events';
import { cleanEnv, ndjsonEvents, runCli as runCliIn } from './testing/spawn-cli';

const tmp = mkdtempSync(join(tmpdir(), 'ahi-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const baseEnv = (extra: NodeJS.ProcessEnv = {}) => cleanEnv(tmp, extra);
const runCli = (args: string[], opts: { env?: NodeJS.ProcessEnv; onStdout?: (all: string, kill: (s: NodeJS.Signals) => void) => void } = {}) =>
  runCliIn(args, { env: opts.env ?? baseEnv(), ...(opts.onStdout ? { onStdout: opts.onStdout } : {}) });
const events = ndjsonEvents;

describe('ahi-onboard run --sandbox', () => {
  it('completes the whole onboarding with exit 0, one line per event', async () => {
    const r = await runCli(['run', '--sandbox']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, -1).every((l) => /^\[\d+:\d{2}\.\d\] /.test(l))).toBe(true); // the outcome line closes it
    expect(r.stdout).not.toContain('\x1b['); // not a terminal: plain
    expect(r.stdout).toMatch(/== workflow ended: datastoreId=[0-9a-z]{32} jobId=[0-9a-z]+ jobStatus=COMPLETED/);
    expect(lines.at(-1)).toMatch(/^== Succeeded: (\d+) of \1 files imported, 0 failed$/);
  }, 60_000);

  it('the demo dicom-with-errors/ prefix: the job COMPLETES with failed files, exit 5 and "completed with errors" (never "succeeded" as the last word)', async () => {
    const inputs = join(tmp, 'with-errors.json');
    writeFileSync(inputs, JSON.stringify({ inputS3Uri: 's3://healthimaging-sandbox-demo/dicom-with-errors/' }));
    const report = join(tmp, 'reports', 'with-errors.json');
    const r = await runCli(['run', '--sandbox', '--inputs', inputs, '--report', report]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/completed with errors: \d+ files failed to import/);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^== Completed with errors: \d+ of \d+ files imported, [1-9]\d* failed$/);
    expect(r.stdout + r.stderr).not.toMatch(/run succeeded|== Succeeded/i);
    expect(JSON.parse(readFileSync(report, 'utf8')).outcome.code).toBe('completed_with_errors');
  }, 60_000);

  it('--json prints NDJSON events and --report writes the report with the fields scripts rely on', async () => {
    const report = join(tmp, 'reports', 'run.json');
    const r = await runCli(['run', '--sandbox', '--json', '--report', report]);
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    expect(evs[0]!.type).toBe('run-started');
    const ended = evs.find((e) => e.type === 'run-ended')!;
    expect(ended).toMatchObject({ status: 'succeeded', outputs: { jobStatus: 'COMPLETED' } });
    expect(evs.at(-1)!.type).toBe('import-results');

    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep).toMatchObject({ runId: ended.runId, status: 'succeeded', workflowId: 'onboard-datastore-and-import' });
    expect(rep.inputs.datastoreClientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(rep.outputs).toMatchObject({ datastoreId: ended.outputs.datastoreId, jobId: ended.outputs.jobId, jobStatus: 'COMPLETED' });
    expect(rep.steps.map((s: { stepId: string }) => s.stepId)).toEqual(['createDatastore', 'pollDatastore', 'startImportJob', 'pollImportJob']);
    expect(rep.steps[1]).toMatchObject({ operationId: 'GetDatastore', status: 'succeeded', lastObservedStatus: 'ACTIVE' });
    expect(rep.steps[1].attempts).toBeGreaterThan(0);
    expect(rep.apiCalls.total).toBeGreaterThanOrEqual(4);

    // The same run as Markdown through `report`, from the sandbox runs dir.
    const md = await runCli(['report', ended.runId, '--format', 'md']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain(ended.outputs.datastoreId as string);
    expect((await runCli(['report', 'no-such-run', '--format', 'json'])).code).toBe(2);
  }, 60_000);

  it('SIGINT exits 130 with the run recorded; resume finishes it with the same data store, created once', async () => {
    let sent = false;
    const first = await runCli(['run', '--sandbox', '--json', '--poll-interval', '1'], {
      onStdout: (all, kill) => {
        // Interrupt while polling the data store (after CreateDatastore was answered).
        if (!sent && /"type":"waiting"/.test(all)) {
          sent = true;
          kill('SIGINT');
        }
      },
    });
    expect(first.code).toBe(130);
    const evs1 = events(first.stdout);
    const runId = evs1[0]!.runId;
    const datastoreId = evs1.find((e): e is Extract<RunEvent, { type: 'response-received' }> => e.type === 'response-received' && e.operationId === 'CreateDatastore')!.outputs!.datastoreId;
    expect(evs1.at(-1)).toMatchObject({ type: 'run-ended', status: 'cancelled', resumable: true });
    expect(first.stderr).toContain(`Resume with: ahi-onboard resume ${runId}`);

    const second = await runCli(['resume', runId, '--json']);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    const evs2 = events(second.stdout);
    expect(evs2[0]).toMatchObject({ type: 'run-resumed', runId });
    expect(evs2.find((e) => e.type === 'run-ended')).toMatchObject({ status: 'succeeded', outputs: { datastoreId, jobStatus: 'COMPLETED' } });
    // Nothing created twice: no second CreateDatastore in the whole log.
    const creates = [...evs1, ...evs2].filter((e) => e.type === 'request-sent' && e.operationId === 'CreateDatastore');
    expect(creates).toHaveLength(1);
  }, 90_000);
});

describe('ahi-onboard import --sandbox: more data into an existing data store', () => {
  // A sandbox data dir of its own, so the stores and jobs counted are this test's only.
  const env = baseEnv({ XDG_DATA_HOME: join(tmp, 'data-import') });
  const sent = (evs: RunEvent[], op: string) => evs.filter((e) => e.type === 'request-sent' && e.operationId === op);

  /** What the CLI's sandbox holds now, read by starting it over the same data dir. */
  async function sandboxState(fn?: (sb: Sandbox) => void): Promise<{ datastores: number; jobs: number }> {
    const { startDemoSandbox } = await import('./sandbox');
    const { sandboxDataDir } = await import('./data-dir');
    const { ListDatastoresCommand, ListDICOMImportJobsCommand, MedicalImagingClient } = await import('@aws-sdk/client-medical-imaging');
    const demo = await startDemoSandbox({ dataDir: sandboxDataDir(env) });
    const client = new MedicalImagingClient({ endpoint: demo.sandbox.url, region: demo.sandbox.region, credentials: demo.sandbox.credentials });
    try {
      fn?.(demo.sandbox);
      const stores = (await client.send(new ListDatastoresCommand({}))).datastoreSummaries ?? [];
      let jobs = 0;
      for (const d of stores) jobs += (await client.send(new ListDICOMImportJobsCommand({ datastoreId: d.datastoreId! }))).jobSummaries?.length ?? 0;
      return { datastores: stores.length, jobs };
    } finally {
      client.destroy();
      await demo.sandbox.close();
    }
  }

  it('onboard, then import into the same store: exit 0, no CreateDatastore, one data store with two jobs; a store not ACTIVE exits 1 with nothing started', async () => {
    const onboard = await runCli(['run', '--sandbox', '--json'], { env });
    expect(onboard.code).toBe(0);
    const first = events(onboard.stdout);
    const datastoreId = String(first.find((e): e is Extract<RunEvent, { type: 'run-ended' }> => e.type === 'run-ended')!.outputs.datastoreId);

    const report = join(tmp, 'reports', 'import.json');
    const r = await runCli(['import', '--sandbox', '--datastore-id', datastoreId, '--json', '--report', report], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const evs = events(r.stdout);
    expect(evs[0]).toMatchObject({ type: 'run-started', workflowId: 'import-into-datastore', inputs: { datastoreId } });
    expect(evs.find((e) => e.type === 'run-ended')).toMatchObject({ status: 'succeeded', outputs: { datastoreId, jobStatus: 'COMPLETED' } });
    expect(sent(evs, 'CreateDatastore')).toHaveLength(0);
    expect(sent(evs, 'GetDatastore')).toHaveLength(1);
    // A new import client token, not the onboarding's.
    const token = (sent(evs, 'StartDICOMImportJob')[0] as Extract<RunEvent, { type: 'request-sent' }>).clientToken;
    expect(token).not.toBe((sent(first, 'StartDICOMImportJob')[0] as Extract<RunEvent, { type: 'request-sent' }>).clientToken);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ workflowId: 'import-into-datastore', status: 'succeeded', outputs: { datastoreId, datastoreStatus: 'ACTIVE' } });
    expect(await sandboxState()).toEqual({ datastores: 1, jobs: 2 });

    // The same store, marked DELETING in the sandbox's saved state: exit 1 naming the status, no job.
    await sandboxState((sb) => sb.faults.setDatastoreStatus(datastoreId, 'DELETING'));
    const refused = await runCli(['import', '--sandbox', '--datastore-id', datastoreId], { env });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/status DELETING/);
    expect(refused.stdout).not.toMatch(/StartDICOMImportJob/);
    expect(await sandboxState()).toEqual({ datastores: 1, jobs: 2 });
  }, 90_000);

  it('bad usage exits 2 with nothing sent: no --datastore-id, a malformed one, an onboarding\'s inputs file, --workflow-id', async () => {
    const noId = await runCli(['import', '--sandbox'], { env });
    expect(noId.code).toBe(2);
    expect(noId.stderr).toMatch(/import needs --datastore-id ID/);
    const malformed = await runCli(['import', '--sandbox', '--datastore-id', 'My-Store'], { env });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/datastoreId: datastoreId must be 32 lowercase letters or digits/);
    const onboardingFile = join(tmp, 'onboarding-inputs.json');
    writeFileSync(onboardingFile, JSON.stringify({ datastoreName: 'x', datastoreClientToken: 't', importClientToken: 'old', inputS3Uri: 's3://in-bucket/a/', outputS3Uri: 's3://out-bucket/b/', dataAccessRoleArn: 'arn:aws:iam::123456789012:role/r' }));
    const mixed = await runCli(['import', '--datastore-id', 'a'.repeat(32), '--inputs', onboardingFile], { env });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/does not take: datastoreName, datastoreClientToken, importClientToken/);
    expect((await runCli(['import', '--sandbox', '--datastore-id', 'a'.repeat(32), '--workflow-id', 'x'], { env })).stderr).toMatch(/--workflow and --workflow-id do not apply/);
    const help = await runCli(['--help'], { env });
    expect(help.stdout).toMatch(/ahi-onboard import --datastore-id ID --inputs FILE\.json/);
  }, 60_000);
});
