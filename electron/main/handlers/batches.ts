/**
 * "Import an archive" (issue 14): planning is done here, with the session's S3 client (a
 * ListObjectsV2 listing, nothing started); everything that runs a batch goes to a BatchService
 * (core/app/batch-service-types.ts), which the runner's application layer implements. Without one
 * those commands say so instead of pretending. Bad input is refused before anything reaches AWS,
 * with a message naming the field and its rule.
 */
import type { BatchArchiveRequest, BatchPlanSummary, HandlersFor } from '../../../contract/ipc';
import { createBatchService, type AppBatchService, type BatchServiceOptions } from '../../../core/app/batch-service';
import type { BatchService } from '../../../core/app/batch-service-types';
import { planArchiveFromS3 } from '../../../core/batch/list-archive';
import { parseArchiveUri, PlanInputError, type BatchPlan } from '../../../core/batch/plan';
import { checkField } from '../../../core/healthimaging/field-rules';
import { batchReportFileName, exportBatchReport } from '../../../core/report/batch-report';
import type { HandlerContext, HandlerDeps } from './context';

export type BatchHandlers = HandlersFor<'batch:plan' | 'batch:start' | 'batch:pause' | 'batch:resume' | 'batch:cancel' | 'batches:list' | 'batch:report' | 'batch:export'>;

export class BatchInputError extends Error {
  override name = 'BatchInputError';
}

export class BatchUnavailableError extends Error {
  override name = 'BatchUnavailableError';
  constructor() {
    super('Importing an archive is not available in this build: the batch runner is not connected.');
  }
}

/** Import jobs a data store runs at once by default (the quota; 20 in ap-southeast-2). */
export function defaultConcurrency(region: string): number {
  return region === 'ap-southeast-2' ? 20 : 100;
}

/** ListDICOMImportJobs pages hold up to 50 jobs: one call per poll watches that many. */
const LIST_JOBS_PAGE = 50;

/**
 * What the batch will call, by operation: one StartDICOMImportJob and one manifest read (GetObject)
 * per job, and per poll one ListDICOMImportJobs page for every 50 jobs running at once (not one
 * GetDICOMImportJob per job).
 */
export function expectedApiCalls(jobs: number, concurrency: number): Record<string, number> {
  if (jobs === 0) return {};
  return {
    StartDICOMImportJob: jobs,
    'ListDICOMImportJobs per poll': Math.ceil(Math.min(jobs, concurrency) / LIST_JOBS_PAGE),
    GetObject: jobs,
  };
}

/** Every field the archive needs, checked by HealthImaging's rules; the first problem per field. */
export function batchArchiveIssues(request: BatchArchiveRequest): Array<{ field: string; message: string }> {
  const issues: Array<{ field: string; message: string }> = [];
  const labels = { datastoreId: 'Data store ID', inputS3Uri: 'Archive location', outputS3Uri: 'Output location', dataAccessRoleArn: 'Data access role' } as const;
  for (const [field, label] of Object.entries(labels) as Array<[keyof typeof labels, string]>) {
    const value = request[field];
    const message = !value ? `${label} is required` : checkField(field, value, label);
    if (message) issues.push({ field, message });
  }
  for (const field of ['inputS3Uri', 'outputS3Uri'] as const) {
    if (issues.some((i) => i.field === field)) continue;
    try {
      parseArchiveUri(request[field], labels[field]);
    } catch (error) {
      issues.push({ field, message: (error as Error).message });
    }
  }
  return issues;
}

export function planSummary(plan: BatchPlan & { listCalls: number }, concurrency: number): BatchPlanSummary {
  return {
    inputS3Uri: `s3://${plan.bucket}/${plan.prefix}`,
    limits: plan.limits,
    jobs: plan.jobs.map((j) => ({ inputS3Uri: j.inputS3Uri, files: j.files, bytes: j.bytes })),
    unsplittable: plan.unsplittable.map((u) => ({ prefix: u.prefix, files: u.files, bytes: u.bytes, reason: u.reason, detail: u.detail, stageable: u.stageable })),
    totals: plan.totals,
    listCalls: plan.listCalls,
    expectedApiCalls: { ListObjectsV2: plan.listCalls, ...expectedApiCalls(plan.jobs.length, concurrency) },
  };
}

function refuseBadInput(request: BatchArchiveRequest): void {
  const issues = batchArchiveIssues(request);
  if (issues.length) throw new BatchInputError(issues.map((i) => i.message).join('; '));
}

export function batchHandlers({ deps, sessions, assertOpen }: HandlerContext, service: BatchService | undefined): BatchHandlers {
  const need = (): BatchService => {
    if (!service) throw new BatchUnavailableError();
    return service;
  };
  return {
    async 'batch:plan'(request) {
      assertOpen();
      refuseBadInput(request);
      const session = await sessions.sessionFor({ profile: request.profile, region: request.region });
      try {
        const plan = await planArchiveFromS3(session.s3, request.inputS3Uri, request.limits ? { limits: request.limits } : {});
        return planSummary(plan, defaultConcurrency(session.region));
      } catch (error) {
        if (error instanceof PlanInputError) throw new BatchInputError(error.message);
        throw error;
      }
    },
    async 'batch:start'(request) {
      assertOpen();
      refuseBadInput(request);
      if (request.stageTo) {
        try {
          parseArchiveUri(request.stageTo, 'Staging location');
        } catch (error) {
          throw new BatchInputError((error as Error).message);
        }
      }
      return need().start(request);
    },
    async 'batch:pause'({ batchId }) {
      await need().pause(batchId);
    },
    async 'batch:resume'({ batchId }) {
      assertOpen();
      await need().resume(batchId);
    },
    async 'batch:cancel'({ batchId }) {
      await need().cancel(batchId);
    },
    async 'batches:list'() {
      return service ? service.list() : [];
    },
    async 'batch:report'({ batchId }) {
      return need().report(batchId);
    },
    async 'batch:export'({ batchId, format }) {
      const report = await need().report(batchId);
      const filePath = await deps.dialogs.saveReport(batchReportFileName(report, format), format);
      if (!filePath) return { saved: false };
      await exportBatchReport(report, format, filePath, { printToPdf: deps.printToPdf, ...(deps.appInfo?.version ? { product: { name: deps.appInfo.name ?? 'HealthImaging Onboarding', version: deps.appInfo.version } } : {}) });
      return { saved: true, path: filePath };
    },
  };
}

/** Pushes every batch change to the window; returns the unsubscribe (dispose calls it). */
export function pushBatchProgress(service: BatchService | undefined, deps: Pick<HandlerDeps, 'push'>): () => void {
  return service ? service.onProgress((update) => deps.push('batch:progress', update)) : () => undefined;
}

/**
 * The batch runner as both hosts (the Electron main, the e2e browser host) give it to the handlers:
 * over the app's sessions, batches kept under the app's runs dir. `more` adds the host's own hooks
 * (the Electron main's notification at a batch's end).
 */
export function appBatchService(more: Omit<BatchServiceOptions, 'runsDir' | 'sessions'> = {}): (ctx: HandlerContext) => AppBatchService {
  return (ctx) => createBatchService({ runsDir: ctx.deps.runsDir, sessions: ctx.sessions, ...more });
}
