/**
 * Staging through the real S3 client against the sandbox: a flat 5,500-file folder (over the
 * 5,000-file limit, so the planner calls it unsplittable) is copied server side into two parts
 * that each plan as one job; a re-run copies nothing; an interrupted staging resumes without
 * copying twice; a folder that changed, or a part prefix holding strangers, is refused.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { paginateListObjectsV2, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { clients } from '../../sandbox/test-clients';
import { planArchiveFromS3 } from './list-archive';
import { DEFAULT_BATCH_LIMITS, PlanInputError, type BatchPlan } from './plan';
import { cutIntoParts, executeStaging, planStaging, StagingError, withStagedJobs, type StagingProgress } from './stage';

const FLAT = 5_500;
/** A second, small flat folder for the resume and refusal cases, staged in parts of 25. */
const SMALL = 60;
const smallLimits = { maxFiles: 25 };
const name = (i: number) => `f${String(i).padStart(5, '0')}.dcm`;

let dataDir: string;
let sandbox: Sandbox;
let s3: S3Client;
const requests: string[] = [];
/** Requests the sandbox answered 200 (a copy that happened), optionally under one path. */
const sent = (op: string, pathPart = '') => requests.filter((l) => l.includes(`:${op} 200 `) && l.includes(pathPart)).length;
let plan: BatchPlan;
let smallPlan: BatchPlan;

async function keysUnder(bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) keys.push(...(page.Contents ?? []).map((o) => o.Key!));
  return keys;
}

