/**
 * The one IPC contract between the renderer and the main process. The preload implements
 * `OnboardingApi` with `satisfies`, the browser host used by end-to-end tests implements the same
 * type, and the renderer imports only types from here. Channel names live here and nowhere else.
 * Nothing in these types can carry a credential.
 */
import type { ImportResults, RunError, RunEvent, RunStatus } from '../core/engine/events';
import type { RunLogDamage, RunLogRepair } from '../core/runs/damage-types';
import type { BatchFailureGroup, BatchJobRecord, BatchJobState, BatchProgress, BatchReport, BatchTotals } from '../core/batch/batch-types';
import type { BatchLimits } from '../core/batch/plan';
import type { CheckResult, CheckStatus } from '../core/preflight/types';

export type { ImportResults, RunError, RunEvent, RunStatus, RunLogDamage, RunLogRepair, CheckResult, CheckStatus };
export type { BatchFailureGroup, BatchJobRecord, BatchJobState, BatchLimits, BatchProgress, BatchReport, BatchTotals };

export const HEALTHIMAGING_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'ap-southeast-2'] as const;
export type HealthImagingRegion = (typeof HEALTHIMAGING_REGIONS)[number];

/** The profile entry that runs against the embedded sandbox. */
export const SANDBOX_PROFILE = '__sandbox__';

export type CredentialKind = 'sandbox' | 'static' | 'assume-role' | 'sso' | 'process' | 'web-identity' | 'unknown';

export interface ProfileSummary {
  name: string;
  /** Shown to the user: "Local sandbox (no AWS account needed)" for the sandbox entry. */
  label: string;
  region?: string;
  kind: CredentialKind;
  /** True when the profile's config points HealthImaging at a custom endpoint. */
  customEndpoint?: boolean;
  mfa?: boolean;
}

export type IdentityResult =
  | { ok: true; accountId: string; arn: string; userId?: string }
  | {
      ok: false;
      reason: 'no-credentials' | 'sso-login-required' | 'mfa-required' | 'expired' | 'access-denied' | 'network' | 'other';
      error: RunError;
    };

/** What the wizard collects; matches the seed workflow's inputs plus optional create/import fields. */
export interface OnboardingInputs {
  datastoreName: string;
  datastoreClientToken: string;
  dataAccessRoleArn: string;
  importClientToken: string;
  inputS3Uri: string;
  outputS3Uri: string;
  kmsKeyArn?: string;
  losslessStorageFormat?: 'HTJ2K' | 'JPEG_2000_LOSSLESS';
  tags?: Record<string, string>;
  jobName?: string;
  inputOwnerAccountId?: string;
}

/**
 * What an import into an existing data store takes: the import half of OnboardingInputs. No import
 * client token: the main process generates a new one for every import it starts, so a new import
 * can never be answered with an earlier job (HealthImaging returns the job a token already made).
 */
export type ImportInputs = Pick<OnboardingInputs, 'dataAccessRoleArn' | 'inputS3Uri' | 'outputS3Uri' | 'jobName' | 'inputOwnerAccountId'>;

/**
 * The existing data store an import goes into. Only its id: the run reads the rest (name, status)
 * from HealthImaging with GetDatastore, so nothing the page says about the store can disagree.
 */
export interface ImportTarget {
  datastoreId: string;
}

/**
 * What a run does, one of two shipped workflows and never a mix: an onboarding (create a data
 * store, then import) carries no `importInto`; an import into an existing data store
 * (import-into-datastore) carries `importInto` and only the import's inputs.
 */
export type RunInputs = { importInto?: undefined; inputs: OnboardingInputs } | { importInto: ImportTarget; inputs: ImportInputs };

/**
 * `skipPreflight`: the user's "I understand, start anyway" after the Review step's preflight
 * failed. Without it a run whose preflight finds a blocking problem is refused before CreateDatastore.
 */
export type RunStartRequest = RunTarget & RunInputs & { polling?: PollingSettings; skipPreflight?: boolean };

/** 'preflight:run': the checks of a run's inputs; `requestId` lets 'preflight:cancel' stop it. */
export type PreflightRequest = RunTarget & RunInputs & { requestId?: string };

