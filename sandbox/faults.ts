/**
 * Fault injection: AWS-rate throttling (token buckets in sandbox time), forced errors and dropped
 * connections for the next N calls of an operation, slow responses, failing creations and imports.
 */
import type { FaultErrorName } from './errors';

/** Requests per second and burst from the HealthImaging developer guide (healthimaging.md). */
export const AWS_RATES: Record<string, { rate: number; burst: number }> = {
  CreateDatastore: { rate: 0.085, burst: 1 },
  GetDatastore: { rate: 10, burst: 20 },
  ListDatastores: { rate: 5, burst: 10 },
  StartDICOMImportJob: { rate: 1, burst: 2 },
  GetDICOMImportJob: { rate: 25, burst: 50 },
  ListDICOMImportJobs: { rate: 10, burst: 20 },
};

export interface SandboxFaults {
  throttling(on: boolean): void;
  failNext(operation: string, count: number, error?: FaultErrorName): void;
  dropNext(operation: string, count: number): void;
  latency(ms: number): void;
  failDatastoreCreation(on: boolean): void;
  failImportJobs(on: boolean): void;
  setDatastoreStatus(datastoreId: string, status: string): void;
  reset(): void;
}

/** The server's side of the fault settings. */
export class FaultState {
  throttlingOn = false;
  latencyMs = 0;
  failCreation = false;
  failImports = false;
  private readonly failQueue = new Map<string, { count: number; error: FaultErrorName }>();
  private readonly dropQueue = new Map<string, number>();
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly now: () => number) {}

  failNext(operation: string, count: number, error: FaultErrorName): void {
    if (count > 0) this.failQueue.set(operation, { count, error });
    else this.failQueue.delete(operation);
  }

  dropNext(operation: string, count: number): void {
    if (count > 0) this.dropQueue.set(operation, count);
    else this.dropQueue.delete(operation);
  }

  /** Consumes one forced error for this operation, if any are queued. */
  takeForcedError(operation: string): FaultErrorName | null {
    const q = this.failQueue.get(operation);
    if (!q) return null;
    if (--q.count <= 0) this.failQueue.delete(operation);
    return q.error;
  }

  takeDrop(operation: string): boolean {
    const n = this.dropQueue.get(operation);
    if (!n) return false;
    if (n <= 1) this.dropQueue.delete(operation);
    else this.dropQueue.set(operation, n - 1);
    return true;
  }

  /** True when this call is over the operation's AWS rate (only while throttling is on). */
  throttled(operation: string): boolean {
    if (!this.throttlingOn) return false;
    const limits = AWS_RATES[operation];
    if (!limits) return false;
    const now = this.now();
    const b = this.buckets.get(operation) ?? { tokens: limits.burst, at: now };
    b.tokens = Math.min(limits.burst, b.tokens + ((now - b.at) / 1000) * limits.rate);
    b.at = now;
    this.buckets.set(operation, b);
    if (b.tokens < 1) return true;
    b.tokens -= 1;
    return false;
  }

  setThrottling(on: boolean): void {
    this.throttlingOn = on;
    this.buckets.clear();
  }

  reset(): void {
    this.throttlingOn = false;
    this.latencyMs = 0;
    this.failCreation = false;
    this.failImports = false;
    this.failQueue.clear();
    this.dropQueue.clear();
    this.buckets.clear();
  }
}
