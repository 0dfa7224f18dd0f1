/**
 * The preflight's vocabulary: what a check reports, the stable ids scripts and the app key on,
 * and the inputs it checks (the same inputs a run takes). PURE: no Node or SDK imports, so the
 * renderer can show results with these types.
 */

export const CHECK_IDS = [
  'identity',
  'region',
  'datastore-quota',
  'role-exists',
  'role-trust',
  'role-permissions',
  'input-bucket',
  'output-bucket',
  'input-objects',
  'input-dicom',
  'kms-key',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

/** pass: fine; warn: allowed but worth knowing; fail: blocks the run; skipped: not checked (and why). */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skipped';

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  title: string;
  /** What was found, in words (AWS-console-like: names the role, bucket, region...). */
  detail: string;
  /** What to do about a fail or warn. */
  fix?: string;
}

/** A check that could not run because AWS failed (network, credentials, throttling, 5xx): not a finding. */
export interface PreflightError {
  checkId: CheckId;
  code: string;
  message: string;
  httpStatus?: number;
}

export interface PreflightReport {
  /** True when no check failed (warnings and skipped checks allowed). */
  ready: boolean;
  /** Every check, in CHECK_IDS order. */
  checks: CheckResult[];
  /** Checks that failed because of an AWS error rather than a finding (the CLI's exit 3). */
  errors: PreflightError[];
}

/** What the preflight checks: the run's own inputs (the inputs file of `run` / `import`). */
export interface PreflightInputs {
  dataAccessRoleArn: string;
  inputS3Uri: string;
  outputS3Uri: string;
  kmsKeyArn?: string;
  inputOwnerAccountId?: string;
  /** Import into this existing data store: no data store is created (quota not relevant, SourceArn known). */
  datastoreId?: string;
}

/** HealthImaging's import job limits (developer guide); configurable because some can be raised. */
export interface ImportLimits {
  maxFiles: number;
  maxTotalBytes: number;
  maxNestedFolders: number;
  maxFileBytes: number;
}

export const GB = 1024 ** 3;

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxFiles: 5_000,
  maxTotalBytes: 10 * GB,
  maxNestedFolders: 10_000,
  maxFileBytes: 10 * GB,
};

/** Data stores per region (adjustable quota; older pages say 10). */
export const DEFAULT_DATASTORE_QUOTA = 100;

export interface PreflightProgress {
  checkId: CheckId;
  /** For input-objects: objects and bytes listed so far, and pages read. */
  objects?: number;
  bytes?: number;
  pages?: number;
  /** For input-dicom: objects read so far of the sample. */
  sampled?: number;
  sampleSize?: number;
  /** A check's result as soon as it is known. */
  result?: CheckResult;
}

export const CHECK_TITLES: Record<CheckId, string> = {
  identity: 'AWS identity',
  region: 'Region offers HealthImaging',
  'datastore-quota': 'Data store quota',
  'role-exists': 'Data access role exists',
  'role-trust': 'Role trusts HealthImaging',
  'role-permissions': 'Role permissions',
  'input-bucket': 'Input bucket',
  'output-bucket': 'Output bucket',
  'input-objects': 'Input within import limits',
  'input-dicom': 'Input files are DICOM',
  'kms-key': 'KMS key',
};

export function isReady(checks: readonly CheckResult[]): boolean {
  return checks.every((c) => c.status !== 'fail');
}