/** The preflight's answer, exactly as `ahi-onboard preflight --json` prints it, plus AWS errors. */
export interface PreflightResult {
  /** True when no check failed (warnings and skipped checks allowed). */
  ready: boolean;
  checks: CheckResult[];
  /** Checks that could not run because AWS itself failed (network, credentials): not findings. */
  errors: Array<{ checkId: string; code: string; message: string }>;
}

/** What the data access role is for: the buckets it reads and writes, a KMS key, an existing data store. */
export interface RoleScope {
  inputS3Uri: string;
  outputS3Uri: string;
  kmsKeyArn?: string;
  /** An import into this existing data store: the trust is narrowed to it. */
  datastoreId?: string;
}

/** The role we recommend, as the policy documents' JSON text (pretty-printed, for a code view). */
export interface RolePolicyText {
  account: string;
  trustPolicy: string;
  permissionsPolicy: string;
  /** The name of the inline permissions policy put on the role. */
  policyName: string;
}

export interface FieldIssue {
  field: string;
  message: string;
}

export interface PollingSettings {
  /** First delay between polls, seconds. */
  initialDelaySeconds: number;
  /** Growth factor per poll. */
  multiplier: number;
  /** Cap on the delay, seconds. */
  maxDelaySeconds: number;
  /** Deadline per polling step, seconds. */
  stepTimeoutSeconds: number;
}

export interface RunTarget {
  /** A profile name from ProfileSummary, or SANDBOX_PROFILE. */
  profile: string;
  region: string;
}

export interface RunSummary {
  runId: string;
  workflowId: string;
  startedAt: string;
  endedAt?: string;
  /** 'running' while active in this process; 'interrupted' when the log has no end and nothing runs it. */
  state: 'running' | 'paused' | 'interrupted' | RunStatus;
  datastoreName?: string;
  datastoreId?: string;
  jobId?: string;
  jobStatus?: string;
  /** Files the COMPLETED import could not take (from its results); > 0 means "completed with errors". */
  failedFiles?: number;
  profile?: string;
  region: string;
  sandbox: boolean;
  /** False while the log is damaged: it is repaired ('run:repair') before the run can resume. */
  resumable: boolean;
  /** Set when a line of the run's log cannot be read; everything above describes the lines before it. */
  damage?: RunLogDamage;
}

export type ReportFormat = 'json' | 'html' | 'md' | 'pdf';
export const REPORT_FORMATS = ['json', 'html', 'md', 'pdf'] as const satisfies readonly ReportFormat[];

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  /** True when this build runs the real Electron shell (vs. the browser host used by tests). */
  electron: boolean;
}

/** The app's IAM Identity Center sign-in: who signed in and until when; never a token. */
export type SsoSignInResult =
  | { ok: true; profile: string; startUrl: string; expiresAt: string; accountId?: string; roleName?: string }
  | { ok: false; reason: 'not-sso' | 'denied' | 'expired' | 'timeout' | 'failed'; message: string };

/** "Test connection" (issue 11): proxy per endpoint, CA sources, one signed call per service. No secrets. */
export interface ConnectionCheckResult {
  region: string;
  profile?: string;
  routes: Array<{ service: 'STS' | 'HealthImaging' | 'S3'; url: string; proxy: string; source: 'environment' | 'operating system' | 'none' | 'caller' }>;
  trust: string[];
  checks: Array<{ service: 'STS' | 'HealthImaging' | 'S3'; operation: string; ok: boolean; message: string; code?: string; ms: number }>;
  ok: boolean;
}

/** An archive to import as many import jobs (issue 14): where it is, where results go, which role reads it. */
export interface BatchArchiveRequest extends RunTarget {
  datastoreId: string;
  /** s3://BUCKET/PREFIX/ of the archive. */
  inputS3Uri: string;
  outputS3Uri: string;
  dataAccessRoleArn: string;
  /** Per-job limits when quotas were raised; HealthImaging's defaults otherwise. */
  limits?: Partial<BatchLimits>;
}

