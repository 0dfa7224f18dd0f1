/**
 * Issue 14's acceptance test, as users run it: `ahi-onboard batch run` in a child process against a
 * sandbox that allows 3 concurrent imports, over a 12,000-file archive of nested folders (valid
 * DICOM, as the demo data writer makes it). The run is SIGKILLed right after its first job ends and
 * resumed: every file is imported exactly once (ListDICOMImportJobs shows exactly the planned jobs,
 * one each), no StartDICOMImportJob ever met the 402 quota, and the report's totals are right.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDatastoreCommand, GetDatastoreCommand, MedicalImagingClient, paginateListDICOMImportJobs } from '@aws-sdk/client-medical-imaging';
import { GetObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { syntheticInstance } from '../sandbox/dicom-writer';
import { uidFor } from '../sandbox/demo-data';
import { writeTempAwsConfig, type TempAwsConfig } from '../core/aws/test-config';
import { cleanEnv, runCli } from './testing/spawn-cli';

const tmp = mkdtempSync(join(tmpdir(), 'ahi-batch-run-'));
const dataDir = join(tmp, 'sandbox');
const runsDir = join(tmp, 'runs');
const BUCKET = 'healthimaging-sandbox-demo';
const PATIENTS = 6;
const STUDIES = 2;
const SERIES = 4;
const INSTANCES = 250; // 6 x 2 x 4 x 250 = 12,000 files; a patient (2,000 files) is one job at --max-files 2000
let sandbox: Sandbox;
let cfg: TempAwsConfig;
let datastoreId: string;
const log: string[] = [];

beforeAll(async () => {
  // Real clock at scale 1, short service timings: a 2,000-file job takes about 2.5 s.
  sandbox = await startSandbox({
    dataDir,
    maxConcurrentImports: 3,
    log: (l) => log.push(l),
    timings: { datastoreCreateMs: 200, importSubmittedMs: 300, importBaseMs: 1_200, importPerFileMs: 0.5 },
  });
  // The archive is laid straight into the sandbox's S3 folders (DATA/s3/BUCKET/KEY): 12,000
  // PutObjects would test nothing here and take long on a shared machine.
  for (let p = 0; p < PATIENTS; p++)
    for (let st = 0; st < STUDIES; st++)
      for (let se = 0; se < SERIES; se++) {
        const dir = join(dataDir, 's3', BUCKET, 'archive', `P${p}`, `ST${st}`, `SE${se}`);
        mkdirSync(dir, { recursive: true });
        const studyUid = uidFor(`batch:${p}:${st}`);
        const seriesUid = uidFor(`batch:${p}:${st}:${se}`);
        for (let i = 0; i < INSTANCES; i++)
          writeFileSync(
            join(dir, `${String(i).padStart(4, '0')}.dcm`),
            syntheticInstance({
              patientName: `Batch^Patient${p}`,
              patientId: `BATCH${p}`,
              studyUid,
              seriesUid,
              sopInstanceUid: uidFor(`batch:${p}:${st}:${se}:${i}`),
              modality: 'OT',
              studyDate: '20240101',
              studyDescription: `Study ${st}`,
              seriesDescription: `Series ${se}`,
              seriesNumber: se + 1,
              instanceNumber: i + 1,
            }),
          );
      }
  const mi = new MedicalImagingClient({ endpoint: sandbox.url, region: sandbox.region, credentials: sandbox.credentials });
  datastoreId = (await mi.send(new CreateDatastoreCommand({ datastoreName: 'batch-acceptance', clientToken: 'batch-acceptance' }))).datastoreId!;
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
  '--input', `s3://${BUCKET}/archive/`, '--output', `s3://${BUCKET}/output/batch/`, '--role', sandbox.demo.dataAccessRoleArn,
  '--max-files', '2000', '--concurrency', '3', '--runs-dir', runsDir, '--poll-interval', '0.25',
];

describe('ahi-onboard batch run: 12,000 files, killed after the first job ends, resumed', () => {
  it('imports every file exactly once within the quota, and reports the right totals', async () => {
    let killedAfter = '';
    const first = await runCli(runArgs(), {
      env: env(),
      onStdout: (all, kill) => {
        // SIGKILL: no handler runs, no ledger record is written on the way out.
        if (!killedAfter && /^COMPLETED s3:\/\//m.test(all)) {
          killedAfter = all;
          kill('SIGKILL');
        }
      },
    });
    expect(first.signal, first.stderr + first.stdout).toBe('SIGKILL');
    const batchId = /^batch id: (batch-\S+)$/m.exec(first.stdout)?.[1];
    expect(batchId, first.stdout).toBeDefined();
    expect(first.stdout).toMatch(/^6 import jobs for 12,000 files/m);

    const resumed = await runCli(['batch', 'resume', batchId!, '--runs-dir', runsDir, '--poll-interval', '0.25', '--report', join(tmp, 'report.json')], { env: env() });
    expect(resumed.stderr).not.toMatch(/402|quota/i);
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);
    expect(resumed.stdout).toMatch(/^jobs 6\/6 done \(0 running, 0 queued\), files 12,000\/12,000 imported, 0 failed/m);
    // The kill left jobs running in HealthImaging: the resume recorded their ends, not new jobs.
    const startedFirst = [...first.stdout.matchAll(/^started \S+ as job (\w+)$/gm)].map((m) => m[1]!);
    const endedFirst = [...first.stdout.matchAll(/^COMPLETED \S+ \(job (\w+)\)/gm)].map((m) => m[1]!);
    const leftRunning = startedFirst.filter((id) => !endedFirst.includes(id));
    expect(leftRunning.length).toBeGreaterThan(0);
    for (const id of leftRunning) expect(resumed.stdout).toMatch(new RegExp(`^COMPLETED \\S+ \\(job ${id}\\)`, 'm'));

    // HealthImaging's own view: exactly the planned prefixes, each started once.
    const mi = new MedicalImagingClient({ endpoint: sandbox.url, region: sandbox.region, credentials: sandbox.credentials });
    const jobs = [];
    for await (const page of paginateListDICOMImportJobs({ client: mi, pageSize: 50 }, { datastoreId })) jobs.push(...(page.jobSummaries ?? []));
    mi.destroy();
    expect(jobs).toHaveLength(PATIENTS);
    expect(jobs.every((j) => j.jobStatus === 'COMPLETED')).toBe(true);
    const names = jobs.map((j) => j.jobName).sort();
    expect(new Set(names).size).toBe(PATIENTS);
    expect(names).toEqual(Array.from({ length: PATIENTS }, (_, p) => `batch-archive/P${p}`));

    // The quota was never hit: no StartDICOMImportJob answered 402, before or after the kill.
    expect(log.filter((l) => / medical-imaging:StartDICOMImportJob 402 /.test(l))).toEqual([]);
    const starts = log.filter((l) => / medical-imaging:StartDICOMImportJob 200 /.test(l)).length;
    expect(starts).toBeGreaterThanOrEqual(PATIENTS);

    // Every file imported exactly once: the jobs' success.ndjson name each input file once.
    const s3 = new S3Client({ endpoint: sandbox.url, region: sandbox.region, credentials: sandbox.credentials, forcePathStyle: true });
    const imported: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: BUCKET, Prefix: 'output/batch/' }))
      for (const o of page.Contents ?? [])
        if (o.Key?.endsWith('SUCCESS/success.ndjson')) {
          const text = await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: o.Key }))).Body!.transformToString();
          for (const line of text.split('\n').filter(Boolean)) imported.push((JSON.parse(line) as { inputFile: string }).inputFile);
        }
    s3.destroy();
    expect(imported).toHaveLength(12_000);
    expect(new Set(imported).size).toBe(12_000);

    // The report, from the ledger alone.
    const report = await runCli(['batch', 'report', batchId!, '--format', 'json', '--runs-dir', runsDir], { env: env() });
    expect(report.code, report.stderr).toBe(0);
    const r = JSON.parse(report.stdout) as {
      batchId: string;
      state: string;
      jobs: Array<{ inputS3Uri: string; jobId: string; status: string; scanned: number; imported: number; failed: number }>;
      totals: { scanned: number; imported: number; failed: number; imageSets: number };
      apiCalls: Record<string, number>;
    };
    expect(r.batchId).toBe(batchId);
    expect(r.state).toBe('completed');
    expect(r.totals).toEqual({ scanned: 12_000, imported: 12_000, failed: 0, imageSets: PATIENTS * STUDIES * SERIES });
    expect(r.jobs.map((j) => [j.inputS3Uri, j.status, j.imported])).toEqual(Array.from({ length: PATIENTS }, (_, p) => [`s3://${BUCKET}/archive/P${p}/`, 'COMPLETED', 2_000]));
    expect(new Set(r.jobs.map((j) => j.jobId))).toEqual(new Set(jobs.map((j) => j.jobId)));
    // Watched with the list, not one GetDICOMImportJob per job per poll: Gets only for ended jobs.
    expect(r.apiCalls['GetDICOMImportJob'] ?? 0).toBeLessThanOrEqual(PATIENTS + 3);
    expect(r.apiCalls['ListDICOMImportJobs']).toBeGreaterThan(0);
    // --report wrote the same report.
    const fromFile = JSON.parse(readFileSync(join(tmp, 'report.json'), 'utf8')) as typeof r;
    expect(fromFile.totals).toEqual(r.totals);

    // A second resume of an ended batch sends nothing and exits 0.
    const before = log.length;
    const again = await runCli(['batch', 'resume', batchId!, '--runs-dir', runsDir], { env: env() });
    expect(again.code, again.stderr).toBe(0);
    expect(log.slice(before).filter((l) => /medical-imaging:/.test(l))).toEqual([]);
  }, 240_000);

  it('a plan with a flat folder over the limit starts nothing without --stage-to: exit 1 naming the prefix and the fix', async () => {
    const dir = join(dataDir, 's3', BUCKET, 'flat-archive', 'flat');
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 30; i++) writeFileSync(join(dir, `${i}.dcm`), 'x');
    const before = log.length;
    const r = await runCli(
      ['batch', 'run', '--profile', 'sbx', '--datastore-id', datastoreId, '--input', `s3://${BUCKET}/flat-archive/`, '--output', `s3://${BUCKET}/output/batch/`, '--role', sandbox.demo.dataAccessRoleArn, '--max-files', '20', '--runs-dir', runsDir],
      { env: env() },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/nothing was started[\s\S]*s3:\/\/healthimaging-sandbox-demo\/flat-archive\/flat\/ \(30 files[\s\S]*--stage-to s3:\/\/BUCKET\/PREFIX\//);
    expect(log.slice(before).filter((l) => /medical-imaging:StartDICOMImportJob/.test(l))).toEqual([]);
  });

  it('bad usage exits 2 naming the flag, nothing sent', async () => {
    const before = log.length;
    for (const [args, message] of [
      [[...runArgs(), '--concurrency', '0'], /--concurrency must be a positive number/],
      [[...runArgs().filter((a, i, all) => a !== '--concurrency' && all[i - 1] !== '--concurrency'), '--concurrency', '2.5'], /--concurrency must be a whole number/],
      [['batch', 'resume'], /give exactly one batch id/],
      [['batch', 'report', 'batch-nope', '--format', 'docx', '--runs-dir', runsDir], /--format must be one of json, html, md, pdf/],
    ] as Array<[string[], RegExp]>) {
      const r = await runCli(args, { env: env() });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(log.length).toBe(before);
  });
});
