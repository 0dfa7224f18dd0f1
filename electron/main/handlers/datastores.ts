/**
 * Data stores and import jobs of the account, whoever made them (issue 13): the console's Data
 * stores page, a store's page, a job's page, deleting an empty store, and watching a running job
 * on the run timeline. The application layer (core/app) does the work; these turn the SDK's shapes
 * into plain data for the page: ids, names, statuses, ISO dates, never a credential.
 */
import type { DICOMImportJobProperties, DICOMImportJobSummary, DatastoreProperties, DatastoreSummary } from '@aws-sdk/client-medical-imaging';
import type { DatastoreDetails, DatastoreRow, HandlersFor, ImportJobDetails, ImportJobRow } from '../../../contract/ipc';
import { attachToImportJob } from '../../../core/app/attach';
import { deleteDatastoreIfAllowed, deletionCheck, listDatastoreTags } from '../../../core/app/datastore-admin';
import { getDatastore, listDatastores } from '../../../core/app/datastores';
import { checkJobStatus, getImportJob, listImportJobs, readJobResults } from '../../../core/app/import-jobs';
import { DEMO_POLLING } from '../../../core/app/sandbox-host';
import { isSandboxTarget } from '../../../core/app/sessions';
import { consoleLinksApply, datastoreConsoleUrl, importJobConsoleUrl } from '../../../core/healthimaging/console-links';
import type { HandlerContext } from './context';

export type DatastoreHandlers = HandlersFor<'datastores:list' | 'datastore:get' | 'datastore:delete' | 'jobs:list' | 'job:get' | 'job:results' | 'job:attach'>;

/** `{ key: date.toISOString() }` when the date is there, nothing otherwise (exactOptionalPropertyTypes). */
const isoField = (key: string, d: Date | undefined) => (d instanceof Date && !Number.isNaN(d.getTime()) ? { [key]: d.toISOString() } : {});
const textField = (key: string, v: string | undefined) => (v ? { [key]: v } : {});

function datastoreRow(d: DatastoreSummary | DatastoreProperties): DatastoreRow {
  return {
    datastoreId: d.datastoreId ?? '',
    datastoreName: d.datastoreName ?? '',
    datastoreStatus: d.datastoreStatus ?? 'UNKNOWN',
    ...textField('datastoreArn', d.datastoreArn),
    ...isoField('createdAt', d.createdAt),
    ...isoField('updatedAt', d.updatedAt),
  };
}

function jobRow(j: DICOMImportJobSummary | DICOMImportJobProperties): ImportJobRow {
  return {
    jobId: j.jobId ?? '',
    datastoreId: j.datastoreId ?? '',
    jobStatus: j.jobStatus ?? 'UNKNOWN',
    ...textField('jobName', j.jobName),
    ...textField('dataAccessRoleArn', j.dataAccessRoleArn),
    ...isoField('submittedAt', j.submittedAt),
    ...isoField('endedAt', j.endedAt),
    ...textField('message', j.message),
  };
}

export function datastoreHandlers({ store: history, runs, sessions, assertOpen }: HandlerContext): DatastoreHandlers {
  /** The console link only where the console can show the store (not the sandbox, not a custom endpoint). */
  const links = async (target: { profile: string; region: string }) => {
    const session = await sessions.sessionFor(target);
    const context = session.describe();
    return { session, context, linkable: consoleLinksApply(context) };
  };

  const jobDetails = (j: DICOMImportJobProperties, region: string, withLinks: boolean): ImportJobDetails => {
    const url = withLinks && j.datastoreId && j.jobId ? importJobConsoleUrl(region, j.datastoreId, j.jobId) : undefined;
    return { ...jobRow(j), ...textField('inputS3Uri', j.inputS3Uri), ...textField('outputS3Uri', j.outputS3Uri), ...textField('consoleUrl', url) };
  };

  return {
    async 'datastores:list'(target) {
      const session = await sessions.sessionFor(target);
      return (await listDatastores(session)).map(datastoreRow);
    },

    async 'datastore:get'(request) {
      const { session, context, linkable } = await links(request);
      const store = await getDatastore(session, request.datastoreId);
      const sandbox = isSandboxTarget(request);
      const [tags, deletion] = await Promise.all([store.datastoreArn ? listDatastoreTags(session, store.datastoreArn) : Promise.resolve<Record<string, string>>({}), deletionCheck(session, store, { sandbox })]);
      const url = linkable ? datastoreConsoleUrl(context.region, request.datastoreId) : undefined;
      const details: DatastoreDetails = {
        ...datastoreRow(store),
        ...textField('kmsKeyArn', store.kmsKeyArn),
        ...textField('losslessStorageFormat', store.losslessStorageFormat),
        tags,
        ...textField('consoleUrl', url),
        deletion,
        sandbox,
      };
      return details;
    },

    async 'datastore:delete'(request) {
      assertOpen();
      const session = await sessions.sessionFor(request);
      // Never trusts the page's "allowed": the store is read and checked again here.
      return deleteDatastoreIfAllowed(session, request.datastoreId, { sandbox: isSandboxTarget(request) });
    },

    async 'jobs:list'(request) {
      const session = await sessions.sessionFor(request);
      const status = checkJobStatus(request.status);
      return (await listImportJobs(session, request.datastoreId, status ? { status } : {})).map(jobRow);
    },

    async 'job:get'(request) {
      const { session, context, linkable } = await links(request);
      return jobDetails(await getImportJob(session, request.datastoreId, request.jobId), context.region, linkable);
    },

    async 'job:results'(request) {
      const { session, context, linkable } = await links(request);
      // The store's name for the page's breadcrumb: best effort, the job is what was asked for.
      const [{ job, results }, datastoreName] = await Promise.all([
        readJobResults(session, request.datastoreId, request.jobId),
        getDatastore(session, request.datastoreId)
          .then((d) => d.datastoreName)
          .catch(() => undefined),
      ]);
      return { job: { ...jobDetails(job, context.region, linkable), ...textField('datastoreName', datastoreName) }, ...(results ? { results } : {}) };
    },

    async 'job:attach'(request) {
      assertOpen();
      const session = await sessions.sessionFor(request);
      await session.identity().catch(() => undefined);
      const { run, existing } = await attachToImportJob(runs, {
        session,
        datastoreId: request.datastoreId,
        jobId: request.jobId,
        context: session.describe(),
        // A watch from before the app was restarted is this job's watch: no second one.
        history,
        // The sandbox's demo pace, as every sandbox run; AWS jobs get the engine's own policy.
        ...(isSandboxTarget(request) ? { polling: DEMO_POLLING } : {}),
      });
      return { runId: run.runId, ...(existing ? { alreadyWatching: true } : {}) };
    },
  };
}
