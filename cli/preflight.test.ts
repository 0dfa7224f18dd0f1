/**
 * `ahi-onboard preflight`, `role` and the preflight in front of `run`, in process through main()
 * against the embedded sandbox (--sandbox keeps its state in the data dir between commands).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListDatastoresCommand } from '@aws-sdk/client-medical-imaging';
import Ajv from 'ajv';
import schema from '../core/report/report.schema.json';
import { afterAll, describe, expect, it } from 'vitest';
import { sandboxDataDir } from './data-dir';
import { main } from './main';
import type { CliIO } from './run/io';
import { startDemoSandbox } from './sandbox';
import { clients } from '../sandbox/test-clients';

const tmp = mkdtempSync(join(tmpdir(), 'ahi-preflight-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const env: NodeJS.ProcessEnv = { HOME: tmp, XDG_DATA_HOME: join(tmp, 'data'), NO_COLOR: '1', PATH: process.env.PATH };
const ACCOUNT = '123456789012';
const DEMO = { inputS3Uri: 's3://healthimaging-sandbox-demo/dicom/', outputS3Uri: 's3://healthimaging-sandbox-demo/output/' };

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    out: (s) => void (stdout += s),
    err: (s) => void (stderr += s),
    stdoutIsTTY: false,
    stdinIsTTY: false,
    env,
    exit: (code) => {
      throw new Error(`exit ${code}`);
    },
    onSignal: () => () => undefined,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

function inputsFile(name: string, inputs: Record<string, unknown>): string {
  const file = join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify(inputs));
  return file;
}

/** Data stores in the CLI's sandbox state, counted by starting that sandbox again. */
async function datastoreCount(): Promise<number> {
  const s = await startDemoSandbox({ dataDir: sandboxDataDir(env) });
  try {
    const out = await clients(s.sandbox).mi.send(new ListDatastoresCommand({}));
    return out.datastoreSummaries?.length ?? 0;
  } finally {
    await s.sandbox.close();
  }
}

describe('ahi-onboard preflight', () => {
  it('--json: ready with the demo inputs, exit 0, every stable id', async () => {
    const r = await cli('preflight', '--sandbox', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { ready: boolean; checks: Array<{ id: string; status: string; title: string; detail: string; fix?: string }> };
    expect(out.ready).toBe(true);
    expect(out.checks.map((c) => c.id)).toEqual(['identity', 'region', 'datastore-quota', 'role-exists', 'role-trust', 'role-permissions', 'input-bucket', 'output-bucket', 'input-objects', 'input-dicom', 'kms-key']);
    expect(Object.keys(out).sort()).toEqual(['checks', 'ready']);
  });

  it('a blocking problem exits 1; the human list names the check and its fix', async () => {
    const bad = inputsFile('no-role', { dataAccessRoleArn: `arn:aws:iam::${ACCOUNT}:role/MissingRole`, ...DEMO });
    const j = await cli('preflight', '--sandbox', '--json', '--inputs', bad);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ ready: false, checks: expect.arrayContaining([expect.objectContaining({ id: 'role-exists', status: 'fail' })]) });
    const h = await cli('preflight', '--sandbox', '--inputs', bad);
    expect(h.code).toBe(1);
    expect(h.stdout).toMatch(/^FAIL {4}Data access role exists \[role-exists\]$/m);
    expect(h.stdout).toContain('Fix: Create it with: ahi-onboard role create --name MissingRole');
    expect(h.stdout).toContain('Not ready: 1 check failed (role-exists).');
  });

  it('bad inputs exit 2 naming the field and the rule; no inputs at all is a usage error', async () => {
    const bad = inputsFile('bad-uri', { dataAccessRoleArn: `arn:aws:iam::${ACCOUNT}:role/R`, inputS3Uri: 'http://not-s3', outputS3Uri: DEMO.outputS3Uri });
    const r = await cli('preflight', '--sandbox', '--inputs', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('inputS3Uri: inputS3Uri must be an S3 URI');
    expect((await cli('preflight')).code).toBe(2);
  });
});

