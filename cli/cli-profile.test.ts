/**
 * `ahi-onboard` against a sandbox reached through an AWS profile (endpoints in the config file, as a
 * user's own would be): bad inputs and usage exit 2, refused credentials exit 3 before anything is
 * created, expired credentials stop resumably, a passed --timeout exits 4, profiles list no secrets.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index';
import type { RunEvent } from '../core/engine/events';
import { writeTempAwsConfig, type TempAwsConfig } from '../core/aws/test-config';
import { cleanEnv, ndjsonEvents, runCli as runCliIn } from './testing/spawn-cli';

const tmp = mkdtempSync(join(tmpdir(), 'ahi-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const baseEnv = (extra: NodeJS.ProcessEnv = {}) => cleanEnv(tmp, extra);
const runCli = (args: string[], opts: { env?: NodeJS.ProcessEnv; onStdout?: (all: string, kill: (s: NodeJS.Signals) => void) => void } = {}) =>
  runCliIn(args, { env: opts.env ?? baseEnv(), ...(opts.onStdout ? { onStdout: opts.onStdout } : {}) });
const events = ndjsonEvents;

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
