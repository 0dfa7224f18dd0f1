/**
 * Benchmark (not a test): the seed workflow through the real engine, the real AWS SDK v3 and the
 * real sandbox over HTTP on 127.0.0.1, with a scripted long import, on a clock where the engine's
 * waits advance the sandbox's time (sandbox-clock.ts says why that and not a high time scale).
 *
 *   npm run bench                                 a 6-hour and a 24-hour import, engine defaults
 *   npm run bench -- --hours 12                   one import of 12 simulated hours
 *   npm run bench -- --poll-interval 4.5 --import-deadline 48   try other polling settings
 *
 * Prints API calls per simulated hour, the delay between each status change in the service and the
 * engine's event showing it (with the poll interval then in force), heap at the start and end of
 * the import, and PASS/FAIL per target. Exits 0 whatever the figures; non-zero only on a crash.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAwsSession } from '../core/aws/session';
import { createRunStore, loadWorkflowDocument, resumeRun, startRun, type PollingOption, type RunEndedEvent, type RunEvent } from '../core/engine/index';
import { startSandbox, type SandboxTimings } from '../sandbox/index';
import { ONBOARD_WORKFLOW_ID } from '../core/healthimaging/workflows';
import { createHeapMeter, mb, type HeapMeter, type HeapReading } from './memory';
import { median, RunObserver, type ChangeFigure, type RunFigures } from './observe';
import { sandboxDrivenClock, type SandboxDrivenClock } from './sandbox-clock';

const SEED_URL = new URL('../assets/amazon-healthimaging-onboard-datastore-and-import-workflow.yml', import.meta.url);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * The scripted service. The data store and the SUBMITTED job each change status 4 min 50 s into
 * their phase: late in the engine's 5-minute fast phase, the hardest case for "an early change is
 * seen within 5 s" and the costliest for the call budget (the whole fast phase is spent polling
 * every 5 s). The import itself (IN_PROGRESS) lasts exactly the scenario's hours.
 */
function scriptedTimings(hours: number): Partial<SandboxTimings> {
  return { datastoreCreateMs: 4 * MINUTE + 50 * SECOND, importSubmittedMs: 4 * MINUTE + 50 * SECOND, importBaseMs: hours * HOUR, importPerFileMs: 0 };
}

const TARGETS = {
  changeSlackMs: 100,
  earlyPhaseMs: 5 * MINUTE,
  earlySeenWithinMs: 5 * SECOND,
  callsIn6Hours: 600,
  heapGrowthPct: 10,
};

interface ScenarioResult {
  hours: number;
  wallMs: number;
  figures: RunFigures;
  /** Requests per operation as the service received them (SDK re-sends included). */
  wireCalls: Map<string, number>;
  heap: { runStart: HeapReading; importStart?: HeapReading; importEnd?: HeapReading; hourly: HeapReading[]; peakRss: number };
}

/**
 * Reads the heap when the import is first seen IN_PROGRESS, every simulated hour of it, and after
 * the run ends. Readings (each with a full GC) are taken on `waiting` events, i.e. while the engine
 * is idle, and their time is credited back to the clock, so they cost the engine nothing.
 */
function importHeapSampler(meter: HeapMeter, runStart: HeapReading, clock: SandboxDrivenClock) {
  const heap: ScenarioResult['heap'] = { runStart, hourly: [], peakRss: runStart.rss };
  let importSeenAt: number | undefined;
  let nextHour = 0;
  const take = () => {
    const t = performance.now();
    const r = meter.read();
    clock.creditIdle(performance.now() - t);
    heap.peakRss = Math.max(heap.peakRss, r.rss);
    return r;
  };
  return {
    heap,
    event(e: RunEvent) {
      if (e.type === 'response-received' && e.operationId === 'GetDICOMImportJob' && e.observedStatus === 'IN_PROGRESS') importSeenAt ??= Date.parse(e.at);
      if (e.type !== 'waiting' || e.stepId !== 'pollImportJob' || importSeenAt === undefined) return;
      const at = Date.parse(e.at);
      if (at - importSeenAt < nextHour * HOUR) return;
      const reading = take();
      if (heap.importStart) heap.hourly.push(reading);
      else heap.importStart = reading;
      nextHour = Math.floor((at - importSeenAt) / HOUR) + 1;
    },
    /** After the run (and any resume): the import's end state, before anything is closed. */
    runEnded() {
      heap.importEnd = take();
    },
  };
}

