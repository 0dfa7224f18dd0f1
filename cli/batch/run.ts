/**
 * `ahi-onboard batch run` and `batch resume`: plan (run only), then drive the batch from its ledger
 * (core/app/batches.ts) printing `batch id: ID` and a progress line per change. Exit 0 every job
 * COMPLETED with no failed file, 5 completed with failed files, 1 a job FAILED (or a prefix needs
 * staging), 2 bad usage, 3 a persisting AWS error, 6 the batch is in use, 130 interrupted (resumable).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { classifyAwsError } from '../../core/aws/errors';
import { BatchNeedsStagingError, batchTarget, resumeBatch, startBatch, type BatchOutcome, type BatchDriveOptions } from '../../core/app/batches';
import { DEMO_POLLING } from '../../core/app/sandbox-host';
import type { BatchProgress } from '../../core/batch/batch-types';
import { BatchInUseError, BatchLedgerDamagedError, BatchLedgerError, batchDir } from '../../core/batch/ledger';
import { planArchiveFromS3 } from '../../core/batch/list-archive';
import type { S3Client } from '@aws-sdk/client-s3';
import { BATCH_PREFLIGHT_SKIPS } from '../../core/app/batch-preflight';
import { stageArchive } from '../../core/app/batch-staging';
import { blockingProblem } from '../../core/app/preflight';
import { exitCodeForPreflight, preflightWithProgress } from '../preflight-command';
import { formatPreflight } from '../preflight-output';
import { parseArchiveUri, PlanInputError, type BatchPlan, type PlannedJob } from '../../core/batch/plan';
import { StagingError } from '../../core/batch/stage';
import { renderBatchReportText } from '../../core/report/batch-report';
import { DiskFullError } from '../../core/runs/durable-append';
import { defaultRunsDir } from '../data-dir';
import { EXIT, UsageError, type ExitCode } from '../exit-codes';
import type { CliIO } from '../run/io';
import { checkPlanArgs, positiveNumber, wholeNumber, type BatchValues } from './args';
import { formatEvent, formatProgress, formatSummary } from './progress';
import { openBatchSession } from './session';

/** Progress and events to the terminal (words) or stdout (NDJSON with --json). */
function printer(io: CliIO, json: boolean) {
  let last = '';
  return {
    line(obj: Record<string, unknown>, words?: string) {
      if (json) io.out(`${JSON.stringify(obj)}\n`);
      else if (words) io.out(`${words}\n`);
    },
    progress(p: BatchProgress) {
      const words = formatProgress(p);
      // Only a change is news (the ETA alone moving is not).
      const key = words.replace(/ETA: .*$/, '');
      if (key === last) return;
      last = key;
      if (json) io.out(`${JSON.stringify({ type: 'progress', ...p })}\n`);
      else io.out(`${words}\n`);
    },
  };
}

function driveOptions(io: CliIO, v: BatchValues, print: ReturnType<typeof printer>, sandbox: boolean, signal: AbortSignal): Omit<BatchDriveOptions, 'session' | 'runsDir'> {
  const poll = positiveNumber('poll-interval', v['poll-interval']);
  const pollIntervalMs = poll !== undefined ? Math.round(poll * 1000) : sandbox ? DEMO_POLLING.maxDelayMs : undefined;
  void io;
  return {
    signal,
    ...(v['retry-failed'] ? { retryFailed: true } : {}),
    // At the sandbox's demo time scale a job takes seconds, so its starts need not wait a second each.
    pacing: { ...(pollIntervalMs !== undefined ? { pollIntervalMs, resultDelayMs: Math.min(3_000, pollIntervalMs) } : {}), ...(sandbox ? { startsPerSecond: 20, startBurst: 5 } : {}) },
    onProgress: (p) => print.progress(p),
    onEvent: (e) => print.line({ ...e }, formatEvent(e)),
  };
}

/** The first Ctrl-C stops sending (running jobs keep running in AWS); a second one exits at once. */
function interruptible(io: CliIO) {
  const abort = new AbortController();
  let count = 0;
  const stop = io.onSignal(() => {
    count++;
    if (count === 1) abort.abort(new Error('interrupted'));
    else io.exit(EXIT.interrupted);
  });
  return { signal: abort.signal, stop };
}