/** What 'batch:plan' answers: the jobs the archive is cut into and what the batch will cost in API calls. */
export interface BatchPlanSummary {
  inputS3Uri: string;
  limits: BatchLimits;
  jobs: Array<{ inputS3Uri: string; files: number; bytes: number }>;
  /** Folders no prefix can take apart; `detail` says why and what to do (staging with --stage-to). */
  unsplittable: Array<{ prefix: string; files: number; bytes: number; reason: 'flat-folder-over-limit' | 'file-over-limit'; detail: string; stageable: boolean }>;
  totals: { files: number; bytes: number; folders: number };
  /** ListObjectsV2 pages the listing took. */
  listCalls: number;
  /** Calls the run is expected to make, by operation (StartDICOMImportJob, ListDICOMImportJobs, GetObject). */
  expectedApiCalls: Record<string, number>;
}

export interface BatchStartRequest extends BatchArchiveRequest {
  /** Import jobs at once; default the region's quota. */
  concurrency?: number;
  /** Where unsplittable folders are copied (CopyObject) into sub-prefixes that fit: s3://BUCKET/PREFIX/. */
  stageTo?: string;
}

/** One batch as History lists it. */
export interface BatchSummary {
  batchId: string;
  datastoreId: string;
  region: string;
  sandbox: boolean;
  inputS3Uri: string;
  startedAt: string;
  endedAt?: string;
  state: BatchReport['state'];
  paused: boolean;
  jobs: number;
  filesPlanned: number;
  filesImported: number;
  filesFailed: number;
}

/** A batch's live state, pushed as it changes (at most a few times a second). */
export interface BatchProgressUpdate {
  batchId: string;
  progress: BatchProgress;
  jobs: BatchJobRecord[];
}
/** S3 browsing (core/app/s3-browse.ts): names, sizes and ISO dates only. */
export interface S3BucketEntry {
  name: string;
  createdAt?: string;
  /** Where the bucket lives, when S3 said (it does for a paginated ListBuckets). */
  region?: string;
}

export interface S3ObjectEntry {
  key: string;
  size: number;
  lastModified?: string;
}

export interface S3PrefixListing {
  bucket: string;
  prefix: string;
  /** The folders directly under the prefix, as full prefixes ending in "/". */
  folders: string[];
  /** The objects directly under the prefix (a folder marker, the prefix itself, is left out). */
  objects: S3ObjectEntry[];
  /** Pass back as continuationToken for the next page; absent on the last page. */
  nextToken?: string;
}

export interface S3PrefixSummary {
  bucket: string;
  prefix: string;
  /** Objects under the prefix, at every depth (folder markers are not objects). */
  objects: number;
  bytes: number;
  /** True when counting stopped at the cap: there are at least this many. */
  atLeast: boolean;
  listCalls: number;
}

/** The account's buckets, and the region of the session that lists them (HealthImaging reads only its own region's). */
export interface S3BucketsResult {
  region: string;
  buckets: S3BucketEntry[];
}

/** One folder of one bucket, on the target's session; the owner when the bucket is another account's. */
export type S3FolderRequest = RunTarget & { bucket: string; prefix: string; expectedBucketOwner?: string };
/** A data store as ListDatastores describes it (issue 13: every store, whoever made it). Dates are ISO strings. */
export interface DatastoreRow {
  datastoreId: string;
  datastoreName: string;
  datastoreStatus: string;
  datastoreArn?: string;
  createdAt?: string;
  updatedAt?: string;
}

/** Whether the app offers "Delete" for a data store, and why (not). main re-checks on 'datastore:delete'. */
export interface DeletionCheck {
  allowed: boolean;
  reason: string;
}

/** GetDatastore's properties, its tags (ListTagsForResource) and what the page may offer. */
export interface DatastoreDetails extends DatastoreRow {
  kmsKeyArn?: string;
  losslessStorageFormat?: string;
  tags: Record<string, string>;
  /** The AWS console page of the store; absent for the sandbox or a custom endpoint outside AWS. */
  consoleUrl?: string;
  deletion: DeletionCheck;
  sandbox: boolean;
}

/** HealthImaging's import job statuses: what 'jobs:list' filters by. */
export const IMPORT_JOB_STATUSES = ['SUBMITTED', 'IN_PROGRESS', 'COMPLETED', 'FAILED'] as const;
export type ImportJobStatus = (typeof IMPORT_JOB_STATUSES)[number];

/** An import job as ListDICOMImportJobs describes it. */
export interface ImportJobRow {
  jobId: string;
  jobName?: string;
  jobStatus: string;
  datastoreId: string;
  dataAccessRoleArn?: string;
  submittedAt?: string;
  endedAt?: string;
  message?: string;
}

