/**
 * Issue 14's staging acceptance: a flat folder of 5,500 DICOM files (over the 5,000-file job limit,
 * and no prefix can take it apart) is refused by `batch run` without --stage-to, and with it is
 * copied server side (CopyObject) into two parts and imported: every file exactly once.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDatastoreCommand, GetDatastoreCommand, MedicalImagingClient, paginateListDICOMImportJobs } from '@aws-sdk/client-medical-imaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { syntheticInstance } from '../sandbox/dicom-writer';
import { uidFor } from '../sandbox/demo-data';
import { writeTempAwsConfig, type TempAwsConfig } from '../core/aws/test-config';
import { cleanEnv, runCli } from './testing/spawn-cli';

const tmp = mkdtempSync(join(tmpdir(), 'ahi-batch-stage-'));
const dataDir = join(tmp, 'sandbox');
const runsDir = join(tmp, 'runs');
const BUCKET = 'healthimaging-sandbox-demo';
const FILES = 5_500;
let sandbox: Sandbox;
let cfg: TempAwsConfig;
let datastoreId: string;
const log: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ dataDir, log: (l) => log.push(l), timings: { datastoreCreateMs: 200, importSubmittedMs: 300, importBaseMs: 1_000, importPerFileMs: 0.5 } });
  // One flat folder: a single series of 5,500 instances, laid straight into the sandbox's S3 folder.
  const dir = join(dataDir, 's3', BUCKET, 'flat-archive', 'series');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < FILES; i++)
    writeFileSync(
      join(dir, `${String(i).padStart(5, '0')}.dcm`),
      syntheticInstance({
        patientName: 'Flat^Patient',
        patientId: 'FLAT1',
        studyUid: uidFor('flat:study'),
        seriesUid: uidFor('flat:series'),
        sopInstanceUid: uidFor(`flat:${i}`),
        modality: 'OT',
        studyDate: '20240101',
        studyDescription: 'Flat study',
        seriesDescription: 'Flat series',
        seriesNumber: 1,
        instanceNumber: i + 1,
      }),
    );
  const mi = new MedicalImagingClient({ endpoint: sandbox.url, region: sandbox.region, credentials: sandbox.credentials });
  datastoreId = (await mi.send(new CreateDatastoreCommand({ datastoreName: 'batch-staging', clientToken: 'batch-staging' }))).datastoreId!;
  for (let i = 0; i < 100; i++) {
    if ((await mi.send(new GetDatastoreCommand({ datastoreId }))).datastoreProperties?.datastoreStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  mi.destroy();
  cfg = writeTempAwsConfig(
    `[profile sbx]\nregion = ${sandbox.region}\nendpoint_url = ${sandbox.url}\n`,
    `[sbx]\naws_access_key_id = ${sandbox.credentials.accessKeyId}\naws_secret_access_key = ${sandbox.credentials.secretAccessKey}\n`,
  );
}, 180_000);

afterAll(async () => {
  await sandbox?.close();
  cfg?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

const env = () => cleanEnv(tmp, cfg.env);
const runArgs = () => [
  'batch', 'run', '--profile', 'sbx', '--datastore-id', datastoreId,
  '--input', `s3://${BUCKET}/flat-archive/`, '--output', `s3://${BUCKET}/output/staged/`, '--role', sandbox.demo.dataAccessRoleArn,
  '--runs-dir', runsDir, '--poll-interval', '0.25',
];

describe('ahi-onboard batch run: the preflight', () => {
  it('a role that cannot write the output stops the batch before anything is started (exit 1, the check and the action named)', async () => {
    const before = log.length;
    const args = runArgs().map((a) => (a === `s3://${BUCKET}/output/staged/` ? `s3://${BUCKET}/elsewhere/` : a));
    const r = await runCli([...args, '--stage-to', `s3://${BUCKET}/staged/`], { env: env() });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/role-permissions/);
    expect(r.stderr).toMatch(/s3:PutObject/);
    expect(r.stderr).toMatch(/Nothing was started[\s\S]*--skip-preflight/);
    // Stopped in seconds: no import, no copy, not even the archive's listing.
    expect(log.slice(before).filter((l) => /StartDICOMImportJob|CopyObject|ListObjectsV2/.test(l))).toEqual([]);
  }, 120_000);
});

describe('ahi-onboard batch run --stage-to: a flat 5,500-file folder', () => {
  it('is refused without --stage-to (exit 1, the folder and the fix named, nothing started or copied)', async () => {
    const before = log.length;
    const r = await runCli(runArgs(), { env: env() });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/nothing was started[\s\S]*flat-archive\/series\/ \(5,500 files[\s\S]*--stage-to/);
    expect(log.slice(before).filter((l) => /StartDICOMImportJob|CopyObject/.test(l))).toEqual([]);
  }, 120_000);

  it('is staged into two parts with CopyObject and imported, every file once', async () => {
    const r = await runCli([...runArgs(), '--stage-to', `s3://${BUCKET}/staged/`], { env: env() });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stderr).toMatch(/Staging 5,500 files of 1 unsplittable folder into 2 parts/);
    expect(r.stderr).toMatch(/Staged: 5,500 copied, 0 already in place; 2 staged jobs added/);
    expect(r.stdout).toMatch(/files 5,500\/5,500 imported, 0 failed/);
    expect(log.filter((l) => /s3:CopyObject/.test(l)).length).toBeGreaterThanOrEqual(FILES);

    const mi = new MedicalImagingClient({ endpoint: sandbox.url, region: sandbox.region, credentials: sandbox.credentials });
    const jobs = [];
    for await (const page of paginateListDICOMImportJobs({ client: mi, pageSize: 50 }, { datastoreId })) jobs.push(...(page.jobSummaries ?? []));
    mi.destroy();
    expect(jobs).toHaveLength(2);
    expect(jobs.every((j) => j.jobStatus === 'COMPLETED')).toBe(true);
  }, 400_000);
});
