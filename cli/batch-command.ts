/**
 * `ahi-onboard batch plan`: an archive prefix cut into import jobs within HealthImaging's limits
 * (core/batch/plan.ts). Lists the prefix (progress on stderr), prints the jobs and any prefix that
 * needs staging. Exit 0 when every object is covered by a job, 1 when a prefix needs staging (or a
 * file cannot be imported), 2 bad usage (nothing sent), 3 an AWS error.
 */
import { AwsSetupError, classifyAwsError } from '../core/aws/errors';
import { createAwsSession, type AwsSession } from '../core/aws/session';
import { planArchiveFromS3 } from '../core/batch/list-archive';
import { formatBytes, PlanInputError, type BatchPlan } from '../core/batch/plan';
import { checkPlanArgs, parseBatchArgs, type BatchValues } from './batch/args';
import { sandboxDataDir } from './data-dir';
import { EXIT, UsageError, type ExitCode } from './exit-codes';
import type { CliIO } from './run/io';
import { startDemoSandbox, type DemoSandbox } from './sandbox';

export const BATCH_USAGE = `Usage: ahi-onboard batch plan --datastore-id ID --input s3://BUCKET/PREFIX/ --output s3://BUCKET/OUT/
                              --role ARN [--max-files N] [--max-gb N] [--json]
                              [--profile NAME] [--region R] [--sandbox]
  Lists the archive under --input and cuts it into the fewest import jobs HealthImaging accepts: at
  most --max-files files (default 5,000, the adjustable quota), --max-gb GB (default and maximum 10)
  and 10,000 nested folders per job, keeping folders (and so series) together. A folder whose own
  files are over a limit cannot be split by prefix: it is listed as needing staging (--stage-to).
  Exit 0 every object covered, 1 a prefix needs staging, 2 bad usage, 3 AWS error.

       ahi-onboard batch run (the plan's arguments) [--concurrency N] [--stage-to s3://BUCKET/PREFIX/]
                             [--runs-dir DIR] [--report FILE.json] [--json] [--poll-interval SECONDS]
                             [--skip-preflight]
  Runs the preflight's role, bucket and region checks first (a blocking problem starts nothing,
  exit 1; --skip-preflight starts anyway), plans, then imports every job: at most --concurrency jobs at once (default the region's quota:
  100, 20 in ap-southeast-2), starts paced to StartDICOMImportJob's rate, watched with
  ListDICOMImportJobs. Prints "batch id: ID" and a line per change (jobs done/total, files imported,
  ETA). The batch's ledger (<runs-dir>/batches/ID/) survives kills: resume it. Without --stage-to a
  plan with folders that need staging starts nothing; with it, those folders' objects are copied
  server side (S3 CopyObject) into part-0001/, part-0002/... under it, and the parts imported.
  Ctrl-C stops sending; running jobs keep running.
  Exit 0 all COMPLETED with no failed file, 5 completed with failed files, 1 a job FAILED (or a
  prefix needs staging), 2 bad usage, 3 AWS error, 6 the batch is in use, 130 interrupted.

       ahi-onboard batch resume BATCH_ID [--runs-dir DIR] [--retry-failed] [--concurrency N]
                                [--report FILE.json] [--json] [--profile NAME] [--region R]
  Goes on from the ledger: prefixes a kill left half-started are settled with the same client token
  (never started twice), running jobs are watched, the queue goes on. --retry-failed starts the
  FAILED prefixes again (a new attempt). Same exit codes as run.

       ahi-onboard batch report BATCH_ID [--format json|html|md|pdf] [-o FILE] [--runs-dir DIR]
       ahi-onboard batch list [--runs-dir DIR] [--json]
  The batch's report from its ledger (nothing sent): {"batchId", "jobs": [{"inputS3Uri", "jobId",
  "status", "scanned", "imported", "failed"}], "totals": {"scanned", "imported", "failed", "imageSets"}}.`;

export function formatPlan(plan: BatchPlan & { listCalls: number }): string {
  const lines: string[] = [];
  const files = plan.jobs.reduce((n, j) => n + j.files, 0);
  const bytes = plan.jobs.reduce((n, j) => n + j.bytes, 0);
  lines.push(`Archive s3://${plan.bucket}/${plan.prefix}: ${plan.totals.files.toLocaleString('en-US')} files, ${formatBytes(plan.totals.bytes)}, ${plan.totals.folders.toLocaleString('en-US')} folders (${plan.listCalls} ListObjectsV2 ${plan.listCalls === 1 ? "call" : "calls"})`);
  lines.push(`Limits per job: ${plan.limits.maxFiles.toLocaleString('en-US')} files, ${formatBytes(plan.limits.maxBytes)}, ${plan.limits.maxFolders.toLocaleString('en-US')} nested folders`);
  lines.push('');
  lines.push(`${plan.jobs.length} import ${plan.jobs.length === 1 ? 'job covers' : 'jobs cover'} ${files.toLocaleString('en-US')} files (${formatBytes(bytes)}):`);
  const width = Math.min(80, Math.max(10, ...plan.jobs.map((j) => j.inputS3Uri.length)));
  for (const j of plan.jobs) lines.push(`  ${j.inputS3Uri.padEnd(width)}  ${j.files.toLocaleString('en-US').padStart(7)} files  ${formatBytes(j.bytes).padStart(8)}`);
  if (plan.unsplittable.length > 0) {
    lines.push('', `Not covered by any job (${plan.unsplittable.length}):`);
    for (const u of plan.unsplittable) lines.push(`  ${u.prefix}  ${u.files.toLocaleString('en-US')} files  ${formatBytes(u.bytes)}`, `    ${u.detail}`);
  } else {
    lines.push('', 'Every object is covered by exactly one job.');
  }
  return lines.join('\n') + '\n';
}

