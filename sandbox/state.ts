/**
 * Everything the sandbox remembers: data stores, import jobs, idempotency tokens, image sets,
 * tags, IAM roles, KMS keys and bucket regions. Statuses are NOT stored: they are computed from timestamps (see lifecycle.ts). With a data
 * directory the state is saved to state.json atomically after every change; without one it lives
 * in memory only.
 */
import type { ImportConfiguration } from './import-configuration';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type DatastoreStatus = 'CREATING' | 'CREATE_FAILED' | 'ACTIVE' | 'DELETING' | 'DELETED';
export type JobStatus = 'SUBMITTED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** A status that starts `offsetMs` after the moment its override was applied. */
export interface ScheduledStatus<S extends string> {
  status: S;
  offsetMs: number;
}

/** From `at` on, the timeline is replaced by `statuses` (a delete request, a forced status). */
export interface StatusOverride<S extends string> {
  at: number;
  statuses: ScheduledStatus<S>[];
}

export interface DatastoreRecord {
  id: string;
  name: string;
  arn: string;
  createdAt: number; // sandbox ms
  createMs: number;
  createOutcome: 'ACTIVE' | 'CREATE_FAILED';
  kmsKeyArn?: string;
  lambdaAuthorizerArn?: string;
  losslessStorageFormat: string;
  overrides: StatusOverride<DatastoreStatus>[];
}

export interface JobOutcome {
  status: 'COMPLETED' | 'FAILED';
  message?: string;
  /** When the outputs were written, if later than the job's planned end (a large import processed in slices). */
  endedAt?: number;
}

export interface JobRecord {
  id: string;
  datastoreId: string;
  jobName: string;
  dataAccessRoleArn: string;
  inputS3Uri: string;
  outputS3Uri: string; // as the caller gave it
  inputOwnerAccountId?: string;
  /** Accepted StartDICOMImportJob importConfiguration, returned by GetDICOMImportJob as the model says. */
  importConfiguration?: ImportConfiguration;
  submittedAt: number;
  submittedMs: number;
  runMs: number;
  /** Set at submission when a fault or the name convention says this job must fail. */
  forcedFailure?: string;
  /** Set once the job's files have been processed (at or after its end time). */
  outcome?: JobOutcome;
}

export interface TokenRecord {
  fingerprint: string; // canonical JSON of the request parameters
  resourceId: string;
}

/** An IAM role and its inline policies, documents kept as the caller sent them (decoded). */
export interface RoleRecord {
  name: string;
  path: string;
  id: string;
  arn: string;
  createdAt: number;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDuration: number;
  tags: Array<{ Key: string; Value: string }>;
  /** policy name -> document */
  policies: Record<string, string>;
}

export interface KmsKeyRecord {
  keyId: string;
  arn: string;
  createdAt: number;
  description: string;
  enabled: boolean;
  aliases: string[];
}

export interface SandboxState {
  version: 1;
  /** Last sandbox time seen, so a restarted clock never runs backwards. */
  clockMs: number;
  datastores: Record<string, DatastoreRecord>;
  jobs: Record<string, JobRecord>;
  /** key: `${operation}:${clientToken}` */
  tokens: Record<string, TokenRecord>;
  /** key: `${datastoreId}|${studyUID}|${seriesUID}` -> imageSetId */
  imageSets: Record<string, string>;
  /**
   * key: `${datastoreId}|${sopInstanceUID}` -> the patient/study/series attributes it was first
   * imported with, so a later instance with the same UID and other attributes is told apart
   * (non-primary image set). Optional: state saved before it existed still loads.
   */
  instances?: Record<string, string>;
  /** key: resource ARN */
  tags: Record<string, Record<string, string>>;
  /** key: role name lower-cased (IAM names are unique regardless of case) */
  iamRoles: Record<string, RoleRecord>;
  /** key: key id */
  kmsKeys: Record<string, KmsKeyRecord>;
  /** Buckets created with a LocationConstraint; a bucket not listed is in the sandbox's region. */
  bucketRegions: Record<string, string>;
}

export function emptyState(): SandboxState {
  return { version: 1, clockMs: 0, datastores: {}, jobs: {}, tokens: {}, imageSets: {}, tags: {}, iamRoles: {}, kmsKeys: {}, bucketRegions: {} };
}

export interface StatePersistence {
  load(): SandboxState;
  save(state: SandboxState): void;
}

export function memoryPersistence(): StatePersistence {
  return { load: emptyState, save: () => undefined };
}

export function filePersistence(dataDir: string): StatePersistence {
  const file = join(dataDir, 'state.json');
  return {
    load() {
      if (!existsSync(file)) return emptyState();
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<SandboxState>;
      if (parsed.version !== 1) throw new Error(`${file}: unknown state version ${String(parsed.version)}`);
      return { ...emptyState(), ...parsed } as SandboxState;
    },
    save(state) {
      mkdirSync(dataDir, { recursive: true });
      // Temp file + rename: a crash mid-write leaves the previous state intact.
      const tmp = `${file}.tmp-${process.pid}`;
      writeFileSync(tmp, JSON.stringify(state, null, 1));
      renameSync(tmp, file);
    },
  };
}