describe('run with the preflight first', () => {
  it('a bad role exits 1 naming the failing check, and no data store is created', async () => {
    const before = await datastoreCount();
    const bad = inputsFile('run-no-role', { dataAccessRoleArn: `arn:aws:iam::${ACCOUNT}:role/MissingRole` });
    const r = await cli('run', '--sandbox', '--inputs', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The preflight found a blocking problem: role-exists (Data access role exists). Nothing was created.');
    expect(r.stdout).not.toContain('CreateDatastore');
    expect(await datastoreCount()).toBe(before);
  }, 60_000);

  it('--skip-preflight starts anyway: the job FAILS naming the role', async () => {
    const bad = inputsFile('run-no-role-skip', { dataAccessRoleArn: `arn:aws:iam::${ACCOUNT}:role/MissingRole` });
    const r = await cli('run', '--sandbox', '--skip-preflight', '--inputs', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Preflight skipped');
    expect(r.stdout).toContain('FAILED');
    expect(r.stdout).toContain('MissingRole');
  }, 90_000);

  it('role create, then preflight is ready and the run completes with the preflight in its log', async () => {
    const scope = inputsFile('scope', DEMO);
    const noYes = await cli('role', 'create', '--sandbox', '--name', 'OnboardingImportRole', '--inputs', scope);
    expect(noYes.code).toBe(2);
    expect(noYes.stderr).toContain('--yes');

    const created = await cli('role', 'create', '--sandbox', '--name', 'OnboardingImportRole', '--inputs', scope, '--yes');
    expect(created.code).toBe(0);
    const arn = created.stdout.trim();
    expect(arn).toBe(`arn:aws:iam::${ACCOUNT}:role/OnboardingImportRole`);

    const withRole = inputsFile('with-role', { ...DEMO, dataAccessRoleArn: arn });
    const pf = await cli('preflight', '--sandbox', '--json', '--inputs', withRole);
    expect(JSON.parse(pf.stdout)).toMatchObject({ ready: true });
    expect(pf.code).toBe(0);

    const run = await cli('run', '--sandbox', '--json', '--inputs', withRole);
    expect(run.code).toBe(0);
    const started = JSON.parse(run.stdout.split('\n')[0]!) as { type: string; preflight?: { ready: boolean; checks: unknown[] } };
    expect(started.type).toBe('run-started');
    expect(started.preflight).toMatchObject({ ready: true });
    expect(started.preflight?.checks).toHaveLength(11);

    // The report shows it, and its JSON still matches report.schema.json.
    const runId = (started as unknown as { runId: string }).runId;
    const md = await cli('report', runId, '--sandbox', '--format', 'md');
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('## Preflight');
    expect(md.stdout).toContain('Ready: nothing blocked the run.');
    const json = JSON.parse((await cli('report', runId, '--sandbox', '--format', 'json')).stdout) as { preflight?: { ready: boolean } };
    expect(json.preflight?.ready).toBe(true);
    const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
    validate(json);
    expect(validate.errors ?? []).toEqual([]);
  }, 120_000);

  it('role policy prints both documents; --cloudformation a template with the same role', async () => {
    const scope = inputsFile('scope2', DEMO);
    const p = await cli('role', 'policy', '--sandbox', '--inputs', scope);
    expect(p.code).toBe(0);
    const docs = JSON.parse(p.stdout) as { trustPolicy: { Statement: Array<{ Condition: unknown }> }; permissionsPolicy: unknown };
    expect(docs.trustPolicy.Statement[0]!.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:medical-imaging:us-east-1:${ACCOUNT}:datastore/*` } });
    const cf = await cli('role', 'policy', '--sandbox', '--inputs', scope, '--cloudformation', '--name', 'CfRole');
    const t = JSON.parse(cf.stdout) as { Resources: { DataAccessRole: { Properties: { AssumeRolePolicyDocument: unknown; Policies: Array<{ PolicyDocument: unknown }> } } } };
    expect(t.Resources.DataAccessRole.Properties.AssumeRolePolicyDocument).toEqual(docs.trustPolicy);
    expect(t.Resources.DataAccessRole.Properties.Policies[0]!.PolicyDocument).toEqual(docs.permissionsPolicy);
  }, 60_000);
});