beforeAll(async () => {
  // The archive is laid as the sandbox's folders before it starts (5,500 PutObjects would only
  // test PutObject); everything after goes through the SDK.
  dataDir = mkdtempSync(path.join(tmpdir(), 'stage-test-'));
  const flat = path.join(dataDir, 's3', 'stage-src', 'archive', 'flat');
  mkdirSync(flat, { recursive: true });
  for (let i = 0; i < FLAT; i++) writeFileSync(path.join(flat, name(i)), `dicom ${i}`);
  mkdirSync(path.join(dataDir, 's3', 'stage-src', 'archive', 'ok'), { recursive: true });
  for (let i = 0; i < 3; i++) writeFileSync(path.join(dataDir, 's3', 'stage-src', 'archive', 'ok', name(i)), `ok ${i}`);
  const small = path.join(dataDir, 's3', 'stage-src', 'small', 'flat');
  mkdirSync(small, { recursive: true });
  for (let i = 0; i < SMALL; i++) writeFileSync(path.join(small, name(i)), `small ${i}`);
  mkdirSync(path.join(dataDir, 's3', 'stage-dst'), { recursive: true });
  sandbox = await startSandbox({ dataDir, demoData: false, manualClock: true, log: (l) => requests.push(l) });
  s3 = clients(sandbox, { maxAttempts: 2 }).s3;
  plan = await planArchiveFromS3(s3, 's3://stage-src/archive/');
  smallPlan = await planArchiveFromS3(s3, 's3://stage-src/small/', { limits: smallLimits });
}, 180_000);
afterAll(async () => {
  s3?.destroy();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('staging an unsplittable flat folder', () => {
  it('the planner leaves the flat folder unsplittable: the case staging is for', () => {
    expect(plan.jobs.map((j) => j.inputS3Uri)).toEqual(['s3://stage-src/archive/ok/']);
    expect(plan.unsplittable).toEqual([expect.objectContaining({ prefix: 's3://stage-src/archive/flat/', files: FLAT, stageable: true })]);
  });

  it('plans two parts of at most 5,000 files, copies them server side, and each part fits one job', async () => {
    const staging = await planStaging(s3, plan, 's3://stage-dst/staged/');
    expect(staging.jobs).toEqual([
      { inputS3Uri: 's3://stage-dst/staged/archive/flat/part-0001/', files: 5_000, bytes: expect.any(Number), folders: 0 },
      { inputS3Uri: 's3://stage-dst/staged/archive/flat/part-0002/', files: 500, bytes: expect.any(Number), folders: 0 },
    ]);
    expect(staging.folders[0]!.parts[0]).toMatchObject({ firstKey: `archive/flat/${name(0)}`, lastKey: `archive/flat/${name(4_999)}` });
    expect(staging.totals).toMatchObject({ files: FLAT, parts: 2, uncopyable: 0 });

    const progress: StagingProgress[] = [];
    const copiesBefore = sent('CopyObject');
    const result = await executeStaging(s3, staging, { onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ copied: FLAT, skipped: 0, copyCalls: FLAT, jobs: staging.jobs });
    expect(sent('CopyObject') - copiesBefore).toBe(FLAT);
    expect(progress.at(-1)).toMatchObject({ copied: FLAT, files: FLAT, bytesCopied: staging.totals.bytes });

    const part1 = await keysUnder('stage-dst', 'staged/archive/flat/part-0001/');
    const part2 = await keysUnder('stage-dst', 'staged/archive/flat/part-0002/');
    expect(part1).toHaveLength(5_000);
    expect(part2).toHaveLength(500);
    expect(part2[0]).toBe(`staged/archive/flat/part-0002/${name(5_000)}`);
    // The source is untouched, and every part is one import job by the planner's own rules.
    expect(await keysUnder('stage-src', 'archive/flat/')).toHaveLength(FLAT);
    for (const job of staging.jobs) {
      const partPlan = await planArchiveFromS3(s3, job.inputS3Uri);
      expect(partPlan.jobs).toEqual([{ inputS3Uri: job.inputS3Uri, files: job.files, bytes: job.bytes, folders: 0 }]);
      expect(partPlan.unsplittable).toEqual([]);
    }
    const staged = withStagedJobs(plan, staging);
    expect(staged.jobs.map((j) => j.inputS3Uri)).toEqual(['s3://stage-src/archive/ok/', ...staging.jobs.map((j) => j.inputS3Uri)]);
    expect(staged.unsplittable).toEqual([]);

    // Re-running plans the same parts and copies nothing.
    const again = await planStaging(s3, plan, 's3://stage-dst/staged/');
    expect(again.folders).toEqual(staging.folders);
    const copies = sent('CopyObject');
    const rerun = await executeStaging(s3, again);
    expect(rerun).toMatchObject({ copied: 0, skipped: FLAT, copyCalls: 0 });
    expect(sent('CopyObject')).toBe(copies);
  }, 300_000);

  it('an interrupted staging resumes, copying only what is missing and no file twice', async () => {
    const staging = await planStaging(s3, smallPlan, 's3://stage-dst/resumed/');
    expect(staging.jobs.map((j) => j.files)).toEqual([25, 25, 10]);
    const controller = new AbortController();
    const first = executeStaging(s3, staging, { concurrency: 4, signal: controller.signal, onProgress: (p) => p.copied >= 30 && controller.abort(new Error('interrupted')) });
    await expect(first).rejects.toThrow('interrupted');
    // The process that resumes starts later: copies the server was finishing as the abort came are done by then.
    await new Promise((r) => setTimeout(r, 200));
    const afterFirst = sent('CopyObject', '/stage-dst/resumed/');
    expect(afterFirst).toBeGreaterThanOrEqual(30);
    expect(afterFirst).toBeLessThan(SMALL);

    const resumed = await executeStaging(s3, staging);
    expect(resumed.copied + resumed.skipped).toBe(SMALL);
    expect(resumed.skipped).toBe(afterFirst);
    // Over both runs, every file was copied exactly once.
    expect(sent('CopyObject', '/stage-dst/resumed/')).toBe(SMALL);
    expect(await keysUnder('stage-dst', 'resumed/small/flat/')).toHaveLength(SMALL);
  }, 60_000);

  it('a copy S3 refuses stops the staging with its error; once fixed, a re-run copies the rest', async () => {
    const staging = await planStaging(s3, smallPlan, 's3://stage-dst/refused/');
    sandbox.faults.failNext('CopyObject', 1, 'AccessDeniedException');
    await expect(executeStaging(s3, staging, { concurrency: 2 })).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    // It stopped early: not every file was even tried.
    expect(sent('CopyObject', '/stage-dst/refused/')).toBeLessThan(SMALL);
    const rerun = await executeStaging(s3, staging);
    expect(rerun.copied + rerun.skipped).toBe(SMALL);
    expect(sent('CopyObject', '/stage-dst/refused/')).toBe(SMALL);
  }, 60_000);

  it('refuses a stage-to inside the archive before sending anything', async () => {
    const before = requests.length;
    await expect(planStaging(s3, plan, 's3://stage-src/archive/staged/')).rejects.toBeInstanceOf(PlanInputError);
    await expect(planStaging(s3, plan, 's3://stage-src/')).rejects.toThrow(/outside the archive/);
    await expect(planStaging(s3, plan, 's3://stage-dst/no-slash')).rejects.toThrow(/end with "\/"/);
    expect(requests.length).toBe(before);
  });

  it('a part prefix holding objects that are not copies is refused: its import would take them', async () => {
    const staging = await planStaging(s3, smallPlan, 's3://stage-dst/crowded/');
    await s3.send(new PutObjectCommand({ Bucket: 'stage-dst', Key: 'crowded/small/flat/part-0002/zz-stranger.dcm', Body: 'not ours' }));
    const error = await executeStaging(s3, staging).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StagingError);
    expect((error as Error).message).toMatch(/part-0002\/ holds 1 object\(s\) that are not copies/);
  }, 60_000);

  it('a folder that changed since planning is refused with "plan again"', async () => {
    const staging = await planStaging(s3, smallPlan, 's3://stage-dst/changed/');
    await s3.send(new PutObjectCommand({ Bucket: 'stage-src', Key: `small/flat/${name(24)}a.dcm`, Body: 'late arrival' }));
    await expect(executeStaging(s3, staging)).rejects.toThrow(/changed since staging was planned.*plan again/i);
  }, 60_000);
});

describe('cutting a folder into parts', () => {
  const stageTo = { bucket: 'stage', prefix: 'st/' };
  const limits = { ...DEFAULT_BATCH_LIMITS, maxFiles: 3, maxBytes: 100 };
  const objects = (sizes: number[]) => sizes.map((size, i) => ({ key: `in/flat/${name(i)}`, size }));

  it('keeps each part within the file and byte limits, in key order', () => {
    const { parts } = cutIntoParts(stageTo, 'in/flat/', objects([10, 10, 10, 10, 60, 50, 100]), limits);
    expect(parts.map((p) => [p.inputS3Uri, p.files, p.bytes])).toEqual([
      ['s3://stage/st/in/flat/part-0001/', 3, 30],
      ['s3://stage/st/in/flat/part-0002/', 2, 70],
      ['s3://stage/st/in/flat/part-0003/', 1, 50],
      ['s3://stage/st/in/flat/part-0004/', 1, 100],
    ]);
  });

  it('leaves out what one CopyObject cannot copy or S3 cannot name, saying why; refuses unsorted input', () => {
    const big = cutIntoParts(stageTo, 'in/flat/', [{ key: 'in/flat/huge.dcm', size: 6 * 1024 ** 3 }], { ...DEFAULT_BATCH_LIMITS });
    expect(big.parts).toEqual([]);
    expect(big.uncopyable).toEqual([expect.objectContaining({ key: 'in/flat/huge.dcm', reason: 'over-copy-limit', detail: expect.stringMatching(/5 GiB.*UploadPartCopy/) })]);
    const long = cutIntoParts({ bucket: 'stage', prefix: `${'p'.repeat(1000)}/` }, 'in/flat/', [{ key: 'in/flat/a-name.dcm', size: 1 }], limits);
    expect(long.uncopyable[0]?.reason).toBe('target-key-too-long');
    expect(() => cutIntoParts(stageTo, 'in/flat/', [...objects([1, 1])].reverse(), limits)).toThrow(/S3 key order/);
  });
});