/** Overrides of the engine's polling defaults, to try a policy change without editing the engine. */
interface PollingTrial {
  importDeadlineHours?: number;
  /** First delay (s) of the two polling steps, like ahi-onboard's --poll-interval. */
  pollIntervalS?: number;
}

function pollingOverride(trial: PollingTrial): PollingOption | undefined {
  if (!trial.importDeadlineHours && !trial.pollIntervalS) return undefined;
  return (_step, op) => ({
    ...(trial.importDeadlineHours && op === 'GetDICOMImportJob' ? { stepTimeoutMs: trial.importDeadlineHours * HOUR } : {}),
    ...(trial.pollIntervalS && (op === 'GetDatastore' || op === 'GetDICOMImportJob') ? { initialDelayMs: trial.pollIntervalS * SECOND } : {}),
  });
}

const describeTrial = (t: PollingTrial) =>
  [t.pollIntervalS ? `first poll delay ${t.pollIntervalS} s` : '', t.importDeadlineHours ? `import poll deadline ${t.importDeadlineHours} h` : ''].filter(Boolean).join(', ');

async function runScenario(hours: number, documentText: string, meter: HeapMeter, trial: PollingTrial): Promise<ScenarioResult> {
  const polling = pollingOverride(trial);
  const wallStart = performance.now();
  const runsDir = mkdtempSync(join(tmpdir(), 'ahi-bench-runs-'));
  const wireCalls = new Map<string, number>();
  // The sandbox logs one line per request: "METHOD /path service:Operation STATUS Nms".
  const log = (line: string) => {
    const op = /^\S+ \S+ [\w-]+:(\w+) /.exec(line)?.[1];
    if (op) wireCalls.set(op, (wireCalls.get(op) ?? 0) + 1);
  };
  const sandbox = await startSandbox({ timeScale: 1, timings: scriptedTimings(hours), log });
  const session = await createAwsSession({ sandbox: { endpoint: sandbox.url, region: sandbox.region, credentials: sandbox.credentials } });
  try {
    const observer = new RunObserver();
    const stopListening = sandbox.onStatusChange((c) => observer.serviceChanged(c));
    const document = loadWorkflowDocument(documentText, { binding: session.binding });
    const store = createRunStore(runsDir);
    const clock = sandboxDrivenClock(sandbox.clock);
    const sampler = importHeapSampler(meter, meter.read(), clock);
    const onEvent = (e: RunEvent) => {
      observer.event(e);
      sampler.event(e);
    };
    const run = startRun({
      document,
      documentText,
      workflowId: ONBOARD_WORKFLOW_ID,
      inputs: {
        datastoreName: `bench-${hours}h-import`,
        datastoreClientToken: '',
        dataAccessRoleArn: sandbox.demo.dataAccessRoleArn,
        importClientToken: '',
        inputS3Uri: sandbox.demo.inputS3Uri,
        outputS3Uri: sandbox.demo.outputS3Uri,
      },
      binding: session.binding,
      store,
      context: session.describe(),
      clock,
      onEvent,
      ...(polling ? { polling } : {}),
    });
    let ended: RunEndedEvent = await run.done;
    // A run stopped by a step deadline is resumable: do what `ahi-onboard resume` would, so the
    // import's figures are complete; the interruption itself is reported (and judged) separately.
    for (let resumes = 0; ended.status === 'timed_out' && ended.resumable && resumes < 3; resumes++) {
      const again = await resumeRun({
        runId: run.runId,
        document,
        documentText,
        binding: session.binding,
        store,
        clock,
        onEvent,
        ...(polling ? { polling } : {}),
      });
      ended = await again.done;
    }
    sampler.runEnded();
    stopListening();
    return { hours, wallMs: performance.now() - wallStart, figures: observer.figures(), wireCalls, heap: sampler.heap };
  } finally {
    session.close();
    await sandbox.close();
    rmSync(runsDir, { recursive: true, force: true });
  }
}

