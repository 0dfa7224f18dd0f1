/**
 * Attaching to an import job that is already running, whoever started it (the console, a script,
 * a colleague), as a run on the app's own timeline: a one-step Arazzo workflow that polls
 * GetDICOMImportJob with the engine's policy for it until COMPLETED or FAILED. Because it is an
 * ordinary run, everything a run has comes with it: the durable log, History, resume after a
 * restart, cancel ("stop watching": the job itself goes on), the results read from the job's
 * output location once it ended, and the report. Nothing is created or changed in AWS.
 */
import type { DICOMImportJobProperties } from '@aws-sdk/client-medical-imaging';
import type { AwsSession } from '../aws/session';
import type { RunContext } from '../engine/events';
import { loadWorkflowDocument } from '../engine/index';
import type { PollingOption } from '../engine/polling';
import type { WorkflowDocument } from '../arazzo/types';
import { ATTACH_WORKFLOW_ID } from '../healthimaging/workflows';
import type { RunStore } from '../runs/run-store';
import { getDatastore } from './datastores';
import { getImportJob } from './import-jobs';
import { RunAlreadyActiveError, type ActiveRun, type RunService } from './runs';

export { ATTACH_WORKFLOW_ID };

/**
 * The document of an attach run. Kept here rather than under assets/: the app writes it into every
 * attach run's log (as every run's document is), so a resume reads it from there, never from disk.
 * The polling step's criteria are the shipped workflows' pollImportJob, word for word.
 */
export const ATTACH_WORKFLOW_TEXT = `arazzo: 1.0.1
info:
  title: Watch an Amazon HealthImaging import job
  summary: Poll an import job that is already running until it is COMPLETED or FAILED.
  description: >-
    Attaches to a DICOM import job started elsewhere (the console, a script,
    another user) and polls it to the end. Read only: nothing is created or
    changed in the account.
  version: 1.0.0
sourceDescriptions:
- name: healthImagingApi
  url: ../openapi/amazon-healthimaging-openapi.yaml
  type: openapi
workflows:
- workflowId: ${ATTACH_WORKFLOW_ID}
  summary: Watch a running DICOM import job to its end.
  inputs:
    type: object
    required:
    - datastoreId
    - jobId
    - outputS3Uri
    properties:
      datastoreId:
        type: string
        pattern: '^[0-9a-z]{32}$'
        description: The data store the job imports into.
      jobId:
        type: string
        pattern: '^[0-9a-z]{1,32}$'
        description: The import job to watch.
      outputS3Uri:
        type: string
        description: Where the job writes its results (as GetDICOMImportJob reported it).
      datastoreName:
        type: string
        description: The data store's name, as GetDatastore gave it when the watch began.
      jobName:
        type: string
        description: The job's name, when it has one.
  steps:
  - stepId: pollImportJob
    description: >-
      Read the import job properties and check progress. Repeats while the job
      is still SUBMITTED or IN_PROGRESS.
    operationId: GetDICOMImportJob
    parameters:
    - name: datastoreId
      in: path
      value: $inputs.datastoreId
    - name: jobId
      in: path
      value: $inputs.jobId
    successCriteria:
    - condition: $statusCode == 200
    outputs:
      jobStatus: $response.body#/jobProperties/jobStatus
      endedAt: $response.body#/jobProperties/endedAt
    onSuccess:
    - name: jobCompleted
      type: end
      criteria:
      - context: $response.body
        condition: $.jobProperties.jobStatus == "COMPLETED"
        type: jsonpath
    - name: jobFailed
      type: end
      criteria:
      - context: $response.body
        condition: $.jobProperties.jobStatus == "FAILED"
        type: jsonpath
    - name: jobRunning
      type: goto
      stepId: pollImportJob
      criteria:
      - context: $response.body
        condition: $.jobProperties.jobStatus == "IN_PROGRESS"
        type: jsonpath
    - name: jobSubmitted
      type: goto
      stepId: pollImportJob
      criteria:
      - context: $response.body
        condition: $.jobProperties.jobStatus == "SUBMITTED"
        type: jsonpath
  outputs:
    datastoreId: $inputs.datastoreId
    jobId: $inputs.jobId
    jobStatus: $steps.pollImportJob.outputs.jobStatus
`;

let parsed: WorkflowDocument | undefined;
export function attachDocument(): { text: string; document: WorkflowDocument } {
  parsed ??= loadWorkflowDocument(ATTACH_WORKFLOW_TEXT);
  return { text: ATTACH_WORKFLOW_TEXT, document: parsed };
}

/** The attach run's inputs, from what HealthImaging says of the job and its store now. */
export function attachInputs(job: DICOMImportJobProperties, datastoreName?: string): Record<string, unknown> {
  if (!job.datastoreId || !job.jobId) throw new Error('GetDICOMImportJob answered without the job or data store id.');
  if (!job.outputS3Uri) throw new Error(`Import job ${job.jobId} has no output location: there would be no results to read.`);
  return {
    datastoreId: job.datastoreId,
    jobId: job.jobId,
    outputS3Uri: job.outputS3Uri,
    ...(datastoreName ? { datastoreName } : {}),
    ...(job.jobName ? { jobName: job.jobName } : {}),
  };
}

