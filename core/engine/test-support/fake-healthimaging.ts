/**
 * An in-memory stand-in for the HealthImaging binding, for the engine's unit tests only (the
 * integration tests use the real SDK against the sandbox). Statuses follow scripts; faults can be
 * queued per operation; create/start are idempotent by client token like the real service.
 */
import type { FaultKind, OperationBinding, OperationRequest, OperationResponse } from '../binding';

export type FakeFault = { fault: Exclude<FaultKind, 'none'>; code: string; statusCode: number; retryAfterMs?: number; message?: string };

export const THROTTLED: FakeFault = { fault: 'throttled', code: 'ThrottlingException', statusCode: 429 };
export const INTERNAL: FakeFault = { fault: 'transient', code: 'InternalServerException', statusCode: 500 };
export const NETWORK: FakeFault = { fault: 'transient', code: 'NetworkError', statusCode: 0 };
export const EXPIRED: FakeFault = { fault: 'credentials', code: 'ExpiredTokenException', statusCode: 403 };
export const DENIED: FakeFault = { fault: 'client', code: 'AccessDeniedException', statusCode: 403 };
export const INVALID: FakeFault = { fault: 'client', code: 'ValidationException', statusCode: 400 };

export interface FakeOptions {
  /** Successive GetDatastore statuses; the last one repeats. */
  datastoreStatuses?: string[];
  /** Successive GetDICOMImportJob statuses; the last one repeats. */
  jobStatuses?: string[];
  /** Per-operation faults answered (in order) before normal handling. */
  faults?: Partial<Record<string, FakeFault[]>>;
  /** Called before answering, e.g. to cancel mid-request. */
  onSend?: (request: OperationRequest, signal?: AbortSignal) => void | Promise<void>;
}

export interface FakeHealthImaging extends OperationBinding {
  calls: OperationRequest[];
  count(operationId: string): number;
  /** Distinct resources created (idempotent re-sends do not add). */
  created: { datastores: number; jobs: number };
  faults: Partial<Record<string, FakeFault[]>>;
}

const OPS: Record<string, string[]> = {
  CreateDatastore: [],
  GetDatastore: ['datastoreId'],
  StartDICOMImportJob: ['datastoreId'],
  GetDICOMImportJob: ['datastoreId', 'jobId'],
};

export function createFakeHealthImaging(opts: FakeOptions = {}): FakeHealthImaging {
  const calls: OperationRequest[] = [];
  const tokens = new Map<string, string>();
  const dsStatuses = [...(opts.datastoreStatuses ?? ['CREATING', 'ACTIVE'])];
  const jobStatuses = [...(opts.jobStatuses ?? ['SUBMITTED', 'IN_PROGRESS', 'COMPLETED'])];
  let dsPoll = 0;
  let jobPoll = 0;
  const created = { datastores: 0, jobs: 0 };
  const faults = opts.faults ?? {};
  const ok = (body: unknown): OperationResponse => ({ statusCode: 200, body, headers: { 'x-amzn-requestid': `req-${calls.length}` }, requestId: `req-${calls.length}`, fault: 'none' });
  return {
    calls,
    created,
    faults,
    count: (op) => calls.filter((c) => c.operationId === op).length,
    has: (op) => op in OPS,
    pathParameters: (op) => OPS[op],
    async send(request, signal) {
      calls.push(structuredClone(request));
      await opts.onSend?.(request, signal);
      if (signal?.aborted) throw signal.reason;
      const f = faults[request.operationId]?.shift();
      if (f)
        return {
          statusCode: f.statusCode,
          body: { __type: f.code, message: f.message ?? `${f.code} (fake)` },
          headers: {},
          fault: f.fault,
          error: { code: f.code, message: f.message ?? `${f.code} (fake)` },
          ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
        };
      const body = (request.body ?? {}) as Record<string, unknown>;
      switch (request.operationId) {
        case 'CreateDatastore': {
          const key = `ds:${String(body.clientToken)}`;
          if (!tokens.has(key)) {
            tokens.set(key, 'd'.repeat(31) + String(created.datastores));
            created.datastores += 1;
          }
          return ok({ datastoreId: tokens.get(key), datastoreStatus: 'CREATING' });
        }
        case 'GetDatastore': {
          const status = dsStatuses[Math.min(dsPoll++, dsStatuses.length - 1)];
          return ok({ datastoreProperties: { datastoreId: request.pathParameters.datastoreId, datastoreName: 'n', datastoreStatus: status, createdAt: 1767000000 } });
        }
        case 'StartDICOMImportJob': {
          const key = `job:${String(body.clientToken)}`;
          if (!tokens.has(key)) {
            tokens.set(key, `job${created.jobs}`);
            created.jobs += 1;
          }
          return ok({ datastoreId: request.pathParameters.datastoreId, jobId: tokens.get(key), jobStatus: 'SUBMITTED', submittedAt: 1767000100 });
        }
        case 'GetDICOMImportJob': {
          const status = jobStatuses[Math.min(jobPoll++, jobStatuses.length - 1)]!;
          return ok({
            jobProperties: {
              jobId: request.pathParameters.jobId,
              jobName: 'j',
              jobStatus: status,
              datastoreId: request.pathParameters.datastoreId,
              ...(status === 'COMPLETED' || status === 'FAILED' ? { endedAt: 1767000900 } : {}),
              ...(status === 'FAILED' ? { message: 'role cannot read the input bucket' } : {}),
            },
          });
        }
        default:
          throw new Error(`fake does not know ${request.operationId}`);
      }
    },
  };
}

/** A binding answering each operation from a list of responses (last one repeats), for small documents. */
export function createScriptedBinding(script: Record<string, Array<Partial<OperationResponse>>>): OperationBinding & { calls: OperationRequest[] } {
  const calls: OperationRequest[] = [];
  const pos: Record<string, number> = {};
  return {
    calls,
    has: (op) => op in script,
    async send(request) {
      calls.push(structuredClone(request));
      const list = script[request.operationId]!;
      const i = pos[request.operationId] ?? 0;
      pos[request.operationId] = i + 1;
      const r = list[Math.min(i, list.length - 1)]!;
      return { statusCode: 200, body: {}, headers: {}, fault: 'none', ...r };
    },
  };
}