async function finish(io: CliIO, v: BatchValues, out: BatchOutcome, runsDir: string, explicitRunsDir: boolean): Promise<ExitCode> {
  // The same bytes as `batch report ID --format json` (keys in one order, through the leak guard).
  if (v.report) await writeFile(v.report, renderBatchReportText(out.report, 'json'));
  const resume = `ahi-onboard batch resume ${out.batchId}${explicitRunsDir ? ` --runs-dir ${runsDir}` : ''}`;
  if (v.json) io.out(`${JSON.stringify({ type: 'batch-ended', batchId: out.batchId, outcome: out.outcome, totals: out.report.totals, apiCalls: out.apiCalls, ...(out.error ? { error: out.error } : {}) })}\n`);
  else io.out(formatSummary(out.report));
  if (out.error) {
    io.err(`${out.error.message}\n${out.error.action ? `${out.error.action}\n` : ''}The batch is recorded; once fixed: ${resume}\n`);
    return EXIT.awsError;
  }
  switch (out.outcome) {
    case 'completed':
      return EXIT.completed;
    case 'completed_with_errors':
      return EXIT.completedWithErrors;
    case 'failed':
      if (!v.json) io.err(`A job FAILED. To retry the FAILED prefixes: ${resume} --retry-failed\n`);
      return EXIT.workflowFailed;
    case 'cancelled':
      io.err(`Cancelled: the jobs already started have ended and are recorded; the queued prefixes were not started.\n`);
      return EXIT.interrupted;
    case 'interrupted': {
      const running = out.report.jobs.filter((j) => j.status === 'SUBMITTED' || j.status === 'IN_PROGRESS' || j.status === 'submitting').length;
      io.err(`Interrupted: ${running} ${running === 1 ? 'job keeps' : 'jobs keep'} running in HealthImaging and nothing is lost. Resume with: ${resume}\n`);
      return EXIT.interrupted;
    }
  }
}

function failure(io: CliIO, e: unknown, operation: string): ExitCode {
  if (e instanceof UsageError) throw e;
  if (e instanceof PlanInputError) throw new UsageError(`batch: ${e.message}`);
  if (e instanceof BatchInUseError) {
    io.err(`${e.message}\n${e.hint ? `${e.hint}\n` : ''}`);
    return EXIT.runInUse;
  }
  if (e instanceof StagingError) {
    io.err(`batch run: staging stopped, no import job was started. ${e.message}\n`);
    return EXIT.workflowFailed;
  }
  if (e instanceof BatchLedgerDamagedError || e instanceof BatchLedgerError) {
    io.err(`${e.message}\n`);
    return EXIT.workflowFailed;
  }
  if (e instanceof DiskFullError) {
    io.err(`${e.message} Free some space, then resume the batch.\n`);
    return EXIT.awsError;
  }
  const c = classifyAwsError(e, { operation });
  io.err(`${c.message}\n${c.action ? `${c.action}\n` : ''}`);
  return EXIT.awsError;
}

/** --stage-to: the unsplittable folders copied into parts (server side), progress on stderr. */
async function stageUnsplittable(io: CliIO, opts: { s3: S3Client; plan: BatchPlan; stageTo: string; signal: AbortSignal; json: boolean }): Promise<PlannedJob[]> {
  let lastShown = 0;
  const staged = await stageArchive(opts.s3, opts.plan, opts.stageTo, {
    signal: opts.signal,
    onPlanned: (parts, files) => io.err(`Staging ${files.toLocaleString('en-US')} files of ${opts.plan.unsplittable.length} unsplittable ${opts.plan.unsplittable.length === 1 ? 'folder' : 'folders'} into ${parts} parts under ${opts.stageTo} (S3 CopyObject, server side)...\n`),
    onProgress: (p) => {
      const done = p.copied + p.skipped;
      if (!opts.json && (done - lastShown >= 1000 || done === p.files)) {
        lastShown = done;
        io.err(`  staged ${done.toLocaleString('en-US')}/${p.files.toLocaleString('en-US')} files (${p.skipped.toLocaleString('en-US')} already in place)\n`);
      }
    },
  });
  io.err(`Staged: ${staged.result.copied.toLocaleString('en-US')} copied, ${staged.result.skipped.toLocaleString('en-US')} already in place; ${staged.jobs.length} staged ${staged.jobs.length === 1 ? 'job' : 'jobs'} added.\n`);
  return staged.jobs;
}

