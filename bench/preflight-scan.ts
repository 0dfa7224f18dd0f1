/**
 * Benchmark: the preflight's input scan (ListObjectsV2 over a 100,000-object prefix, paginated,
 * bounded memory) against the sandbox. Objects are laid straight into the sandbox's folders (its
 * S3 is plain files) so seeding takes seconds, then the real SDK lists them page by page.
 * Prints the scan time, the pages, and the peak heap/RSS seen while scanning. The sandbox runs in
 * this process, so the peak includes its side of every page too: an upper bound for the client.
 *   npm run bench:preflight [-- --objects N]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAwsSession } from '../core/aws/session';
import { runPreflight } from '../core/preflight/runner';
import { startSandbox } from '../sandbox/index';

const { values } = parseArgs({ options: { objects: { type: 'string', default: '100000' } } });
const objects = Number(values.objects);
if (!Number.isInteger(objects) || objects < 1) throw new Error(`--objects must be a positive integer, got ${values.objects}`);

const dataDir = mkdtempSync(join(tmpdir(), 'ahi-bench-preflight-'));
const bucket = 'bench-input';
const prefix = 'scan/';
const seedStarted = Date.now();
const head = Buffer.alloc(136);
head.write('DICM', 128, 'latin1');
// 100 studies x N/100 files: realistic folder nesting, well within the folder limit.
for (let i = 0; i < objects; i++) {
  const dir = join(dataDir, 's3', bucket, prefix, `study-${String(i % 100).padStart(3, '0')}`);
  if (i < 100) mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `img-${String(i).padStart(7, '0')}.dcm`), head);
}
mkdirSync(join(dataDir, 's3', bucket, 'out'), { recursive: true });
const seedMs = Date.now() - seedStarted;

const sb = await startSandbox({ dataDir, demoData: true });
const session = await createAwsSession({ sandbox: { endpoint: sb.url, region: sb.region, credentials: sb.credentials } });
let peakHeap = 0;
let peakRss = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakRss = Math.max(peakRss, m.rss);
};
const baseline = process.memoryUsage();
const timer = setInterval(sample, 20);
let pages = 0;
let scanEnd = 0;
const started = Date.now();
try {
  const report = await runPreflight(
    session,
    { dataAccessRoleArn: sb.demo.dataAccessRoleArn, inputS3Uri: `s3://${bucket}/${prefix}`, outputS3Uri: `s3://${bucket}/out/` },
    {
      onProgress: (p) => {
        if (p.result?.id === 'input-objects') scanEnd = Date.now();
        if (p.pages === undefined) return;
        pages = p.pages;
        sample();
      },
    },
  );
  const total = Date.now() - started;
  clearInterval(timer);
  const scan = report.checks.find((c) => c.id === 'input-objects');
  const mb = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MB`;
  console.log(`objects seeded: ${objects.toLocaleString('en-US')} (in ${seedMs} ms, written to disk directly)`);
  console.log(`input-objects: ${scan?.status} - ${scan?.detail}`);
  console.log(`pages listed: ${pages} (1,000 keys each)`);
  // The scan starts right after the identity and bucket checks (a few ms): timed from the preflight's start.
  console.log(`scan time: ${scanEnd - started} ms (${Math.round((scanEnd - started) / Math.max(1, pages))} ms per page); whole preflight: ${total} ms`);
  console.log(`peak heap: ${mb(peakHeap)} (baseline ${mb(baseline.heapUsed)}), peak RSS: ${mb(peakRss)} (baseline ${mb(baseline.rss)}); sandbox in the same process`);
} finally {
  clearInterval(timer);
  session.close();
  await sb.close();
  rmSync(dataDir, { recursive: true, force: true });
}
