/**
 * The HealthImaging control-plane operations an Arazzo document may name, bound to their SDK v3
 * commands. Any workflow over this API runs through here, not only the seed.
 *
 * Response rule (one, documented): the body is the command output without `$metadata`, with every
 * Date turned back into epoch seconds, exactly as the service sent it on the wire. So
 * `$response.body#/jobProperties/submittedAt` reads the same number a raw HTTP client would see.
 *
 * A service error, a network fault or a credentials failure is not thrown: it becomes a response
 * ({statusCode, body: {__type, message}, fault, error}) so onFailure criteria can match it and the
 * engine can decide (slow down, retry, pause, fail). Only cancellation is thrown.
 */
import {
  CreateDatastoreCommand,
  DeleteDatastoreCommand,
  GetDatastoreCommand,
  GetDICOMImportJobCommand,
  ListDatastoresCommand,
  ListDICOMImportJobsCommand,
  ListTagsForResourceCommand,
  MedicalImagingClient,
  StartDICOMImportJobCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-medical-imaging';
import type { OperationBinding, OperationRequest, OperationResponse } from '../engine/binding';
import { classifyAwsError } from './errors';

interface OperationSpec {
  // Commands differ in input type; the table erases that and builds inputs from the document.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  command: new (input: any) => unknown;
  pathParameters: string[];
  /** Query parameters that are numbers or lists in the model (a document may give them as strings). */
  numericQuery?: string[];
  listQuery?: string[];
}

const OPERATIONS: Record<string, OperationSpec> = {
  CreateDatastore: { command: CreateDatastoreCommand, pathParameters: [] },
  GetDatastore: { command: GetDatastoreCommand, pathParameters: ['datastoreId'] },
  ListDatastores: { command: ListDatastoresCommand, pathParameters: [], numericQuery: ['maxResults'] },
  DeleteDatastore: { command: DeleteDatastoreCommand, pathParameters: ['datastoreId'] },
  StartDICOMImportJob: { command: StartDICOMImportJobCommand, pathParameters: ['datastoreId'] },
  GetDICOMImportJob: { command: GetDICOMImportJobCommand, pathParameters: ['datastoreId', 'jobId'] },
  ListDICOMImportJobs: { command: ListDICOMImportJobsCommand, pathParameters: ['datastoreId'], numericQuery: ['maxResults'] },
  TagResource: { command: TagResourceCommand, pathParameters: ['resourceArn'] },
  ListTagsForResource: { command: ListTagsForResourceCommand, pathParameters: ['resourceArn'] },
  UntagResource: { command: UntagResourceCommand, pathParameters: ['resourceArn'], listQuery: ['tagKeys'] },
};

export const HEALTHIMAGING_OPERATIONS: readonly string[] = Object.keys(OPERATIONS);

/** What a document may name, without a client: for checking a document before any session exists. */
export const healthImagingCatalog: Pick<OperationBinding, 'has' | 'pathParameters'> = {
  has: (operationId) => Object.hasOwn(OPERATIONS, operationId),
  pathParameters: (operationId) => (Object.hasOwn(OPERATIONS, operationId) ? [...OPERATIONS[operationId]!.pathParameters] : undefined),
};

export interface OperationBindingOptions {
  /** Named in credential messages ("aws sso login --profile NAME"). */
  profile?: string;
  /** Called when a credentials fault is seen, so the session can re-read credentials before the next attempt. */
  onCredentialsFault?: () => void;
}

/** Dates back to epoch seconds (fractions kept), recursively; everything else unchanged. */
export function toWireTimestamps(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWireTimestamps);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toWireTimestamps(v);
    return out;
  }
  return value;
}

function buildInput(spec: OperationSpec, req: OperationRequest): Record<string, unknown> {
  const query: Record<string, unknown> = { ...req.query };
  for (const k of spec.numericQuery ?? []) {
    const v = query[k];
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) query[k] = Number(v);
  }
  for (const k of spec.listQuery ?? []) {
    const v = query[k];
    if (v !== undefined && !Array.isArray(v)) query[k] = [v];
  }
  const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
  // Path parameters win: they name the resource the request is about.
  return { ...body, ...query, ...req.pathParameters };
}

function lowerHeaders(h: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

type Sendable = { middlewareStack: { add: (mw: unknown, opts: unknown) => void } };
type MetadataBearer = { $metadata?: { httpStatusCode?: number; requestId?: string } };

export function createOperationBinding(client: MedicalImagingClient, opts: OperationBindingOptions = {}): OperationBinding {
  return {
    has: healthImagingCatalog.has,
    pathParameters: healthImagingCatalog.pathParameters!,

    async send(request, signal) {
      const spec = Object.hasOwn(OPERATIONS, request.operationId) ? OPERATIONS[request.operationId] : undefined;
      if (!spec) throw new Error(`Unknown HealthImaging operation "${request.operationId}"`);
      const command = new spec.command(buildInput(spec, request)) as Sendable;

      // Response headers (Retry-After, request id) are not in the output; read them off the raw
      // response at the build step, which sees the final attempt after the SDK's retries.
      let headers: Record<string, string> = {};
      command.middlewareStack.add(
        (next: (a: unknown) => Promise<{ response?: { headers?: Record<string, string> } }>) => async (args: unknown) => {
          const result = await next(args);
          headers = lowerHeaders(result.response?.headers);
          return result;
        },
        { step: 'build', name: 'ahiCaptureResponseHeaders' },
      );

      try {
        // The table erased the command's types; the SDK checks nothing client-side either.
        const output = (await client.send(command as never, { abortSignal: signal })) as MetadataBearer & Record<string, unknown>;
        const { $metadata, ...rest } = output;
        return {
          statusCode: $metadata?.httpStatusCode ?? 200,
          body: toWireTimestamps(rest),
          headers,
          ...($metadata?.requestId ? { requestId: $metadata.requestId } : {}),
          fault: 'none',
        } satisfies OperationResponse;
      } catch (err) {
        // Cancellation is the caller's decision, not a service answer: let it through.
        if (signal?.aborted) throw signal.reason ?? err;
        const c = classifyAwsError(err, { operation: request.operationId, ...(opts.profile ? { profile: opts.profile } : {}) });
        if (c.fault === 'credentials') opts.onCredentialsFault?.();
        const errHeaders = lowerHeaders((err as { $response?: { headers?: Record<string, string> } })?.$response?.headers);
        // A 2xx whose body was cut off is not an answer: report "no answer" (0) so success
        // criteria like `$statusCode == 200` can never pass on a fault.
        const statusCode = c.httpStatus !== undefined && c.httpStatus >= 300 ? c.httpStatus : 0;
        return {
          statusCode,
          // The service's own words for a service answer; ours for local failures (credential
          // providers and sockets can say more than a timeline should show).
          body: { __type: c.code, message: statusCode !== 0 ? ((err as { message?: string })?.message ?? c.message) : c.message },
          headers: errHeaders,
          ...(c.requestId ? { requestId: c.requestId } : {}),
          fault: c.fault,
          error: { code: c.code, message: c.message, ...(c.action ? { action: c.action } : {}) },
          ...(c.retryAfterMs !== undefined ? { retryAfterMs: c.retryAfterMs } : {}),
        } satisfies OperationResponse;
      }
    },
  };
}