/** GetDICOMImportJob's properties. */
export interface ImportJobDetails extends ImportJobRow {
  inputS3Uri?: string;
  outputS3Uri?: string;
  consoleUrl?: string;
  /** The data store's name, when it has one and GetDatastore answered ('job:results'). */
  datastoreName?: string;
}

/** A job and, once it ended, what it did (read from its output location), as the Done screen shows it. */
export interface ImportJobResultsView {
  job: ImportJobDetails;
  results?: ImportResults;
}

/** Request/response map of every command the renderer can invoke. */
export interface Commands {
  'app:info': { request: void; response: AppInfo };
  'profiles:list': { request: void; response: ProfileSummary[] };
  'identity:check': { request: RunTarget; response: IdentityResult };
  'network:check': { request: RunTarget; response: ConnectionCheckResult };
  'mfa:answer': { request: { requestId: string; code: string | null }; response: void };
  'inputs:defaults': { request: RunTarget; response: OnboardingInputs };
  'inputs:validate': { request: RunInputs & { callerAccountId?: string }; response: FieldIssue[] };
  'polling:defaults': { request: RunTarget; response: PollingSettings };
  /** Starts onboard-datastore-and-import, or import-into-datastore when `importInto` is given. */
  'run:start': { request: RunStartRequest; response: { runId: string } };
  /** Checks a run's inputs before anything is created (core/preflight): role, buckets, input limits... */
  'preflight:run': { request: PreflightRequest; response: PreflightResult };
  /** Stops a 'preflight:run' still under way (it then rejects); nothing happens for an unknown id. */
  'preflight:cancel': { request: { requestId: string }; response: void };
  /** The trust and permissions policies of the data access role we recommend for these buckets. */
  'role:policy': { request: RunTarget & { scope: RoleScope }; response: RolePolicyText };
  /** Creates that role (IAM CreateRole + PutRolePolicy) and answers with its ARN. */
  'role:create': { request: RunTarget & { roleName: string; scope: RoleScope }; response: { roleArn: string; roleName: string; policyName: string } };
  'run:cancel': { request: { runId: string }; response: void };
  'run:poll-now': { request: { runId: string }; response: void };
  'run:continue': { request: { runId: string }; response: void };
  'run:resume': { request: { runId: string }; response: { runId: string } };
  /** Cuts a damaged run log at its first bad line, keeping the whole log as a backup next to it. */
  'run:repair': { request: { runId: string }; response: RunLogRepair };
  /** The active run and its events so far, for a window that (re)loads. */
  'run:active': { request: void; response: { runId: string; events: RunEvent[] } | null };
  'runs:list': { request: void; response: RunSummary[] };
  'runs:events': { request: { runId: string }; response: RunEvent[] };
  'report:export': { request: { runId: string; format: ReportFormat }; response: { saved: boolean; path?: string } };
  'external:open': { request: { url: string }; response: void };
  /** Signs an SSO profile in (browser with PKCE, or the device code flow) and caches the token as the AWS CLI does. */
  'sso:sign-in': { request: { profile: string; useDeviceCode?: boolean }; response: SsoSignInResult };
  /** Lists the archive (ListObjectsV2) and cuts it into import jobs; nothing is started. */
  'batch:plan': { request: BatchArchiveRequest; response: BatchPlanSummary };
  'batch:start': { request: BatchStartRequest; response: { batchId: string } };
  /** Stops submitting new jobs; jobs already submitted run to their end. */
  'batch:pause': { request: { batchId: string }; response: void };
  /** Continues a paused batch, or resumes an interrupted one from its ledger. */
  'batch:resume': { request: { batchId: string }; response: void };
  'batch:cancel': { request: { batchId: string }; response: void };
  'batches:list': { request: void; response: BatchSummary[] };
  'batch:report': { request: { batchId: string }; response: BatchReport };
  'batch:export': { request: { batchId: string; format: ReportFormat }; response: { saved: boolean; path?: string } };
  /** S3 browsing for prefix fields: every bucket (ListBuckets, all pages) with its region. */
  's3:buckets': { request: RunTarget; response: S3BucketsResult };
  /** One page of one folder level (ListObjectsV2, delimiter "/"): subfolders and objects. */
  's3:list': { request: S3FolderRequest & { continuationToken?: string }; response: S3PrefixListing };
  /** Objects and bytes under a folder, counted up to 100,000 ("at least"); a newer request cancels an older one. */
  's3:summary': { request: S3FolderRequest; response: S3PrefixSummary };
  /** Every data store of the account and region (all pages, all statuses), newest first. */
  'datastores:list': { request: RunTarget; response: DatastoreRow[] };
  'datastore:get': { request: RunTarget & { datastoreId: string }; response: DatastoreDetails };
  /** Deletes a data store only when main's own check allows it (empty store, or the sandbox). */
  'datastore:delete': { request: RunTarget & { datastoreId: string }; response: { datastoreStatus: string } };
  /** Every import job of a data store (all pages), newest first; one status when given. */
  'jobs:list': { request: RunTarget & { datastoreId: string; status?: ImportJobStatus }; response: ImportJobRow[] };
  'job:get': { request: RunTarget & { datastoreId: string; jobId: string }; response: ImportJobDetails };
  'job:results': { request: RunTarget & { datastoreId: string; jobId: string }; response: ImportJobResultsView };
  /**
   * Watches a job already running (whoever started it) as a run on the timeline; creates nothing in
   * AWS. A job this app already watches answers that run (`alreadyWatching`), never a second one.
   */
  'job:attach': { request: RunTarget & { datastoreId: string; jobId: string }; response: { runId: string; alreadyWatching?: boolean } };
}