export interface AttachRequest {
  session: AwsSession;
  datastoreId: string;
  jobId: string;
  polling?: PollingOption;
  context?: RunContext;
  /**
   * The runs folder (History's data). A watch of this job that has not ended there (the app was
   * closed or killed while it watched; History may have resumed it since) is the watch: it is
   * answered, resumed if need be, rather than a second one started.
   */
  history?: RunStore;
}

/** A watch started or starting, by job: "Watch live" twice opens the one watch, never a second. */
const watches = new WeakMap<RunService, Map<string, Promise<{ run: ActiveRun; existing: boolean }>>>();

/** Where the job is (sandbox or endpoint, region) and which job it is. */
function keyOf(where: Pick<RunContext, 'sandbox' | 'endpoint' | 'region'>, datastoreId: unknown, jobId: unknown): string {
  // The sandbox's port changes with every start: it is one place whatever its endpoint.
  return [where.sandbox ? 'sandbox' : (where.endpoint ?? 'aws'), where.region, datastoreId, jobId].join('/');
}

const watchKey = (req: AttachRequest) => keyOf(req.session.describe(), req.datastoreId, req.jobId);

/**
 * Starts the watch, or answers the one already there for this job (`existing`): running in this
 * host, or unfinished in History from before a restart (resumed if History did not resume it).
 * The watch is registered before the first `await`, so two clicks that race both get the same run.
 * GetDICOMImportJob first (a job that does not exist fails here, with the AWS error, before any run
 * is recorded), GetDatastore for the store's name (best effort: History shows it), then the run. A
 * job that ended already is attached all the same: the run records its one status and its
 * results, which is what the user asked to see.
 */
export async function attachToImportJob(runs: RunService, req: AttachRequest): Promise<{ run: ActiveRun; existing: boolean }> {
  let byJob = watches.get(runs);
  if (!byJob) watches.set(runs, (byJob = new Map()));
  const key = watchKey(req);
  const pending = byJob.get(key);
  if (pending) {
    const found = await pending.catch(() => undefined);
    // Still watching: the same run. Ended (or failed to start) meanwhile: a new watch below.
    if (found && runs.get(found.run.runId)) return { run: found.run, existing: true };
    if (byJob.get(key) === pending) byJob.delete(key);
    return attachToImportJob(runs, req);
  }
  const starting = findOrStartWatch(runs, req);
  byJob.set(key, starting);
  const forget = () => {
    if (byJob.get(key) === starting) byJob.delete(key);
  };
  try {
    const found = await starting;
    void runs.settled(found.run.runId)?.then(forget);
    return found;
  } catch (e) {
    forget();
    throw e;
  }
}

/**
 * The watch of this job that History holds unfinished, newest first: a run of the attach workflow
 * for the same job in the same place whose log has no end (the app stopped it when it closed, or
 * it was killed). A damaged log is left to History's Repair; a watch that ended (completed, or
 * stopped by the user) is not taken up again: watching anew is a new watch.
 */
async function unfinishedWatch(history: RunStore, key: string): Promise<string | undefined> {
  const summaries = await history.list();
  return summaries.find(
    (s) => s.workflowId === ATTACH_WORKFLOW_ID && !s.ended && !s.damage && s.context && keyOf(s.context, s.inputs?.['datastoreId'], s.inputs?.['jobId']) === key,
  )?.runId;
}

async function findOrStartWatch(runs: RunService, req: AttachRequest): Promise<{ run: ActiveRun; existing: boolean }> {
  // The job first, as for a new watch: one that does not exist fails here with the AWS error.
  const job = await getImportJob(req.session, req.datastoreId, req.jobId);
  const earlier = req.history ? await unfinishedWatch(req.history, watchKey(req)) : undefined;
  if (earlier) {
    // Resumed from History after a restart: running already, only not registered here.
    const running = runs.get(earlier);
    if (running) return { run: running, existing: true };
    try {
      return { run: await resumeWatch(runs, req, earlier), existing: true };
    } catch (e) {
      // History's Resume got there first, between the look and the resume.
      const now = e instanceof RunAlreadyActiveError ? runs.get(earlier) : undefined;
      if (now) return { run: now, existing: true };
      throw e;
    }
  }
  return { run: await startWatch(runs, req, job), existing: false };
}

/** Resumes the earlier watch with the document it started with (from its log), polling as asked now. */
function resumeWatch(runs: RunService, req: AttachRequest, runId: string): Promise<ActiveRun> {
  return runs.resume(runId, async () => {
    const header = await req.history?.readHeader(runId);
    if (!header) throw new Error(`No run ${runId} in History.`);
    return {
      session: req.session,
      document: loadWorkflowDocument(header.workflowText),
      documentText: header.workflowText,
      ...(req.polling ? { polling: req.polling } : {}),
      ...(req.context ? { context: req.context } : {}),
    };
  });
}

async function startWatch(runs: RunService, req: AttachRequest, job: DICOMImportJobProperties): Promise<ActiveRun> {
  const datastoreName = await getDatastore(req.session, req.datastoreId)
    .then((d) => d.datastoreName)
    .catch(() => undefined);
  const { text, document } = attachDocument();
  return runs.start({
    session: req.session,
    document,
    documentText: text,
    workflowId: ATTACH_WORKFLOW_ID,
    inputs: attachInputs(job, datastoreName),
    ...(req.polling ? { polling: req.polling } : {}),
    ...(req.context ? { context: req.context } : {}),
  });
}
