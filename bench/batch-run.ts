/**
 * `npm run bench:batch`: a simulated 200-job batch at concurrency 100 (issue 14) through the real
 * runner (core/app/batches.ts), the real AWS SDK v3 and the real sandbox over HTTP, on a clock where
 * the runner's waits advance the sandbox's time (bench/sandbox-clock.ts says why), side by side:
 *   - the runner as shipped: the running set watched with ListDICOMImportJobs (SUBMITTED and
 *     IN_PROGRESS, 50 a page), one GetDICOMImportJob per job only once it has ended;
 *   - the baseline: the same batch polled per job with GetDICOMImportJob at the same interval.
 * Printed per mode: HealthImaging API calls per simulated hour (by operation), the time from a
 * job's end in the service to its results being recorded in the ledger (median, p95, max), and the
 * heap (after a full GC) sampled every 5 simulated minutes, with its spread after warm-up (target:
 * flat within 10 %). Exits 0 whatever the figures; non-zero only on a crash.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDatastoreCommand, GetDatastoreCommand, MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { S3Client } from '@aws-sdk/client-s3';
import { startBatch } from '../core/app/batches';
import { planArchive } from '../core/batch/plan';
import { syntheticInstance } from '../sandbox/dicom-writer';
import { uidFor } from '../sandbox/demo-data';
import { startSandbox } from '../sandbox/index';
import { createHeapMeter, mb } from './memory';
import { median } from './observe';
import { sandboxDrivenClock } from './sandbox-clock';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const JOBS = 200;
const CONCURRENCY = 100;
const POLL_MS = 30_000;
const BUCKET = 'healthimaging-sandbox-demo';

interface ModeFigures {
  mode: string;
  simulatedMs: number;
  realMs: number;
  calls: Record<string, number>;
  latenciesMs: number[];
  heap: number[];
  outcome: string;
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};

async function runMode(watch: 'list' | 'get-per-job'): Promise<ModeFigures> {
  const dir = mkdtempSync(join(tmpdir(), `bench-batch-${watch}-`));
  try {
    // Jobs of 20 to 39 simulated minutes (1 to 20 files at 1 min each over a 19-minute base), so
    // ends spread out over time as a real archive's do; 200 at 100 at once is about an hour.
    const sandbox = await startSandbox({
      dataDir: join(dir, 'sandbox'),
      timings: { datastoreCreateMs: MINUTE, importSubmittedMs: 20_000, importBaseMs: 19 * MINUTE, importPerFileMs: MINUTE },
    });
    const objects: Array<{ key: string; size: number }> = [];
    for (let j = 0; j < JOBS; j++) {
      const folder = join(dir, 'sandbox', 's3', BUCKET, 'bench', `J${String(j).padStart(3, '0')}`);
      mkdirSync(folder, { recursive: true });
      const files = 1 + ((j * 7) % 20);
      for (let i = 0; i < files; i++) {
        const body = syntheticInstance({ patientName: `Bench^${j}`, patientId: `B${j}`, studyUid: uidFor(`b:${j}`), seriesUid: uidFor(`b:${j}:s`), sopInstanceUid: uidFor(`b:${j}:${i}`), modality: 'OT', studyDate: '20240101', studyDescription: 'bench', seriesDescription: 'bench', seriesNumber: 1, instanceNumber: i + 1 });
        writeFileSync(join(folder, `${i}.dcm`), body);
        objects.push({ key: `bench/J${String(j).padStart(3, '0')}/${i}.dcm`, size: body.length });
      }
    }
    const plan = planArchive(`s3://${BUCKET}/bench/`, objects, { maxFiles: 20, maxBytes: 10e9, maxFolders: 10_000, maxFileBytes: 10e9 });
    if (plan.jobs.length !== JOBS) throw new Error(`planned ${plan.jobs.length} jobs, expected ${JOBS}`);
    const base = { region: sandbox.region, credentials: sandbox.credentials, endpoint: sandbox.url };
    const mi = new MedicalImagingClient(base);
    const s3 = new S3Client({ ...base, forcePathStyle: true });
    const datastoreId = (await mi.send(new CreateDatastoreCommand({ datastoreName: 'bench-batch', clientToken: `bench-${watch}` }))).datastoreId!;
    sandbox.clock.advance(2 * MINUTE);
    if ((await mi.send(new GetDatastoreCommand({ datastoreId }))).datastoreProperties?.datastoreStatus !== 'ACTIVE') throw new Error('data store not ACTIVE');

    const clock = sandboxDrivenClock(sandbox.clock);
    const endedAt = new Map<string, number>();
    const stopListening = sandbox.onStatusChange((c) => {
      if (c.kind === 'job' && (c.status === 'COMPLETED' || c.status === 'FAILED')) endedAt.set(c.id, c.at);
    });
    const latenciesMs: number[] = [];
    const meter = createHeapMeter();
    const heap: number[] = [];
    const t0 = clock.now();
    let nextSample = t0;
    const real0 = performance.now();
    const sample = () => {
      if (clock.now() < nextSample) return;
      const t = performance.now();
      heap.push(meter.read().heapUsed);
      clock.creditIdle(performance.now() - t);
      nextSample = clock.now() + 5 * MINUTE;
    };
    const out = await startBatch({
      session: { medicalImaging: mi, s3 },
      runsDir: join(dir, 'runs'),
      plan,
      inputs: { datastoreId, inputS3Uri: `s3://${BUCKET}/bench/`, outputS3Uri: `s3://${BUCKET}/output/bench/`, dataAccessRoleArn: sandbox.demo.dataAccessRoleArn },
      target: { region: sandbox.region, sandbox: true },
      concurrency: CONCURRENCY,
      clock,
      watch,
      pacing: { pollIntervalMs: POLL_MS, resultAttempts: 3, resultDelayMs: 5_000 },
      onProgress: sample,
      onEvent: (e) => {
        if (e.type === 'job-ended') {
          const end = endedAt.get(e.jobId);
          if (end !== undefined) latenciesMs.push(e.atMs - end);
        }
        if (e.type === 'quota') console.error(`  402 for ${e.inputS3Uri}: ${e.message}`);
      },
    });
    stopListening();
    mi.destroy();
    s3.destroy();
    await sandbox.close();
    return { mode: watch, simulatedMs: clock.now() - t0, realMs: performance.now() - real0, calls: out.apiCalls, latenciesMs, heap, outcome: out.outcome };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const list = await runMode('list');
const perJob = await runMode('get-per-job');

const hiCalls = (f: ModeFigures) => Object.entries(f.calls).reduce((n, [, c]) => n + c, 0);
const perHour = (f: ModeFigures, n: number) => n / (f.simulatedMs / HOUR);
const watchCalls = (f: ModeFigures) => (f.calls['ListDICOMImportJobs'] ?? 0) + (f.calls['GetDICOMImportJob'] ?? 0);
const spread = (xs: number[]) => {
  // Warm-up (the first quarter of the samples: JIT, first clients, the first wave of starts) left out.
  const steady = xs.slice(Math.floor(xs.length / 4));
  if (steady.length < 2) return 0;
  return (Math.max(...steady) - Math.min(...steady)) / Math.min(...steady);
};

console.log(`simulated batch: ${JOBS} import jobs at concurrency ${CONCURRENCY}, poll every ${POLL_MS / 1000} s, StartDICOMImportJob paced at 1/s (sandbox over HTTP, real SDK)`);
console.log(`${''.padEnd(30)} ${'ListDICOMImportJobs (shipped)'.padStart(30)} ${'GetDICOMImportJob per job'.padStart(28)}`);
const row = (name: string, a: string, b: string) => console.log(`${name.padEnd(30)} ${a.padStart(30)} ${b.padStart(28)}`);
row('outcome', list.outcome, perJob.outcome);
row('simulated time', `${(list.simulatedMs / HOUR).toFixed(2)} h`, `${(perJob.simulatedMs / HOUR).toFixed(2)} h`);
row('real time', `${(list.realMs / 1000).toFixed(1)} s`, `${(perJob.realMs / 1000).toFixed(1)} s`);
for (const op of ['StartDICOMImportJob', 'ListDICOMImportJobs', 'GetDICOMImportJob'])
  row(`${op} calls`, String(list.calls[op] ?? 0), String(perJob.calls[op] ?? 0));
row('watch calls / simulated hour', perHour(list, watchCalls(list)).toFixed(0), perHour(perJob, watchCalls(perJob)).toFixed(0));
row('all HI calls / simulated hour', perHour(list, hiCalls(list)).toFixed(0), perHour(perJob, hiCalls(perJob)).toFixed(0));
row('job end -> result recorded', `med ${((median(list.latenciesMs) ?? 0) / 1000).toFixed(1)} s p95 ${(pct(list.latenciesMs, 95) / 1000).toFixed(1)} s max ${(Math.max(...list.latenciesMs) / 1000).toFixed(1)} s`, `med ${((median(perJob.latenciesMs) ?? 0) / 1000).toFixed(1)} s p95 ${(pct(perJob.latenciesMs, 95) / 1000).toFixed(1)} s`);
row('  (jobs measured)', String(list.latenciesMs.length), String(perJob.latenciesMs.length));
row('heap samples (5 sim. min)', `${list.heap.length}`, `${perJob.heap.length}`);
row('heap first / last', `${mb(list.heap[0] ?? 0)} / ${mb(list.heap[list.heap.length - 1] ?? 0)}`, `${mb(perJob.heap[0] ?? 0)} / ${mb(perJob.heap[perJob.heap.length - 1] ?? 0)}`);
row('heap spread after warm-up', `${(spread(list.heap) * 100).toFixed(1)} %`, `${(spread(perJob.heap) * 100).toFixed(1)} %`);
console.log(`heap samples, shipped (MB): ${list.heap.map((h) => (h / 1024 / 1024).toFixed(1)).join(' ')}`);
const ratio = perHour(perJob, watchCalls(perJob)) / Math.max(1, perHour(list, watchCalls(list)));
console.log(`watch calls per hour, per-job Get / list: ${ratio.toFixed(1)}x   ${spread(list.heap) <= 0.1 ? 'PASS' : 'FAIL'} heap flat within 10 %`);
