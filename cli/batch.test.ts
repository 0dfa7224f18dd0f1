/**
 * `ahi-onboard batch plan` as users run it: a child process against a sandbox reached through a
 * profile, over an archive written there with the real S3 client (nested study/series folders and
 * one flat folder over the limit). Then a short `batch run` of the nested part and its report in
 * every text format from the built CLI (the renderers are bundled, not loaded from a path).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDatastoreCommand, GetDatastoreCommand, MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index';
import { writeTempAwsConfig, type TempAwsConfig } from '../core/aws/test-config';
import { findChromium } from '../core/report/pdf';
import { cleanEnv, runCli } from './testing/spawn-cli';

const tmp = mkdtempSync(join(tmpdir(), 'ahi-batch-'));
let sandbox: Sandbox;
let cfg: TempAwsConfig;
const requests: string[] = [];
const BUCKET = 'batch-archive';

beforeAll(async () => {
  // Short service timings: the batch run below takes a few seconds.
  sandbox = await startSandbox({ log: (l) => requests.push(l), timings: { datastoreCreateMs: 200, importSubmittedMs: 300, importBaseMs: 800, importPerFileMs: 1 } });
  const s3 = new S3Client({ endpoint: sandbox.url, region: sandbox.region, credentials: sandbox.credentials, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const keys: string[] = [];
  // 4 patients x 3 studies x 2 series x 10 instances = 240 files in nested folders.
  for (let p = 0; p < 4; p++) for (let st = 0; st < 3; st++) for (let se = 0; se < 2; se++) for (let i = 0; i < 10; i++) keys.push(`archive/nested/P${p}/ST${st}/SE${se}/${i}.dcm`);
  // One flat folder of 120 files: over a 50-file limit, and no prefix can split it.
  for (let i = 0; i < 120; i++) keys.push(`archive/flat/${String(i).padStart(3, '0')}.dcm`);
  for (let i = 0; i < keys.length; i += 20) await Promise.all(keys.slice(i, i + 20).map((Key) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: 'x'.repeat(100) }))));
  s3.destroy();
  cfg = writeTempAwsConfig(
    `[profile sbx]\nregion = ${sandbox.region}\nendpoint_url = ${sandbox.url}\n`,
    `[sbx]\naws_access_key_id = ${sandbox.credentials.accessKeyId}\naws_secret_access_key = ${sandbox.credentials.secretAccessKey}\n`,
  );
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
  cfg?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

const env = () => cleanEnv(tmp, cfg.env);
const base = (input: string) => ['batch', 'plan', '--profile', 'sbx', '--datastore-id', 'a'.repeat(32), '--input', input, '--output', `s3://${BUCKET}/out/`, '--role', 'arn:aws:iam::123456789012:role/ImportRole'];

describe('ahi-onboard batch plan', () => {
  it('a nested archive within the limits: exit 0, the fewest whole-folder jobs, every file covered once', async () => {
    const r = await runCli([...base(`s3://${BUCKET}/archive/nested/`), '--max-files', '50', '--json'], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout) as { jobs: Array<{ inputS3Uri: string; files: number; bytes: number }>; unsplittable: unknown[]; listCalls: number };
    // A patient (60 files) is over 50, so each of its studies (20 files) is one job: 12 jobs.
    expect(plan.jobs).toHaveLength(12);
    expect(plan.jobs[0]).toEqual({ inputS3Uri: `s3://${BUCKET}/archive/nested/P0/ST0/`, files: 20, bytes: 2000, folders: 2 });
    expect(plan.jobs.reduce((n, j) => n + j.files, 0)).toBe(240);
    expect(plan.unsplittable).toEqual([]);
  });

  it('a flat folder over the limit: exit 1, named with the limit and --stage-to; human output reads like a plan', async () => {
    const json = await runCli([...base(`s3://${BUCKET}/archive/`), '--max-files', '50', '--json'], { env: env() });
    expect(json.code).toBe(1);
    const plan = JSON.parse(json.stdout) as { jobs: unknown[]; unsplittable: Array<{ prefix: string; files: number; bytes: number; reason: string }> };
    expect(plan.jobs).toHaveLength(12);
    expect(plan.unsplittable).toEqual([expect.objectContaining({ prefix: `s3://${BUCKET}/archive/flat/`, files: 120, bytes: 12_000, reason: 'flat-folder-over-limit' })]);
    const human = await runCli([...base(`s3://${BUCKET}/archive/`), '--max-files', '50'], { env: env() });
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/^Archive s3:\/\/batch-archive\/archive\/: 360 files/m);
    expect(human.stdout).toMatch(/12 import jobs cover 240 files/);
    expect(human.stdout).toMatch(/archive\/flat\/ {2}120 files[\s\S]*limit of 50 files[\s\S]*--stage-to/);
  });

  it('bad usage exits 2 naming the flag and the rule, and sends nothing', async () => {
    const before = requests.length;
    const cases: Array<[string[], RegExp]> = [
      [base(`s3://${BUCKET}/archive`), /must name a folder and end with "\/"/],
      [[...base(`s3://${BUCKET}/archive/`), '--max-gb', '11'], /--max-gb cannot be more than 10/],
      [[...base(`s3://${BUCKET}/archive/`), '--max-files', 'many'], /--max-files must be a positive number/],
      [base(`s3://${BUCKET}/archive/`).filter((a, i, all) => a !== '--role' && all[i - 1] !== '--role'), /--role is required/],
      [[...base(`s3://${BUCKET}/archive/`).slice(0, -1), 'not-an-arn'], /--role must be an IAM role ARN/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, { env: env() });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(requests.length).toBe(before);
  });

  it('a bucket that does not exist is an AWS error: exit 3 with S3\'s words', async () => {
    const r = await runCli([...base('s3://no-such-archive-bucket/x/')], { env: env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/NoSuchBucket|does not exist/);
  });
});

describe('ahi-onboard batch report after a batch run', () => {
  it('html and md from the built CLI: the batch, its jobs and failures; json as before; pdf needs -o', async () => {
    const mi = new MedicalImagingClient({ endpoint: sandbox.url, region: sandbox.region, credentials: sandbox.credentials });
    const { datastoreId } = await mi.send(new CreateDatastoreCommand({ datastoreName: 'batch-report', clientToken: 'batch-report' }));
    for (let i = 0; i < 100 && (await mi.send(new GetDatastoreCommand({ datastoreId: datastoreId! }))).datastoreProperties?.datastoreStatus !== 'ACTIVE'; i++) await new Promise((r) => setTimeout(r, 100));
    mi.destroy();
    const runsDir = join(tmp, 'runs');
    const run = await runCli(
      ['batch', 'run', '--profile', 'sbx', '--datastore-id', datastoreId!, '--input', `s3://${BUCKET}/archive/nested/`, '--output', `s3://${BUCKET}/out/`, '--skip-preflight', '--role', sandbox.demo.dataAccessRoleArn, '--max-files', '60', '--concurrency', '2', '--runs-dir', runsDir, '--poll-interval', '0.2'],
      { env: env() },
    );
    // The demo role cannot read this bucket (and its files are not DICOM): started anyway past the preflight, HealthImaging fails every job (exit 1, retry offered).
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/--retry-failed/);
    const batchId = /^batch id: (\S+)$/m.exec(run.stdout)?.[1];
    expect(batchId).toBeTruthy();

    const json = await runCli(['batch', 'report', batchId!, '--format', 'json', '--runs-dir', runsDir], { env: env() });
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { state: string; jobs: Array<{ inputS3Uri: string; status: string }>; totals: { imported: number } };
    expect(report.state).toBe('failed');
    expect(report.jobs.map((j) => j.status)).toEqual(['FAILED', 'FAILED', 'FAILED', 'FAILED']);
    expect(report.totals.imported).toBe(0);

    const html = await runCli(['batch', 'report', batchId!, '--format', 'html', '--runs-dir', runsDir], { env: env() });
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>/i);
    expect(html.stdout).toContain('Archive import report');
    expect(html.stdout).toContain(batchId!);
    expect(html.stdout).toContain(datastoreId!);
    for (const j of report.jobs) expect(html.stdout).toContain(j.inputS3Uri);
    expect(html.stdout).not.toContain(sandbox.credentials.secretAccessKey);

    const md = await runCli(['batch', 'report', batchId!, '--format', 'md', '--runs-dir', runsDir, '-o', join(tmp, 'batch.md')], { env: env() });
    expect(md.code, md.stderr).toBe(0);
    expect(md.stderr).toMatch(/Wrote md report to .*batch\.md/);
    const text = readFileSync(join(tmp, 'batch.md'), 'utf8');
    expect(text).toMatch(/^# /);
    expect(text).toContain(batchId!);
    expect(text).toMatch(/\| .*archive\/nested\/P0\//);
    expect(text).toMatch(/4 of 4 import jobs FAILED/);

    const pdf = await runCli(['batch', 'report', batchId!, '--format', 'pdf', '--runs-dir', runsDir], { env: env() });
    expect(pdf.code).toBe(2);
    expect(pdf.stderr).toMatch(/--format pdf needs -o FILE\.pdf/);
    // PDF is printed by a local Chromium, as run reports are (where this machine has one).
    if (findChromium({ env: env() })) {
      const out = join(tmp, 'batch.pdf');
      const printed = await runCli(['batch', 'report', batchId!, '--format', 'pdf', '--runs-dir', runsDir, '-o', out], { env: env() });
      expect(printed.code, printed.stderr).toBe(0);
      expect(readFileSync(out).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
  }, 90_000);
});
