/**
 * `ahi-onboard datastores | jobs | results | watch`: what the account holds, whoever made it.
 * Thin: parse, open a session, call core/app, print a table or JSON, map the end to an exit code.
 */
import { listDatastores, checkDatastoreStatus, getDatastore } from '../../core/app/datastores';
import { checkJobStatus, listImportJobs, readJobResults } from '../../core/app/import-jobs';
import { watchImportJob, type WatchEvent } from '../../core/app/watch';
import { AwsFaultError } from '../../core/aws/errors';
import { DEMO_POLLING } from '../../core/app/sandbox-host';
import type { PollingPolicy } from '../../core/engine/polling';
import { EXIT, UsageError, type ExitCode } from '../exit-codes';
import type { CliIO } from '../run/io';
import { LISTS_USAGE, parseListCommand, type ListCommand, type ListCommandName } from './args';
import { openListSession } from './session';
import { failedCount, resultsJson, resultsText } from './results-text';
import { plural, table, when } from './table';

const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';

function statusOrUsage<T>(check: (s: string | undefined) => T, s: string | undefined): T {
  try {
    return check(s);
  } catch (e) {
    throw new UsageError(`--${(e as Error).message}`);
  }
}

export async function listCommand(name: ListCommandName, args: string[], io: CliIO): Promise<ExitCode> {
  const cmd = parseListCommand(name, args);
  if (cmd.kind === 'help') {
    io.out(LISTS_USAGE + '\n');
    return EXIT.completed;
  }
  // Bad values are refused before anything is sent (or the sandbox started).
  const dsStatus = cmd.kind === 'datastores' ? statusOrUsage(checkDatastoreStatus, cmd.status) : undefined;
  const jobStatus = cmd.kind === 'jobs' ? statusOrUsage(checkJobStatus, cmd.status) : undefined;
  const opened = await openListSession(cmd.target, io);
  try {
    return await run(cmd, opened.session, io, { dsStatus, jobStatus });
  } catch (e) {
    if (e instanceof AwsFaultError) {
      const c = e.classification;
      io.err(`ahi-onboard ${name}: ${c.message}\n${c.action ? `${c.action}\n` : ''}`);
      return EXIT.awsError;
    }
    throw e;
  } finally {
    await opened.close();
  }
}

type Session = Awaited<ReturnType<typeof openListSession>>['session'];

async function run(cmd: Exclude<ListCommand, { kind: 'help' }>, session: Session, io: CliIO, f: { dsStatus: ReturnType<typeof checkDatastoreStatus>; jobStatus: ReturnType<typeof checkJobStatus> }): Promise<ExitCode> {
  const where = session.sandbox ? 'the sandbox' : `${session.region}${session.profile ? ` (profile ${session.profile})` : ''}`;
  switch (cmd.kind) {
    case 'datastores': {
      const stores = await listDatastores(session, f.dsStatus ? { status: f.dsStatus } : {});
      if (cmd.target.json) {
        io.out(json(stores.map((s) => ({ ...s, createdAt: s.createdAt?.toISOString(), updatedAt: s.updatedAt?.toISOString() }))));
        return EXIT.completed;
      }
      if (stores.length === 0) {
        io.out(`No data stores${f.dsStatus ? ` with status ${f.dsStatus}` : ''} in ${where}. Create one with: ahi-onboard run --inputs FILE.json\n`);
        return EXIT.completed;
      }
      io.out(table(['NAME', 'ID', 'STATUS', 'CREATED'], stores.map((s) => [s.datastoreName ?? '-', s.datastoreId ?? '-', s.datastoreStatus ?? '-', when(s.createdAt)])));
      io.out(`${plural(stores.length, 'data store')} in ${where}.\n`);
      return EXIT.completed;
    }
    case 'jobs': {
      // GetDatastore first: a wrong id gets "not found" naming the data store, not an empty list.
      await getDatastore(session, cmd.datastoreId);
      const jobs = await listImportJobs(session, cmd.datastoreId, f.jobStatus ? { status: f.jobStatus } : {});
      if (cmd.target.json) {
        io.out(json(jobs.map((j) => ({ ...j, submittedAt: j.submittedAt?.toISOString(), endedAt: j.endedAt?.toISOString() }))));
        return EXIT.completed;
      }
      if (jobs.length === 0) {
        io.out(`No import jobs${f.jobStatus ? ` with status ${f.jobStatus}` : ''} for data store ${cmd.datastoreId}. Start one with: ahi-onboard import --datastore-id ${cmd.datastoreId} --inputs FILE.json\n`);
        return EXIT.completed;
      }
      io.out(table(['JOB NAME', 'JOB ID', 'STATUS', 'SUBMITTED', 'ENDED'], jobs.map((j) => [j.jobName ?? '-', j.jobId ?? '-', j.jobStatus ?? '-', when(j.submittedAt), when(j.endedAt)])));
      io.out(`${plural(jobs.length, 'import job')}. Details: ahi-onboard results --datastore-id ${cmd.datastoreId} --job-id JOB_ID\n`);
      return EXIT.completed;
    }
    case 'results': {
      const { job, results } = await readJobResults(session, cmd.datastoreId, cmd.jobId);
      io.out(cmd.target.json ? json(resultsJson(job, results)) : resultsText(job, results));
      // Results that could not be read (access denied, bucket gone): an AWS error the user must fix.
      return results && results.state !== 'read' ? EXIT.awsError : EXIT.completed;
    }
    case 'watch':
      return watch(cmd, session, io);
  }
}

