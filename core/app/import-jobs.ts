/**
 * Import jobs of a data store, whoever started them: ListDICOMImportJobs through all its pages
 * (optionally one status), GetDICOMImportJob for one, and what the job really did, read from its
 * output location (core/report/import-results.ts).
 */
import { GetDICOMImportJobCommand, paginateListDICOMImportJobs, type DICOMImportJobProperties, type DICOMImportJobSummary, type JobStatus } from '@aws-sdk/client-medical-imaging';
import type { AwsSession } from '../aws/session';
import type { ImportResults } from '../engine/events';
import { readImportResults, type ReadImportResultsOptions } from '../report/import-results';
import { awsFault, sendOptions, type AwsCallOptions } from './datastores';

export const JOB_STATUSES = ['SUBMITTED', 'IN_PROGRESS', 'COMPLETED', 'FAILED'] as const satisfies readonly JobStatus[];

type Session = Pick<AwsSession, 'medicalImaging' | 'profile'>;

export function checkJobStatus(status: string | undefined): JobStatus | undefined {
  if (status === undefined) return undefined;
  const s = status.trim().toUpperCase();
  if (!(JOB_STATUSES as readonly string[]).includes(s)) throw new RangeError(`status must be one of ${JOB_STATUSES.join(', ')} (got "${status}").`);
  return s as JobStatus;
}

/** All import jobs of the data store (every page), newest first. */
export async function listImportJobs(session: Session, datastoreId: string, opts: AwsCallOptions & { status?: JobStatus; pageSize?: number } = {}): Promise<DICOMImportJobSummary[]> {
  const all: DICOMImportJobSummary[] = [];
  try {
    const pages = paginateListDICOMImportJobs({ client: session.medicalImaging, pageSize: opts.pageSize ?? 50 }, { datastoreId, ...(opts.status ? { jobStatus: opts.status } : {}) }, ...sendOptions(opts));
    for await (const page of pages) all.push(...(page.jobSummaries ?? []));
  } catch (err) {
    awsFault(err, 'ListDICOMImportJobs', session);
  }
  return all.sort((a, b) => (b.submittedAt?.getTime() ?? 0) - (a.submittedAt?.getTime() ?? 0));
}

export async function getImportJob(session: Session, datastoreId: string, jobId: string, opts: AwsCallOptions = {}): Promise<DICOMImportJobProperties> {
  try {
    const out = await session.medicalImaging.send(new GetDICOMImportJobCommand({ datastoreId, jobId }), opts.signal ? { abortSignal: opts.signal } : {});
    if (!out.jobProperties) throw new Error('GetDICOMImportJob answered without jobProperties.');
    return out.jobProperties;
  } catch (err) {
    awsFault(err, 'GetDICOMImportJob', session);
  }
}

export interface JobResults {
  job: DICOMImportJobProperties;
  /** Absent while the job has not ended: there is nothing to read yet. */
  results?: ImportResults;
}

/** The job and, once it has ended, its results from its outputS3Uri (GetDICOMImportJob reports the job folder). */
export async function readJobResults(session: Session & Pick<AwsSession, 's3'>, datastoreId: string, jobId: string, opts: AwsCallOptions & Omit<ReadImportResultsOptions, 'signal'> = {}): Promise<JobResults> {
  const job = await getImportJob(session, datastoreId, jobId, opts);
  if (job.jobStatus !== 'COMPLETED' && job.jobStatus !== 'FAILED') return { job };
  if (!job.outputS3Uri) return { job, results: { state: 'error', message: 'GetDICOMImportJob gave no outputS3Uri: there is no output location to read the results from.' } };
  const results = await readImportResults(session.s3, { outputS3Uri: job.outputS3Uri, datastoreId, jobId }, { attempts: opts.attempts ?? 1, ...(opts.delayMs !== undefined ? { delayMs: opts.delayMs } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
  return { job, results };
}
