/**
 * `ahi-onboard datastores | jobs | results | watch` as a child process, against a sandbox reached
 * through an AWS profile, with the data store and jobs made directly through the SDK (not through
 * the product). Also `import --datastore-id` into that store, which the product did not create.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDatastoreCommand, GetDatastoreCommand, GetDICOMImportJobCommand, StartDICOMImportJobCommand } from '@aws-sdk/client-medical-imaging';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { clients } from '../sandbox/test-clients';
import { syntheticInstance } from '../sandbox/dicom-writer';
import { uidFor } from '../sandbox/demo-data';
import { writeTempAwsConfig, type TempAwsConfig } from '../core/aws/test-config';
import { EXIT } from './exit-codes';
import { cleanEnv, runCli } from './testing/spawn-cli';

const tmp = mkdtempSync(join(tmpdir(), 'ahi-lists-'));
let sandbox: Sandbox;
let cfg: TempAwsConfig;
let sdk: ReturnType<typeof clients>;
let datastoreId = '';
const cli = (args: string[], onStdout?: (all: string, kill: (s: NodeJS.Signals) => void) => void) =>
  runCli([...args, '--profile', 'sbx'], { env: cleanEnv(tmp, { AWS_CONFIG_FILE: cfg.env.AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE: cfg.env.AWS_SHARED_CREDENTIALS_FILE }), ...(onStdout ? { onStdout } : {}) });

async function startJob(inputS3Uri: string, jobName: string): Promise<string> {
  const out = await sdk.mi.send(new StartDICOMImportJobCommand({ datastoreId, jobName, dataAccessRoleArn: sandbox.demo.dataAccessRoleArn, inputS3Uri, outputS3Uri: sandbox.demo.outputS3Uri, clientToken: `${jobName}-t` }));
  return out.jobId!;
}
async function untilEnded(jobId: string) {
  for (;;) {
    const j = await sdk.mi.send(new GetDICOMImportJobCommand({ datastoreId, jobId }));
    if (j.jobProperties?.jobStatus === 'COMPLETED' || j.jobProperties?.jobStatus === 'FAILED') return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  // Slow enough that a job is still running when the CLI attaches, fast enough for a test.
  sandbox = await startSandbox({ timeScale: 30, demoData: true });
  sdk = clients(sandbox);
  cfg = writeTempAwsConfig(
    `[profile sbx]\nregion = ${sandbox.region}\nservices = sbx\n\n[services sbx]\nmedical_imaging =\n  endpoint_url = ${sandbox.url}\ns3 =\n  endpoint_url = ${sandbox.url}\nsts =\n  endpoint_url = ${sandbox.url}\niam =\n  endpoint_url = ${sandbox.url}\nkms =\n  endpoint_url = ${sandbox.url}\n`,
    `[sbx]\naws_access_key_id = ${sandbox.credentials.accessKeyId}\naws_secret_access_key = ${sandbox.credentials.secretAccessKey}\n`,
  );
  datastoreId = (await sdk.mi.send(new CreateDatastoreCommand({ datastoreName: 'made-in-the-console', clientToken: 'console-1' }))).datastoreId!;
  for (;;) {
    if ((await sdk.mi.send(new GetDatastoreCommand({ datastoreId }))).datastoreProperties?.datastoreStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 200));
  }
}, 60_000);
afterAll(async () => {
  await sandbox?.close();
  cfg?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe('ahi-onboard datastores, jobs, results, watch', () => {
  it('datastores lists a store made through the SDK, as a table and as a JSON array; a bad status exits 2', async () => {
    const human = await cli(['datastores']);
    expect(human.code, human.stderr).toBe(EXIT.completed);
    const [head, row] = human.stdout.split('\n');
    expect(head).toMatch(/^NAME\s+ID\s+STATUS\s+CREATED$/);
    expect(row).toMatch(new RegExp(`^made-in-the-console\\s+${datastoreId}\\s+ACTIVE\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC$`));
    // Columns line up: every column starts where its header does.
    expect(row!.indexOf(datastoreId)).toBe(head!.indexOf('ID'));

    const json = await cli(['datastores', '--status', 'active', '--json']);
    const stores = JSON.parse(json.stdout) as Array<{ datastoreId: string; datastoreStatus: string }>;
    expect(stores).toEqual([expect.objectContaining({ datastoreId, datastoreStatus: 'ACTIVE', datastoreName: 'made-in-the-console' })]);
    expect(JSON.parse((await cli(['datastores', '--status', 'DELETED', '--json'])).stdout)).toEqual([]);

    const bad = await cli(['datastores', '--status', 'GONE']);
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toMatch(/--status must be one of CREATING, CREATE_FAILED, ACTIVE, DELETING, DELETED \(got "GONE"\)/);
  }, 60_000);

  it('watch attaches to a job started through the SDK and follows it to COMPLETED (exit 0), then jobs and results describe it', async () => {
    const jobId = await startJob(sandbox.demo.inputS3Uri, 'started-by-a-script');
    const w = await cli(['watch', '--datastore-id', datastoreId, '--job-id', jobId, '--poll-interval', '0.3']);
    expect(w.code, w.stderr).toBe(EXIT.completed);
    const statuses = [...w.stdout.matchAll(/UTC {2}(\w+)/g)].map((m) => m[1]);
    expect(statuses.at(-1)).toBe('COMPLETED');
    expect(statuses.length).toBeGreaterThan(1);
    expect(w.stdout).toMatch(/Files imported\s+30/);

    const jobs = await cli(['jobs', '--datastore-id', datastoreId]);
    expect(jobs.stdout).toMatch(new RegExp(`started-by-a-script\\s+${jobId}\\s+COMPLETED`));
    const listed = JSON.parse((await cli(['jobs', '--datastore-id', datastoreId, '--status', 'COMPLETED', '--json'])).stdout) as Array<{ jobId: string }>;
    expect(listed.map((j) => j.jobId)).toContain(jobId);

    const r = await cli(['results', '--datastore-id', datastoreId, '--job-id', jobId, '--json']);
    expect(r.code, r.stderr).toBe(EXIT.completed);
    expect(JSON.parse(r.stdout)).toMatchObject({ jobStatus: 'COMPLETED', scanned: 30, imported: 30, failed: 0, imageSets: 5, failuresByType: [], warnings: [], nonPrimaryImageSets: [] });
  }, 90_000);

  it('watch of a job with failed files exits 5; results groups the failures with cause and fix', async () => {
    const jobId = await startJob(sandbox.demo.withErrorsInputS3Uri, 'with-errors');
    const w = await cli(['watch', '--datastore-id', datastoreId, '--job-id', jobId, '--poll-interval', '0.3']);
    expect(w.code, w.stdout + w.stderr).toBe(EXIT.completedWithErrors);
    expect(w.stdout).toMatch(/Failures by type/);

    const r = JSON.parse((await cli(['results', '--datastore-id', datastoreId, '--job-id', jobId, '--json'])).stdout) as {
      failed: number;
      failuresByType: Array<{ type: string; count: number; examples: string[]; fix?: string }>;
    };
    expect(r.failed).toBe(3);
    expect(r.failuresByType.reduce((n, g) => n + g.count, 0)).toBe(3);
    const readme = r.failuresByType.find((g) => g.examples.some((e) => e.endsWith('README.txt')))!;
    expect(readme).toMatchObject({ type: 'InvalidInputException', fix: expect.stringMatching(/DICOM P10/) });
    const human = await cli(['results', '--datastore-id', datastoreId, '--job-id', jobId]);
    expect(human.stdout).toMatch(/Fix: /);
    expect(human.stdout).toMatch(/README\.txt/);
  }, 90_000);

  it('a conflicting re-import shows its non-primary image sets in results --json and in words', async () => {
    const put = (prefix: string, patientId: string) =>
      Promise.all(
        [0, 1, 2].map((n) =>
          sdk.s3.send(
            new PutObjectCommand({
              Bucket: sandbox.demo.bucket,
              Key: `${prefix}${n}.dcm`,
              Body: syntheticInstance({ patientName: 'SAME^UIDS', patientId, studyUid: uidFor('cli-conflict:study'), seriesUid: uidFor('cli-conflict:series'), sopInstanceUid: uidFor(`cli-conflict:${n}`), modality: 'MR', studyDate: '20240202', studyDescription: 'x', seriesDescription: 'y', seriesNumber: 1, instanceNumber: n + 1 }),
            }),
          ),
        ),
      );
    await put('again-a/', 'PID-A');
    await put('again-b/', 'PID-B');
    const first = await startJob(`s3://${sandbox.demo.bucket}/again-a/`, 'again-a');
    await untilEnded(first);
    const second = await startJob(`s3://${sandbox.demo.bucket}/again-b/`, 'again-b');
    await untilEnded(second);
    const r = JSON.parse((await cli(['results', '--datastore-id', datastoreId, '--job-id', second, '--json'])).stdout) as { imported: number; nonPrimaryImageSets: Array<{ imageSetId: string; count: number; instances: string[] }> };
    expect(r.imported).toBe(3);
    expect(r.nonPrimaryImageSets).toHaveLength(1);
    expect(r.nonPrimaryImageSets[0]!.count).toBe(3);
    expect(r.nonPrimaryImageSets[0]!.instances).toContain(`s3://${sandbox.demo.bucket}/again-b/0.dcm`);
    const human = await cli(['results', '--datastore-id', datastoreId, '--job-id', second]);
    expect(human.stdout).toMatch(/Non-primary image sets \(1\)/);
    expect(human.stdout).toMatch(/HealthImaging kept both/);
  }, 90_000);

  it('a conflicting import through the product shows its non-primary image set in the run report, JSON and HTML', async () => {
    const put = (prefix: string, patientId: string) =>
      Promise.all(
        [0, 1, 2].map((n) =>
          sdk.s3.send(
            new PutObjectCommand({
              Bucket: sandbox.demo.bucket,
              Key: `${prefix}${n}.dcm`,
              Body: syntheticInstance({ patientName: 'SAME^UIDS', patientId, studyUid: uidFor('cli-report:study'), seriesUid: uidFor('cli-report:series'), sopInstanceUid: uidFor(`cli-report:${n}`), modality: 'MR', studyDate: '20240202', studyDescription: 'x', seriesDescription: 'y', seriesNumber: 1, instanceNumber: n + 1 }),
            }),
          ),
        ),
      );
    // The first copy arrives through a script; the second, with another PatientID, through the product.
    await put('again-c0/', 'PID-C0');
    await put('again-c/', 'PID-C');
    await untilEnded(await startJob(`s3://${sandbox.demo.bucket}/again-c0/`, 'again-c0'));
    const inputs = join(tmp, 'again-c.json');
    writeFileSync(inputs, JSON.stringify({ dataAccessRoleArn: sandbox.demo.dataAccessRoleArn, inputS3Uri: `s3://${sandbox.demo.bucket}/again-c/`, outputS3Uri: sandbox.demo.outputS3Uri }));
    const reportFile = join(tmp, 'again-c-report.json');
    const runsDir = join(tmp, 'runs');
    const r = await cli(['import', '--datastore-id', datastoreId, '--inputs', inputs, '--poll-interval', '0.3', '--runs-dir', runsDir, '--report', reportFile]);
    expect(r.code, r.stderr).toBe(EXIT.completed);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { runId: string; importResults: { nonPrimaryImageSets: Array<{ count: number }> } };
    expect(report.importResults.nonPrimaryImageSets).toEqual([expect.objectContaining({ count: 3 })]);
    const html = join(tmp, 'again-c.html');
    const exported = await runCli(['report', report.runId, '--format', 'html', '-o', html, '--runs-dir', runsDir], { env: cleanEnv(tmp) });
    expect(exported.code, exported.stderr).toBe(EXIT.completed);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('Non-primary image sets');
    expect(page).toContain('HealthImaging kept both');
  }, 90_000);

  it('watch stops on Ctrl-C with exit 130 and leaves the job running', async () => {
    const jobId = await startJob(sandbox.demo.inputS3Uri, 'interrupted-watch');
    let sent = false;
    const w = await cli(['watch', '--datastore-id', datastoreId, '--job-id', jobId, '--poll-interval', '0.3'], (all, kill) => {
      if (!sent && / UTC {2}(SUBMITTED|IN_PROGRESS)/.test(all)) {
        sent = true;
        kill('SIGINT');
      }
    });
    expect(w.code, w.stdout + w.stderr).toBe(EXIT.interrupted);
    expect(w.stderr).toMatch(/Stopped watching \(the job goes on\)/);
    const j = await sdk.mi.send(new GetDICOMImportJobCommand({ datastoreId, jobId }));
    expect(['SUBMITTED', 'IN_PROGRESS', 'COMPLETED']).toContain(j.jobProperties?.jobStatus);
    await untilEnded(jobId);
  }, 90_000);

  it('import --datastore-id works into the store the product did not create', async () => {
    const inputs = join(tmp, 'import.json');
    writeFileSync(inputs, JSON.stringify({ dataAccessRoleArn: sandbox.demo.dataAccessRoleArn, inputS3Uri: sandbox.demo.inputS3Uri, outputS3Uri: sandbox.demo.outputS3Uri }));
    const r = await cli(['import', '--datastore-id', datastoreId, '--inputs', inputs, '--poll-interval', '0.3', '--runs-dir', join(tmp, 'runs')]);
    expect(r.code, r.stderr).toBe(EXIT.completed);
    expect(r.stdout).toMatch(/30 of 30 files imported/);
  }, 90_000);

  it('errors say what to do next: an unknown job exits 3, a malformed id exits 2 before anything is sent', async () => {
    const unknown = await cli(['results', '--datastore-id', datastoreId, '--job-id', 'doesnotexist']);
    expect(unknown.code).toBe(EXIT.awsError);
    expect(unknown.stderr).toMatch(/GetDICOMImportJob/);
    const malformed = await cli(['jobs', '--datastore-id', 'NOT-AN-ID']);
    expect(malformed.code).toBe(EXIT.usage);
    expect(malformed.stderr).toMatch(/--datastore-id "NOT-AN-ID" is not valid: 32 lowercase letters or digits/);
    const missing = await cli(['watch', '--datastore-id', datastoreId]);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toMatch(/--job-id is required/);
  }, 60_000);
});