// ---------- printing ----------

function duration(ms: number): string {
  const s = Math.round(ms / SECOND);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${String(sec).padStart(2, '0')}s`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}
const secs = (ms: number) => `${(ms / SECOND).toFixed(3)} s`;
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const seenInTime = (c: ChangeFigure) => c.delayMs !== undefined && c.delayMs <= (c.intervalMs ?? 0) + TARGETS.changeSlackMs;
const isEarly = (c: ChangeFigure) => c.intoPhaseMs < TARGETS.earlyPhaseMs;
const growthPct = (r: ScenarioResult) =>
  r.heap.importStart && r.heap.importEnd ? ((r.heap.importEnd.heapUsed - r.heap.importStart.heapUsed) / r.heap.importStart.heapUsed) * 100 : undefined;

function printScenario(r: ScenarioResult, meter: HeapMeter): void {
  const f = r.figures;
  const simMs = (f.endedAt ?? 0) - (f.startedAt ?? 0);
  const simHours = simMs / HOUR;
  console.log(`\n== ${r.hours}-hour import ==`);
  const start = f.startedAt ?? 0;
  for (const [i, end] of f.endings.entries()) {
    const how = i === 0 ? 'run' : 'resumed run';
    console.log(`${how} ${end.status} at ${duration(end.at - start)} simulated${end.error ? ` (${end.error.code}: ${end.error.message})` : ''}`);
  }
  console.log(`${duration(simMs)} simulated in ${(r.wallMs / SECOND).toFixed(1)} s wall`);

  console.log(`${pad('API calls (received by the service)', 38)}${lpad('calls', 7)}${lpad('per sim. hour', 15)}`);
  const ops = [...r.wireCalls.keys()].sort();
  for (const op of ops) {
    const n = r.wireCalls.get(op)!;
    console.log(`  ${pad(op, 36)}${lpad(String(n), 7)}${lpad((n / simHours).toFixed(1), 15)}`);
  }
  const wire = total(r.wireCalls);
  console.log(`  ${pad('total', 36)}${lpad(String(wire), 7)}${lpad((wire / simHours).toFixed(1), 15)}   (engine sent ${total(f.engineRequests)})`);

  console.log(`${pad('status change (service -> engine event)', 38)}${lpad('into phase', 11)}${lpad('delay', 12)}${lpad('poll interval', 15)}  within interval+100ms`);
  for (const c of f.changes) {
    const label = `${c.kind === 'datastore' ? 'data store' : 'job'} ${c.from} -> ${c.to}`;
    const delay = c.delayMs === undefined ? 'never seen' : secs(c.delayMs);
    const interval = c.intervalMs === undefined ? '-' : secs(c.intervalMs);
    console.log(`  ${pad(label, 36)}${lpad(duration(c.intoPhaseMs), 11)}${lpad(delay, 12)}${lpad(interval, 15)}  ${seenInTime(c) ? 'yes' : 'NO'}`);
  }
  const delays = f.changes.flatMap((c) => (c.delayMs === undefined ? [] : [c.delayMs]));
  if (delays.length > 0) console.log(`  delay median ${secs(median(delays)!)}, worst ${secs(Math.max(...delays))}`);

  const o = f.cycleOverheadMs;
  console.log(`  poll cycle beyond its wait (request, response, fsync'd events): mean ${o.mean.toFixed(1)} ms, max ${o.max} ms over ${o.cycles} cycles`);

  const h = r.heap;
  const kind = meter.afterGc ? 'heapUsed after full GC' : 'heapUsed, no GC available';
  const g = growthPct(r);
  console.log(
    `memory (${kind}; engine + SDK + sandbox in one process): run start ${mb(h.runStart.heapUsed)}, import start ${h.importStart ? mb(h.importStart.heapUsed) : '-'}, ` +
      `import end ${h.importEnd ? mb(h.importEnd.heapUsed) : '-'}${g === undefined ? '' : ` (${g >= 0 ? '+' : ''}${g.toFixed(1)} %)`}; peak rss ${mb(h.peakRss)}`,
  );
  if (h.importStart && h.importEnd)
    console.log(`  of which V8 code space: import start ${mb(h.importStart.codeSpace)}, import end ${mb(h.importEnd.codeSpace)}`);
  const hourly = h.hourly.map((x) => x.heapUsed);
  if (hourly.length) console.log(`  heap by import hour (MB): ${hourly.map((b) => (b / 1024 / 1024).toFixed(1)).join(' ')}`);
}

interface Verdict {
  /** undefined: a note, not a target. */
  ok?: boolean;
  text: string;
}

function verdicts(r: ScenarioResult): Verdict[] {
  const f = r.figures;
  const out: Verdict[] = [];
  const tag = `${r.hours} h`;
  const outcome = f.endings.map((e) => e.status).join(' -> ') || 'no end';
  out.push({ ok: f.endings.length === 1 && f.endings[0]!.status === 'succeeded', text: `${tag}: run succeeded without a resume (${outcome})` });
  const late = f.changes.filter((c) => !seenInTime(c));
  const worstMargin = Math.max(...f.changes.map((c) => (c.delayMs ?? Infinity) - (c.intervalMs ?? 0)));
  out.push({
    ok: f.changes.length > 0 && late.length === 0,
    text: `${tag}: every change seen within one poll interval + ${TARGETS.changeSlackMs} ms (worst: delay - interval = ${Number.isFinite(worstMargin) ? `${Math.round(worstMargin)} ms` : 'never seen'})`,
  });
  if (r.hours === 6) {
    const calls = total(r.wireCalls);
    out.push({ ok: calls <= TARGETS.callsIn6Hours, text: `${tag}: at most ${TARGETS.callsIn6Hours} API calls (${calls})` });
    const early = f.changes.filter(isEarly);
    const worstEarly = Math.max(...early.map((c) => c.delayMs ?? Infinity));
    out.push({
      ok: early.length > 0 && worstEarly <= TARGETS.earlySeenWithinMs,
      text: `${tag}: changes in the first 5 min of a phase seen within 5 s (${early.length} such changes, worst ${Number.isFinite(worstEarly) ? secs(worstEarly) : 'never seen'})`,
    });
    // The scripted changes fall wherever they fall between polls; the worst case is a change just
    // after the service answered a poll, seen one wait plus one cycle's processing later.
    const fastWait = Math.max(0, ...early.map((c) => c.intervalMs ?? 0));
    if (fastWait > 0) {
      const bound = fastWait + f.cycleOverheadMs.max;
      out.push({ text: `${tag}: an early change landing just after a poll would be seen after up to ${secs(bound)} (${secs(fastWait)} wait + ${f.cycleOverheadMs.max} ms worst cycle processing)${bound > TARGETS.earlySeenWithinMs ? ', over 5 s' : ''}` });
    }
  }
  if (r.hours === 24) {
    const g = growthPct(r);
    out.push({ ok: g !== undefined && g < TARGETS.heapGrowthPct, text: `${tag}: heap growth over the import under ${TARGETS.heapGrowthPct} % (${g === undefined ? 'not measured' : `${g.toFixed(1)} %`})` });
  }
  return out;
}

// ---------- main ----------

interface BenchArgs {
  scenarios: number[];
  trial: PollingTrial;
  child: boolean;
}

function numberFlag(argv: string[], flag: string, what: string, max: number): number | undefined {
  const i = argv.indexOf(flag);
  if (i < 0) return undefined;
  const n = Number(argv[i + 1]);
  if (!(n > 0 && n <= max)) {
    console.error(`${flag} needs a number of ${what} above 0 and at most ${max}, got ${argv[i + 1] ?? 'nothing'}`);
    process.exit(2);
  }
  return n;
}

function parseArgs(argv: string[]): BenchArgs {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('usage: npm run bench [-- --hours N] [--poll-interval S] [--import-deadline H]');
    console.log('  default: a 6-hour and a 24-hour import with the engine\'s polling defaults; the two flags after --hours try other settings');
    process.exit(0);
  }
  const hours = numberFlag(argv, '--hours', 'simulated hours', 72);
  const importDeadlineHours = numberFlag(argv, '--import-deadline', 'hours', 72);
  const pollIntervalS = numberFlag(argv, '--poll-interval', 'seconds', 60);
  return {
    scenarios: hours ? [hours] : [6, 24],
    trial: { ...(importDeadlineHours ? { importDeadlineHours } : {}), ...(pollIntervalS ? { pollIntervalS } : {}) },
    child: argv.includes('--child'),
  };
}

