/**
 * The preflight and role helper handlers (handlers/preflight.ts) and the preflight in front of
 * run:start, wired through createHandlers against the REAL sandbox, SDK and run store; and their
 * request schemas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListDatastoresCommand, MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SANDBOX_PROFILE, type OnboardingInputs, type RunEvent } from '../../contract/ipc';
import { parseRequest } from '../../contract/schemas';
import { rolePoliciesFor } from '../../core/preflight/role-policy';
import type { Sandbox } from '../../sandbox/index';
import { createHandlers, type Handlers } from '../main/handlers';

const target = { profile: SANDBOX_PROFILE, region: 'us-east-1' };
const EC2_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

describe('preflight and role handlers against the real sandbox', () => {
  let dir: string;
  let handlers: Handlers;
  let sandbox: Sandbox | undefined;
  let demo: OnboardingInputs;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'preflight-handlers-'));
    handlers = createHandlers({
      runsDir: path.join(dir, 'runs'),
      userDataDir: dir,
      env: { AWS_CONFIG_FILE: path.join(dir, 'no-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials') },
      dialogs: { saveReport: async () => undefined },
      openExternal: vi.fn(async () => undefined),
      printToPdf: async () => Buffer.from(''),
      push: () => undefined,
      onSandboxStarted: (sb) => (sandbox = sb),
    });
    demo = await handlers['inputs:defaults'](target);
  });
  afterAll(async () => {
    await handlers.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const datastores = async () => {
    const client = new MedicalImagingClient({ endpoint: sandbox!.url, region: sandbox!.region, credentials: sandbox!.credentials });
    try {
      return (await client.send(new ListDatastoresCommand({}))).datastoreSummaries?.length ?? 0;
    } finally {
      client.destroy();
    }
  };

  /** A role with the right permissions but trusting ec2.amazonaws.com: role-trust is the one failing check. */
  const ec2Role = (name: string) => {
    const permissions = rolePoliciesFor({ account: sandbox!.accountId, region: sandbox!.region, inputS3Uri: demo.inputS3Uri, outputS3Uri: demo.outputS3Uri }).permissionsPolicy;
    return sandbox!.addRole(name, EC2_TRUST, { access: JSON.stringify(permissions) });
  };

  const runEvents = async (runId: string): Promise<RunEvent[]> => {
    let events: RunEvent[] = [];
    await vi.waitFor(
      async () => {
        events = await handlers['runs:events']({ runId });
        expect(events.some((e) => e.type === 'run-ended')).toBe(true);
      },
      { timeout: 60_000, interval: 200 },
    );
    return events;
  };

  it('preflight:run answers every check of the demo inputs: ready', async () => {
    const result = await handlers['preflight:run']({ ...target, inputs: demo, requestId: 'demo-1' });
    expect(result.ready).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.checks).toHaveLength(11);
    expect(result.checks.find((c) => c.id === 'role-trust')).toMatchObject({ status: 'pass', title: 'Role trusts HealthImaging' });
  });

  it('preflight:run refuses bad inputs naming the field; the schema refuses a bad request id', async () => {
    await expect(handlers['preflight:run']({ ...target, inputs: { ...demo, inputS3Uri: 'http://x' } })).rejects.toThrow(/inputS3Uri/);
    expect(() => parseRequest('preflight:run', { ...target, inputs: demo, requestId: 'no spaces' })).toThrow(/requestId/);
    expect(() => parseRequest('role:create', { ...target, roleName: 'R', scope: { inputS3Uri: 's3://a/b/', outputS3Uri: 's3://a/c/', extra: 1 } })).toThrow(/scope/);
    expect(parseRequest('run:start', { ...target, inputs: demo, skipPreflight: true })).toMatchObject({ skipPreflight: true });
  });

  it('a role trusting ec2: the preflight fails role-trust with its fix, run:start refuses before CreateDatastore', async () => {
    const arn = ec2Role('HandlersEc2Role');
    const bad = { ...demo, dataAccessRoleArn: arn };
    const result = await handlers['preflight:run']({ ...target, inputs: bad });
    expect(result.ready).toBe(false);
    expect(result.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['role-trust']);
    expect(result.checks.find((c) => c.id === 'role-trust')).toMatchObject({ status: 'fail', detail: expect.stringContaining('ec2.amazonaws.com'), fix: expect.stringContaining('medical-imaging.amazonaws.com') });

    const before = await datastores();
    await expect(handlers['run:start']({ ...target, inputs: bad })).rejects.toThrow(
      'The preflight found a blocking problem: role-trust (Role trusts HealthImaging). Nothing was created. Fix it, or choose “I understand, start anyway” on the Review step.',
    );
    expect(await datastores()).toBe(before);
    expect(await handlers['run:active']()).toBeNull();
  });

  it('skipPreflight starts anyway: the run log says the preflight was skipped, and the job FAILS naming the role', async () => {
    const arn = ec2Role('HandlersEc2Role2');
    // Fresh client tokens per run: a token re-sent with other inputs would be answered with the earlier resource.
    const { runId } = await handlers['run:start']({ ...target, inputs: { ...(await handlers['inputs:defaults'](target)), dataAccessRoleArn: arn }, skipPreflight: true });
    const events = await runEvents(runId);
    expect(events[0]).toMatchObject({ type: 'run-started', preflight: { ready: false, skipped: true, checks: [] } });
    expect(JSON.stringify(events)).toContain('HandlersEc2Role2');
    expect(events.find((e) => e.type === 'run-ended')).toMatchObject({ status: expect.not.stringMatching(/^succeeded$/) });
    expect(JSON.stringify(events)).toContain('FAILED');
  }, 90_000);

  it('role:policy gives both documents as text; role:create makes the role, after which the run starts with a ready preflight', async () => {
    const scope = { inputS3Uri: demo.inputS3Uri, outputS3Uri: demo.outputS3Uri };
    const text = await handlers['role:policy']({ ...target, scope });
    expect(text.account).toBe(sandbox!.accountId);
    expect(text.policyName).toBe('HealthImagingImportAccess');
    expect(JSON.parse(text.trustPolicy)).toMatchObject({ Statement: [{ Principal: { Service: 'medical-imaging.amazonaws.com' } }] });
    expect(text.permissionsPolicy).toContain('\n  "Statement"');

    await expect(handlers['role:create']({ ...target, roleName: 'bad name', scope })).rejects.toThrow(/roleName may contain only letters/);
    await expect(handlers['role:policy']({ ...target, scope: { ...scope, outputS3Uri: 'nope' } })).rejects.toThrow(/outputS3Uri must be an S3 URI/);

    const created = await handlers['role:create']({ ...target, roleName: 'WizardImportRole', scope });
    expect(created).toEqual({ roleArn: `arn:aws:iam::${sandbox!.accountId}:role/WizardImportRole`, roleName: 'WizardImportRole', policyName: 'HealthImagingImportAccess' });
    await expect(handlers['role:create']({ ...target, roleName: 'WizardImportRole', scope })).rejects.toThrow(/A role named WizardImportRole already exists in this account/);

    const inputs = { ...(await handlers['inputs:defaults'](target)), dataAccessRoleArn: created.roleArn };
    expect((await handlers['preflight:run']({ ...target, inputs })).ready).toBe(true);
    const { runId } = await handlers['run:start']({ ...target, inputs });
    const events = await runEvents(runId);
    expect(events[0]).toMatchObject({ type: 'run-started', preflight: { ready: true } });
    expect((events[0] as { preflight?: { checks: unknown[] } }).preflight?.checks).toHaveLength(11);
    expect(events.find((e) => e.type === 'run-ended')).toMatchObject({ status: 'succeeded', outputs: { jobStatus: 'COMPLETED' } });
  }, 90_000);

  it('preflight:cancel stops one under way', async () => {
    const pending = handlers['preflight:run']({ ...target, inputs: demo, requestId: 'to-cancel' });
    await handlers['preflight:cancel']({ requestId: 'to-cancel' });
    await expect(pending).rejects.toThrow('The preflight was cancelled.');
  });
});