export async function batchRun(v: BatchValues, io: CliIO): Promise<ExitCode> {
  const { limits } = checkPlanArgs('run', v);
  const concurrency = wholeNumber('concurrency', v.concurrency, 10_000);
  if (v['stage-to'] !== undefined) parseArchiveUri(v['stage-to'], '--stage-to');
  positiveNumber('poll-interval', v['poll-interval']);
  const runsDir = v['runs-dir'] ?? defaultRunsDir(v.sandbox, io.env);
  const opened = await openBatchSession(io, { sandbox: v.sandbox, ...(v.profile ? { profile: v.profile } : {}), ...(v.region ? { region: v.region } : {}) });
  const { signal, stop } = interruptible(io);
  const print = printer(io, v.json);
  let operation = 'ListObjectsV2';
  try {
    if (v['skip-preflight']) io.err('Preflight skipped (--skip-preflight).\n');
    else {
      operation = 'preflight';
      const inputs = { datastoreId: v['datastore-id']!, inputS3Uri: v.input!, outputS3Uri: v.output!, dataAccessRoleArn: v.role! };
      const report = await preflightWithProgress(opened.session, inputs, io, { notRun: BATCH_PREFLIGHT_SKIPS });
      if (report === 'interrupted') {
        io.err('Interrupted during the preflight: nothing was started.\n');
        return EXIT.interrupted;
      }
      const code = exitCodeForPreflight(report);
      if (code !== EXIT.completed) {
        io.err(formatPreflight(report, false));
        io.err(`batch run: ${blockingProblem(report) ?? 'The preflight did not pass'}. Nothing was started.\nFix it and run again, or start anyway with --skip-preflight.\n`);
        return code;
      }
      const warnings = report.checks.filter((c) => c.status === 'warn');
      if (warnings.length > 0) io.err(formatPreflight({ ...report, checks: warnings }, false));
      operation = 'ListObjectsV2';
    }
    const plan = await planArchiveFromS3(opened.session.s3, v.input!, {
      limits,
      signal,
      onProgress: (p) => {
        if (!v.json && p.pages % 10 === 1) io.err(`Listing ${v.input}: ${p.objects.toLocaleString('en-US')} objects...\n`);
      },
    });
    let stagedJobs: PlannedJob[] | undefined;
    const stageTo = v['stage-to'];
    if (plan.unsplittable.length > 0) {
      if (!stageTo || plan.unsplittable.some((u) => !u.stageable)) {
        const why = new BatchNeedsStagingError(plan.unsplittable);
        io.err(`batch run: nothing was started. ${why.message}\n`);
        return EXIT.workflowFailed;
      }
      operation = 'CopyObject';
      stagedJobs = await stageUnsplittable(io, { s3: opened.session.s3, plan, stageTo, signal, json: v.json });
    }
    operation = 'StartDICOMImportJob';
    const out = await startBatch({
      ...driveOptions(io, v, print, opened.session.sandbox, signal),
      session: opened.session,
      runsDir,
      plan,
      inputs: { datastoreId: v['datastore-id']!, inputS3Uri: v.input!, outputS3Uri: v.output!, dataAccessRoleArn: v.role!, ...(v['stage-to'] ? { stageTo: v['stage-to'] } : {}) },
      target: { region: opened.session.region, sandbox: opened.session.sandbox, ...(opened.session.profile ? { profile: opened.session.profile } : {}) },
      ...(concurrency !== undefined ? { concurrency } : {}),
      ...(stagedJobs ? { stagedJobs } : {}),
      onStarted: (batchId) => {
        if (v.json) io.out(`${JSON.stringify({ type: 'batch-started', batchId, jobs: plan.jobs.length + (stagedJobs?.length ?? 0), files: plan.totals.files, runsDir })}\n`);
        else io.out(`batch id: ${batchId}\n${plan.jobs.length + (stagedJobs?.length ?? 0)} import jobs for ${plan.totals.files.toLocaleString('en-US')} files; ledger in ${batchDir(runsDir, batchId)}\n`);
      },
    });
    return await finish(io, v, out, runsDir, v['runs-dir'] !== undefined);
  } catch (e) {
    if (signal.aborted && !(e instanceof UsageError)) {
      io.err(
        operation === 'CopyObject'
          ? 'Interrupted while staging: no import job was started. Run the same command again: the copies already made are kept and not repeated.\n'
          : 'Interrupted before the batch started: nothing was sent.\n',
      );
      return EXIT.interrupted;
    }
    return failure(io, e, operation);
  } finally {
    stop();
    await opened.close();
  }
}

/** The runs dir holding the batch: --runs-dir, else the default one (AWS's, then the sandbox's) that has it. */
function locateRunsDir(v: BatchValues, io: CliIO, batchId: string): string {
  if (v['runs-dir']) return v['runs-dir'];
  for (const sandbox of [false, true]) {
    const dir = defaultRunsDir(sandbox, io.env);
    if (existsSync(batchDir(dir, batchId))) return dir;
  }
  return defaultRunsDir(v.sandbox, io.env);
}

export async function batchResume(batchId: string, v: BatchValues, io: CliIO): Promise<ExitCode> {
  const concurrency = wholeNumber('concurrency', v.concurrency, 10_000);
  positiveNumber('poll-interval', v['poll-interval']);
  const runsDir = locateRunsDir(v, io, batchId);
  let where;
  try {
    where = await batchTarget(runsDir, batchId);
  } catch (e) {
    return failure(io, e, 'resume');
  }
  const sandbox = where.target.sandbox;
  const profile = v.profile ?? where.target.profile;
  const opened = await openBatchSession(io, { sandbox, ...(!sandbox && profile ? { profile } : {}), region: v.region ?? where.target.region });
  const { signal, stop } = interruptible(io);
  const print = printer(io, v.json);
  try {
    if (v.json) io.out(`${JSON.stringify({ type: 'batch-resumed', batchId, runsDir })}\n`);
    else io.out(`batch id: ${batchId} (resumed)\n`);
    const out = await resumeBatch({
      ...driveOptions(io, v, print, sandbox, signal),
      session: opened.session,
      runsDir,
      batchId,
      ...(concurrency !== undefined ? { concurrency } : {}),
    });
    return await finish(io, v, out, runsDir, v['runs-dir'] !== undefined);
  } catch (e) {
    if (signal.aborted) {
      io.err(`Interrupted. Resume with: ahi-onboard batch resume ${batchId}\n`);
      return EXIT.interrupted;
    }
    return failure(io, e, 'StartDICOMImportJob');
  } finally {
    stop();
    await opened.close();
  }
}