const printVerdicts = (list: Verdict[]) => {
  for (const v of list) console.log(`${v.ok === undefined ? 'NOTE' : v.ok ? 'PASS' : 'FAIL'}  ${v.text}`);
};

/** One scenario in this process; as a child (forked by main) it reports its verdicts to the parent. */
async function runHere(hours: number, meter: HeapMeter, trial: PollingTrial): Promise<Verdict[]> {
  const r = await runScenario(hours, readFileSync(SEED_URL, 'utf8'), meter, trial);
  printScenario(r, meter);
  return verdicts(r);
}

/**
 * Each scenario runs in a fresh process (same Node flags, so tsx carries over): its heap starts
 * cold, and one scenario's JIT warm-up or leftovers cannot flatter or spoil the next one's figures.
 */
function runInChild(hours: number, trial: PollingTrial): Promise<Verdict[]> {
  const args = [
    ...['--hours', String(hours), '--child'],
    ...(trial.importDeadlineHours ? ['--import-deadline', String(trial.importDeadlineHours)] : []),
    ...(trial.pollIntervalS ? ['--poll-interval', String(trial.pollIntervalS)] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), args, { stdio: 'inherit' });
    let got: Verdict[] | undefined;
    child.on('message', (m) => (got = m as Verdict[]));
    child.on('error', reject);
    child.on('exit', (code) => (got && code === 0 ? resolve(got) : reject(new Error(`the ${hours}-hour scenario crashed (exit ${code})`))));
  });
}

async function main(): Promise<void> {
  const { scenarios, trial, child } = parseArgs(process.argv.slice(2));
  const meter = createHeapMeter();
  if (child) {
    const list = await runHere(scenarios[0]!, meter, trial);
    await new Promise<void>((resolve) => process.send!(list, () => resolve()));
    return;
  }
  console.log('Long-import benchmark: the seed workflow through the real engine and AWS SDK v3 against the sandbox over HTTP on 127.0.0.1.');
  console.log('Clock: engine waits advance the sandbox clock; real processing time counts 1:1 in both (bench/sandbox-clock.ts).');
  console.log(
    `Service script: data store CREATING 4m50s, job SUBMITTED 4m50s, job IN_PROGRESS = the import length. Engine polling: its defaults${describeTrial(trial) ? `, except ${describeTrial(trial)}` : ''}.`,
  );
  console.log(`Node ${process.version}, ${meter.afterGc ? 'heap read after a full GC' : 'no GC available: heap read as is'}; each scenario in a fresh process.`);
  const all: Verdict[] = [];
  for (const hours of scenarios) all.push(...(scenarios.length > 1 ? await runInChild(hours, trial) : await runHere(hours, meter, trial)));
  console.log('\n== targets ==');
  printVerdicts(all);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