export type CommandName = keyof Commands;
export type CommandRequest<K extends CommandName> = Commands[K]['request'];
export type CommandResponse<K extends CommandName> = Commands[K]['response'];

/** Main's side of the commands. Each feature module implements a slice; the slices intersect into this map. */
export type CommandHandlers = { [K in CommandName]: (request: CommandRequest<K>) => Promise<CommandResponse<K>> };
export type HandlersFor<K extends CommandName> = Pick<CommandHandlers, K>;

/** Main -> renderer pushes. */
export interface Pushes {
  /** Engine events, batched (at most one batch per ~50 ms per run). */
  'run:events': { runId: string; events: RunEvent[] };
  /** The main process needs an MFA code to assume a role; answer with 'mfa:answer'. */
  'mfa:request': { requestId: string; profile: string; serialNumber: string };
  /** Device code sign-in: show the URL and the code to enter there. */
  'sso:device-code': { profile: string; verificationUri: string; userCode: string; expiresInSeconds: number };
  /** A batch's progress and its jobs, whenever they change. */
  'batch:progress': BatchProgressUpdate;
}
export type PushName = keyof Pushes;

/** IPC channel name of a command or push: the key itself. */
export const COMMAND_NAMES = [
  'app:info',
  'profiles:list',
  'identity:check',
  'network:check',
  'mfa:answer',
  'inputs:defaults',
  'inputs:validate',
  'polling:defaults',
  'run:start',
  'preflight:run',
  'preflight:cancel',
  'role:policy',
  'role:create',
  'run:cancel',
  'run:poll-now',
  'run:continue',
  'run:resume',
  'run:repair',
  'run:active',
  'runs:list',
  'runs:events',
  'report:export',
  'external:open',
  'sso:sign-in',
  'batch:plan',
  'batch:start',
  'batch:pause',
  'batch:resume',
  'batch:cancel',
  'batches:list',
  'batch:report',
  'batch:export',
  's3:buckets',
  's3:list',
  's3:summary',
  'datastores:list',
  'datastore:get',
  'datastore:delete',
  'jobs:list',
  'job:get',
  'job:results',
  'job:attach',
] as const satisfies readonly CommandName[];

export const PUSH_NAMES = ['run:events', 'mfa:request', 'sso:device-code', 'batch:progress'] as const satisfies readonly PushName[];

/**
 * The object the preload exposes as `window.onboarding`: one typed `invoke` per command and one
 * subscription per push. Listeners never see the IPC event; each subscription returns its
 * unsubscribe function.
 */
export interface OnboardingApi {
  invoke<K extends CommandName>(command: K, request: CommandRequest<K>): Promise<CommandResponse<K>>;
  on<P extends PushName>(push: P, listener: (payload: Pushes[P]) => void): () => void;
}

/** The name of the object on `window`. */
export const API_KEY = 'onboarding';