export async function batchCommand(argv: string[], io: CliIO): Promise<ExitCode> {
  const { values: v, positionals } = parseBatchArgs(argv);
  if (v.help || positionals.length === 0) {
    io.out(BATCH_USAGE + '\n');
    return v.help ? EXIT.completed : EXIT.usage;
  }
  const [sub, ...rest] = positionals;
  const one = (what: string) => {
    if (rest.length !== 1) throw new UsageError(`batch ${sub}: give exactly one ${what}.`, `Use: ahi-onboard batch ${sub} ${what.toUpperCase().replace(/ /g, '_')} (see --help).`);
    return rest[0]!;
  };
  switch (sub) {
    case 'plan':
      if (rest.length) break;
      return batchPlan(v, io);
    case 'run':
      if (rest.length) break;
      return (await import('./batch/run')).batchRun(v, io);
    case 'resume':
      return (await import('./batch/run')).batchResume(one('batch id'), v, io);
    case 'report':
      return (await import('./batch/report')).batchReportCommand(one('batch id'), v, io);
    case 'list':
      if (rest.length) break;
      return (await import('./batch/report')).batchListCommand(v, io);
  }
  throw new UsageError(`batch: unknown subcommand "${positionals.join(' ')}".`, 'Use: ahi-onboard batch plan|run|resume|report|list ... (see --help).');
}

async function batchPlan(v: BatchValues, io: CliIO): Promise<ExitCode> {
  const { limits } = checkPlanArgs('plan', v);
  let demo: DemoSandbox | undefined;
  let session: AwsSession | undefined;
  try {
    if (v.sandbox) demo = await startDemoSandbox({ dataDir: sandboxDataDir(io.env) });
    try {
      session = await createAwsSession({
        ...(demo ? { sandbox: demo.target } : {}),
        ...(!demo && v.profile ? { profile: v.profile } : {}),
        ...(!demo && v.region ? { region: v.region } : {}),
        env: io.env,
      });
    } catch (e) {
      if (e instanceof AwsSetupError) throw new UsageError(e.message, e.action);
      throw e;
    }
    const opened = session;
    io.guard?.addSecrets(() => opened.secretsInUse());
    const abort = new AbortController();
    const stop = io.onSignal(() => abort.abort(new Error('interrupted')));
    let plan;
    try {
      plan = await planArchiveFromS3(session.s3, v.input!, {
        limits,
        signal: abort.signal,
        onProgress: (p) => {
          if (!v.json && p.pages % 10 === 1) io.err(`Listing ${v.input}: ${p.objects.toLocaleString('en-US')} objects...\n`);
        },
      });
    } catch (e) {
      if (abort.signal.aborted) {
        io.err('Interrupted: nothing was planned.\n');
        return EXIT.interrupted;
      }
      throw e;
    } finally {
      stop();
    }
    if (v.json) {
      io.out(
        JSON.stringify(
          {
            jobs: plan.jobs.map((j) => ({ inputS3Uri: j.inputS3Uri, files: j.files, bytes: j.bytes, folders: j.folders })),
            unsplittable: plan.unsplittable.map((u) => ({ prefix: u.prefix, files: u.files, bytes: u.bytes, reason: u.reason, detail: u.detail, stageable: u.stageable })),
            totals: plan.totals,
            limits: plan.limits,
            listCalls: plan.listCalls,
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      io.out(formatPlan(plan));
    }
    return plan.unsplittable.length > 0 ? EXIT.workflowFailed : EXIT.completed;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    if (e instanceof PlanInputError) throw new UsageError(`batch plan: ${e.message}`);
    const c = classifyAwsError(e, { operation: 'ListObjectsV2', ...(v.profile ? { profile: v.profile } : {}) });
    io.err(`${c.message}\n${c.action ? `${c.action}\n` : ''}Nothing was planned.\n`);
    return EXIT.awsError;
  } finally {
    session?.close();
    await demo?.sandbox.close();
  }
}