async function watch(cmd: Extract<ListCommand, { kind: 'watch' }>, session: Session, io: CliIO): Promise<ExitCode> {
  const polling: Partial<PollingPolicy> = {
    ...(session.sandbox ? DEMO_POLLING : {}),
    ...(cmd.pollInterval !== undefined ? { initialDelayMs: Math.round(cmd.pollInterval * 1000), fastPhaseMs: 0 } : {}),
    ...(cmd.pollMaxInterval !== undefined ? { maxDelayMs: Math.round(cmd.pollMaxInterval * 1000) } : {}),
  };
  if (polling.initialDelayMs !== undefined && polling.maxDelayMs !== undefined && polling.maxDelayMs < polling.initialDelayMs) polling.maxDelayMs = polling.initialDelayMs;
  const stop = new AbortController();
  const unsubscribe = io.onSignal(() => stop.abort());
  const print = (e: WatchEvent) => {
    if (cmd.target.json) {
      io.out(JSON.stringify(e.type === 'waiting' ? e : { type: e.type, jobStatus: e.job.jobStatus, polls: e.polls, at: new Date().toISOString(), ...(e.type === 'status' && e.previous ? { previous: e.previous } : {}) }) + '\n');
      return;
    }
    if (e.type === 'status') io.out(`${when(new Date())}  ${e.job.jobStatus}${e.previous ? ` (was ${e.previous})` : ''}  job ${e.job.jobId}${e.job.jobName ? ` (${e.job.jobName})` : ''}\n`);
    if (e.type === 'waiting') io.err(`${when(new Date())}  ${e.reason === 'throttled' ? 'Throttled' : 'No answer'} (${e.code}); asking again in ${Math.round(e.retryInMs / 1000)} s\n`);
  };
  try {
    const end = await watchImportJob(session, { datastoreId: cmd.datastoreId, jobId: cmd.jobId, polling, signal: stop.signal, onEvent: print });
    if (end.kind === 'cancelled') {
      io.err(`Stopped watching (the job goes on). Watch again with: ahi-onboard watch --datastore-id ${cmd.datastoreId} --job-id ${cmd.jobId}\n`);
      return EXIT.interrupted;
    }
    if (end.kind === 'timed-out') {
      io.err(`The job has not ended within the watch deadline (${end.job?.jobStatus ?? 'no status'}). Watch again to keep following it.\n`);
      return EXIT.deadline;
    }
    const { job, results } = await readJobResults(session, cmd.datastoreId, cmd.jobId, { attempts: 5, delayMs: session.sandbox ? 500 : 3000, signal: stop.signal });
    if (cmd.target.json) io.out(JSON.stringify({ type: 'results', ...resultsJson(job, results) }) + '\n');
    else io.out('\n' + resultsText(job, results));
    if (job.jobStatus === 'FAILED') return EXIT.workflowFailed;
    return results?.state === 'read' && failedCount(results) > 0 ? EXIT.completedWithErrors : EXIT.completed;
  } finally {
    unsubscribe();
  }
}
