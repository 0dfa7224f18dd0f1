/**
 * The command as users run it: a child process (bin/ahi-onboard.mjs) against the embedded sandbox
 * (--sandbox) or a sandbox in this process reached through a profile whose `services` section
 * points at it. Exit codes, output, reports, SIGINT then resume.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index';
import type { RunEvent } from '../core/engine/events';
import { writeTempAwsConfig, type TempAwsConfig } from '../core/aws/test-config';

const BIN = join(process.cwd(), 'bin', 'ahi-onboard.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'ahi-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A clean environment: no AWS settings from the machine running the tests. */
function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  return { ...env, HOME: tmp, XDG_DATA_HOME: join(tmp, 'data'), NO_COLOR: '1', ...extra };
}

function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv; onStdout?: (chunk: string, kill: (s: NodeJS.Signals) => void) => void } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: opts.env ?? baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
      opts.onStdout?.(stdout, (s) => child.kill(s));
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const events = (stdout: string): RunEvent[] =>
  stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as RunEvent);

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

describe('against a sandbox reached through a profile', () => {
  let sandbox: Sandbox;
  let cfg: TempAwsConfig;
  const requests: string[] = [];
  let inputsFile = '';

  beforeAll(async () => {
    // Time scale 1: a data store takes about two minutes, so deadlines can pass.
    sandbox = await startSandbox({ timeScale: 1, log: (l) => requests.push(l) });
    const { accessKeyId, secretAccessKey } = sandbox.credentials;
    cfg = writeTempAwsConfig(
      `[profile sbx]
region = ${sandbox.region}
services = sbx

[services sbx]
medical_imaging =
  endpoint_url = ${sandbox.url}
s3 =
  endpoint_url = ${sandbox.url}
sts =
  endpoint_url = ${sandbox.url}
iam =
  endpoint_url = ${sandbox.url}
kms =
  endpoint_url = ${sandbox.url}

[profile badkey]
region = ${sandbox.region}
endpoint_url = ${sandbox.url}
`,
      `[sbx]
aws_access_key_id = ${accessKeyId}
aws_secret_access_key = ${secretAccessKey}

[badkey]
aws_access_key_id = ${accessKeyId}
aws_secret_access_key = ${'w'.repeat(40)}
`,
    );
    inputsFile = join(tmp, 'inputs.json');
    writeFileSync(
      inputsFile,
      JSON.stringify({
        datastoreName: 'cli-profile-test',
        dataAccessRoleArn: sandbox.demo.dataAccessRoleArn,
        inputS3Uri: sandbox.demo.inputS3Uri,
        outputS3Uri: sandbox.demo.outputS3Uri,
      }),
    );
  });
  afterAll(async () => {
    await sandbox?.close();
    cfg?.cleanup();
  });

  const env = () => baseEnv({ AWS_CONFIG_FILE: cfg.env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: cfg.env.AWS_SHARED_CREDENTIALS_FILE });

  it('invalid inputs exit 2 naming the field and the rule, and nothing is sent', async () => {
    const bad = join(tmp, 'bad-inputs.json');
    writeFileSync(bad, JSON.stringify({ datastoreName: 'bad name!', dataAccessRoleArn: 'not-an-arn', inputS3Uri: sandbox.demo.inputS3Uri, outputS3Uri: sandbox.demo.outputS3Uri }));
    const before = requests.length;
    const report = join(tmp, 'bad-report.json');
    const r = await runCli(['run', '--inputs', bad, '--profile', 'sbx', '--runs-dir', join(tmp, 'runs'), '--report', report], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Invalid inputs, nothing was sent/);
    expect(r.stderr).toMatch(/datastoreName: .*/);
    expect(r.stderr).toMatch(/dataAccessRoleArn: .*/);
    expect(requests.length).toBe(before);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ status: 'error', error: { code: 'InvalidInputs' } });
  });

  it('bad usage exits 2: unknown option, missing inputs file, unknown profile', async () => {
    expect((await runCli(['run', '--inputs', inputsFile, '--poll-interval', 'x'], { env: env() })).code).toBe(2);
    expect((await runCli(['run', '--inputs', join(tmp, 'missing.json'), '--profile', 'sbx'], { env: env() })).stderr).toMatch(/Cannot read the inputs file/);
    const r = await runCli(['run', '--inputs', inputsFile, '--profile', 'nobody'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/profile "nobody" was not found/);
  });

  it('credentials AWS will not accept exit 3 before anything is created', async () => {
    const before = requests.filter((l) => l.includes('CreateDatastore')).length;
    const r = await runCli(['run', '--inputs', inputsFile, '--profile', 'badkey', '--runs-dir', join(tmp, 'runs')], { env: env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/did not accept the credentials from profile "badkey"/);
    expect(requests.filter((l) => l.includes('CreateDatastore')).length).toBe(before);
  });

  it.each(['CREATE_FAILED', 'DELETING'])('a data store that turns %s exits 1 (workflow failure state), with no import started', async (status) => {
    let forced = false;
    const r = await runCli(['run', '--inputs', inputsFile, '--profile', 'sbx', '--runs-dir', join(tmp, 'runs'), '--json', '--poll-interval', '0.2'], {
      env: env(),
      onStdout: (all) => {
        // Once the store exists and is being polled, the service says it failed (or is being deleted).
        if (forced || !/"operationId":"GetDatastore"/.test(all)) return;
        const id = /"datastoreId":"([0-9a-z]{32})"/.exec(all)?.[1];
        if (!id) return;
        forced = true;
        sandbox.faults.setDatastoreStatus(id, status);
      },
    });
    expect(r.code).toBe(1);
    const evs = events(r.stdout);
    expect(evs.find((e) => e.type === 'run-ended')).toMatchObject({ status: 'failed', error: { message: expect.stringContaining(status) } });
    expect(evs.some((e) => e.type === 'request-sent' && e.operationId === 'StartDICOMImportJob')).toBe(false);
  }, 60_000);

  it('expired credentials with no terminal to continue from: exit 3 with the resume command; resume goes on with the same store', async () => {
    sandbox.faults.failNext('GetDatastore', 1, 'ExpiredTokenException');
    const runsDir = join(tmp, 'runs');
    const r = await runCli(['run', '--inputs', inputsFile, '--profile', 'sbx', '--runs-dir', runsDir, '--json', '--poll-interval', '0.2'], { env: env() });
    expect(r.code).toBe(3);
    const evs = events(r.stdout);
    expect(evs.some((e) => e.type === 'run-paused')).toBe(true);
    expect(r.stderr).toMatch(/needs new credentials/);
    const runId = evs[0]!.runId;
    expect(r.stderr).toContain(`ahi-onboard resume ${runId} --runs-dir ${runsDir} --profile sbx`);
    const datastoreId = (evs.find((e) => e.type === 'response-received' && e.operationId === 'CreateDatastore') as Extract<RunEvent, { type: 'response-received' }>).outputs!.datastoreId as string;

    // The user signed in again; the store became ACTIVE meanwhile. Resume goes on with the same store
    // (no second create); stop it once the import has started (an import takes minutes at this pace).
    sandbox.faults.setDatastoreStatus(datastoreId, 'ACTIVE');
    let stopped = false;
    const again = await runCli(['resume', runId, '--runs-dir', runsDir, '--json', '--poll-interval', '0.2'], {
      env: env(),
      onStdout: (all, kill) => {
        if (!stopped && /"type":"response-received"[^\n]*"operationId":"StartDICOMImportJob"/.test(all)) {
          stopped = true;
          kill('SIGTERM');
        }
      },
    });
    expect(again.code).toBe(130);
    const evs2 = events(again.stdout);
    expect(evs2[0]).toMatchObject({ type: 'run-resumed', runId });
    expect(evs2.some((e) => e.type === 'request-sent' && e.operationId === 'CreateDatastore')).toBe(false);
    const start = evs2.find((e) => e.type === 'request-sent' && e.operationId === 'StartDICOMImportJob') as Extract<RunEvent, { type: 'request-sent' }>;
    expect(start.input).toMatchObject({ datastoreId });
    expect(start.clientToken).toBe((evs[0] as Extract<RunEvent, { type: 'run-started' }>).inputs.importClientToken);
  }, 60_000);

  it('--timeout that passes exits 4, and the run stays resumable', async () => {
    const r = await runCli(['run', '--inputs', inputsFile, '--profile', 'sbx', '--runs-dir', join(tmp, 'runs'), '--json', '--timeout', '1.5', '--poll-interval', '0.5'], { env: env() });
    expect(r.code).toBe(4);
    expect(events(r.stdout).find((e) => e.type === 'run-ended')).toMatchObject({ status: 'timed_out', resumable: true });
    expect(r.stderr).toMatch(/Resume with: ahi-onboard resume \S+ --runs-dir/);
  }, 60_000);

  it('profiles lists names, regions and kinds, never secrets', async () => {
    const r = await runCli(['profiles'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PROFILE\s+REGION\s+CREDENTIALS/);
    expect(r.stdout).toMatch(/sbx\s+us-east-1\s+access keys\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(r.stdout).not.toContain(sandbox.credentials.secretAccessKey);
    expect(r.stdout).not.toContain(sandbox.credentials.accessKeyId);
    expect(r.stdout).not.toContain('w'.repeat(40));
    const json = await runCli(['profiles', '--json'], { env: env() });
    expect(JSON.parse(json.stdout).map((p: { name: string }) => p.name).sort()).toEqual(['badkey', 'sbx']);
    expect(json.stdout).not.toContain(sandbox.credentials.secretAccessKey);
  });
});
