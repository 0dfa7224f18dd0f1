/**
 * The seam between the Arazzo engine and a service: the engine turns a step into an
 * OperationRequest, a binding (core/aws/operation-table.ts for HealthImaging) sends it and turns
 * whatever happened, success or service error or network fault, into an OperationResponse.
 */

export interface OperationRequest {
  operationId: string;
  /** Values of the step's `in: path` parameters. */
  pathParameters: Record<string, unknown>;
  /** Values of `in: query` parameters. */
  query: Record<string, unknown>;
  /** Values of `in: header` parameters. */
  headers: Record<string, string>;
  /** The evaluated requestBody.payload. */
  body?: unknown;
}

/**
 * How a failed exchange should be treated. `none` for a 2xx answer.
 * - throttled: 429 / ThrottlingException; slow down, never fail the run for it.
 * - transient: 5xx, dropped connection, timeout; retry within a budget.
 * - credentials: credentials missing/expired/SSO sign-in needed; pause the run for the user.
 * - client: a 4xx that will not succeed when repeated (validation, access denied, not found, conflict, quota).
 */
export type FaultKind = 'none' | 'throttled' | 'transient' | 'credentials' | 'client';

export interface OperationResponse {
  /** HTTP status; 0 when no answer arrived (network error). */
  statusCode: number;
  /** The command output without $metadata (timestamps as epoch seconds, as on the wire), or `{ __type, message }` for an error. */
  body: unknown;
  headers: Record<string, string>;
  requestId?: string;
  fault: FaultKind;
  /** Error code and message for an error answer. */
  error?: { code: string; message: string; action?: string };
  /** From a Retry-After header where the service sent one. */
  retryAfterMs?: number;
}

export interface OperationBinding {
  /** True when this binding knows the operationId (checked when a document is loaded). */
  has(operationId: string): boolean;
  /** Path parameter names the operation requires (for document validation); undefined if unknown. */
  pathParameters?(operationId: string): string[] | undefined;
  send(request: OperationRequest, signal?: AbortSignal): Promise<OperationResponse>;
}
