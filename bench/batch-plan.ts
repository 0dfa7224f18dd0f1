/**
 * `npm run bench:plan`: planning a 100,000-object archive prefix (issue 14), side by side with the
 * baseline it replaces, in one run:
 *   - the planner as shipped: ListObjectsV2 pages through the real S3 client against the sandbox,
 *     fed into the folder tree of counts (no keys kept);
 *   - the baseline: the same listing collected into an array of every key first, then planned
 *     (what a script that "lists, then groups" does).
 * Printed: wall time, ListObjectsV2 calls, the most heap the planner's state held (after a full GC
 * every 10 pages; the sandbox runs in a process of its own so its memory is not counted) and the
 * number of jobs. The archive is 100,000 files: 500 patients x 4 studies x 50
 * instances, plus one flat folder of 6,000 files that needs staging.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import { planArchiveFromS3 } from '../core/batch/list-archive';
import { planArchive } from '../core/batch/plan';
import { startSandbox } from '../sandbox/index';

const gc = (globalThis as { gc?: () => void }).gc;
const BUCKET = 'bench-archive';
const PATIENTS = 500;
const STUDIES = 4;
const INSTANCES = 47; // 500 x 4 x 47 = 94,000, plus 6,000 flat = 100,000
const FLAT = 6_000;

function seed(dataDir: string): number {
  const root = join(dataDir, 's3', BUCKET, 'archive');
  const body = Buffer.alloc(256, 0x41);
  let n = 0;
  for (let p = 0; p < PATIENTS; p++)
    for (let s = 0; s < STUDIES; s++) {
      const dir = join(root, `P${String(p).padStart(4, '0')}`, `ST${s}`);
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < INSTANCES; i++, n++) writeFileSync(join(dir, `${i}.dcm`), body);
    }
  const flat = join(root, 'unsorted');
  mkdirSync(flat, { recursive: true });
  for (let i = 0; i < FLAT; i++, n++) writeFileSync(join(flat, `${i}.dcm`), body);
  return n;
}

/**
 * Time, and the most heap the planner's own state held: after a full GC every 10 pages (garbage
 * from parsing pages is not state), the growth over the heap at the start.
 */
async function measure<T>(fn: (tick: () => void) => Promise<T>): Promise<{ value: T; ms: number; peakMb: number }> {
  gc?.();
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  let pages = 0;
  const tick = () => {
    if (++pages % 10 !== 0) return;
    gc?.();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  };
  const t0 = performance.now();
  const value = await fn(tick);
  const ms = performance.now() - t0;
  return { value, ms, peakMb: (peak - base) / 1e6 };
}

const dataDir = mkdtempSync(join(tmpdir(), 'bench-plan-'));
try {
  const boot = await startSandbox({ dataDir });
  await boot.close();
  const seeded = seed(dataDir);
  const credentials = { accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64') };
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../sandbox/cli.ts'), '--port', '0', '--data-dir', dataDir, '--no-demo-data'], {
    env: { ...process.env, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the sandbox did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /AWS_ENDPOINT_URL_S3=(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  const sandbox = { close: async () => void child.kill('SIGTERM') };
  const s3 = new S3Client({ endpoint: url, region: 'us-east-1', credentials, forcePathStyle: true });
  const input = `s3://${BUCKET}/archive/`;

  // One untimed pass first: the sandbox computes each object's ETag once, so neither timed pass pays it.
  for await (const _page of paginateListObjectsV2({ client: s3, pageSize: 1000 }, { Bucket: BUCKET, Prefix: 'archive/' })) void _page;
  const shipped = await measure((tick) => planArchiveFromS3(s3, input, { onProgress: tick }));
  const baseline = await measure(async (tick) => {
    const all: Array<{ key: string; size: number }> = [];
    let calls = 0;
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 1000 }, { Bucket: BUCKET, Prefix: 'archive/' })) {
      calls++;
      for (const o of page.Contents ?? []) all.push({ key: o.Key!, size: o.Size ?? 0 });
      tick();
    }
    return { ...planArchive(input, all), listCalls: calls };
  });
  s3.destroy();
  await sandbox.close();

  const row = (name: string, r: typeof shipped) =>
    `${name.padEnd(34)} ${(r.ms / 1000).toFixed(1).padStart(7)} s ${String(r.value.listCalls).padStart(7)} ${r.peakMb.toFixed(1).padStart(9)} MB ${String(r.value.jobs.length).padStart(6)} ${String(r.value.unsplittable.length).padStart(8)}`;
  console.log(`archive: ${seeded.toLocaleString('en-US')} objects in ${PATIENTS * STUDIES + PATIENTS + 1} folders (sandbox over HTTP, real S3 client)${gc ? '' : '  [run with --expose-gc for steadier memory figures]'}`);
  console.log(`${'planner'.padEnd(34)} ${'time'.padStart(9)} ${'calls'.padStart(7)} ${'state heap'.padStart(12)} ${'jobs'.padStart(6)} ${'staging'.padStart(8)}`);
  console.log(row('folder tree of counts (shipped)', shipped));
  console.log(row('all keys, then plan (baseline)', baseline));
  const same = JSON.stringify(shipped.value.jobs) === JSON.stringify(baseline.value.jobs);
  console.log(`same plan: ${same ? 'yes' : 'NO'}; state heap ratio shipped/baseline: ${(shipped.peakMb / Math.max(baseline.peakMb, 0.1)).toFixed(2)}`);
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
