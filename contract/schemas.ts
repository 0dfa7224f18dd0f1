/**
 * Runtime schemas of every command request in contract/ipc.ts: the main process (and the browser
 * host) validate each payload with these before a handler sees it. They check shape, types and sane
 * sizes only; HealthImaging's field rules (patterns, ARN forms) are the engine's validation, which
 * answers with a FieldIssue per field. Objects are strict: an unknown key is an error, so a
 * malformed or hostile payload never reaches a handler. Main-side only: the renderer does not
 * import this file (it would bundle zod for nothing).
 */
import { z } from 'zod';
import { COMMAND_NAMES, IMPORT_JOB_STATUSES, REPORT_FORMATS, type CommandName, type CommandRequest } from './ipc';
import { isBucketName, isFolderPrefix, isRunId, POLLING_LIMITS, RUN_ID_RULE, S3_BUCKET_RULE, S3_FOLDER_RULE } from './rules';

/** Upper bound for any free-text field crossing the bridge (longest AWS field we take is 2048). */
const MAX_TEXT = 4096;

const text = (max = MAX_TEXT) => z.string().max(max);
const name = z.string().min(1).max(256);
const runId = z.string().max(128).refine(isRunId, RUN_ID_RULE);

/** Commands without a request: ipcRenderer.invoke(channel) sends undefined; JSON transports send null. */
const none = z.union([z.undefined(), z.null()]).transform(() => undefined);

const accountId = z.string().regex(/^[0-9]{12}$/, 'a 12-digit account id');

const runTarget = z.strictObject({ profile: name, region: z.string().min(1).max(64) });
/** HealthImaging's id forms: a data store id is 32 lowercase letters or digits, a job id up to 32. */
const datastoreId = z.string().regex(/^[0-9a-z]{32}$/, 'a data store id (32 lowercase letters or digits)');
const jobId = z.string().regex(/^[0-9a-z]{1,32}$/, 'an import job id (1-32 lowercase letters or digits)');
const onDatastore = runTarget.extend({ datastoreId });
const onJob = onDatastore.extend({ jobId });

const inputs = z.strictObject({
  datastoreName: text(1024),
  datastoreClientToken: text(256),
  dataAccessRoleArn: text(),
  importClientToken: text(256),
  inputS3Uri: text(),
  outputS3Uri: text(),
  kmsKeyArn: text().optional(),
  losslessStorageFormat: z.enum(['HTJ2K', 'JPEG_2000_LOSSLESS']).optional(),
  tags: z
    .record(text(256), text(512))
    .refine((tags) => Object.keys(tags).length <= 50, 'at most 50 tags')
    .optional(),
  jobName: text(256).optional(),
  inputOwnerAccountId: text(64).optional(),
});

/** An import into an existing data store: the import's inputs only (no client token: main makes one). */
const importInputs = z.strictObject({
  dataAccessRoleArn: text(),
  inputS3Uri: text(),
  outputS3Uri: text(),
  jobName: text(256).optional(),
  inputOwnerAccountId: text(64).optional(),
});
const importTarget = z.strictObject({ datastoreId: text(64) });

/**
 * The two shapes of RunInputs, told apart by `importInto` and parsed by the one the payload claims,
 * so an error names the field (inputs.datastoreName...) instead of "no union member matched".
 */
function runInputs<Onboard extends z.ZodType, Import extends z.ZodType>(onboard: Onboard, importInto: Import) {
  return z.unknown().transform((value, ctx): z.output<Onboard> | z.output<Import> => {
    const claimsImport = value !== null && typeof value === 'object' && (value as { importInto?: unknown }).importInto !== undefined;
    const result = (claimsImport ? importInto : onboard).safeParse(value);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  });
}

/** A caller-chosen id of one preflight, so it can be cancelled. */
const requestId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, '1-64 letters, digits, _ or -');

/** What a data access role is for (field rules are checked by core/app/roles.ts, naming each field). */
const roleScope = z.strictObject({ inputS3Uri: text(), outputS3Uri: text(), kmsKeyArn: text().optional(), datastoreId: text(64).optional() });
/** A folder of a bucket (S3 browsing): S3's bucket naming rules, a prefix that names a folder. */
const s3Folder = runTarget.extend({
  bucket: z.string().max(63).refine(isBucketName, S3_BUCKET_RULE),
  prefix: z.string().max(1024).refine(isFolderPrefix, S3_FOLDER_RULE),
  expectedBucketOwner: accountId.optional(),
});

/** A number within [min, max], with a message that names both. */
const within = (min: number, max: number, unit: string) =>
  z.number().finite().min(min, `at least ${min}${unit}`).max(max, `at most ${max}${unit}`);
const L = POLLING_LIMITS;
/** The floors the wizard shows, enforced here too: a tiny delay would hammer AWS, a tiny deadline fail every run. */
const polling = z
  .strictObject({
    initialDelaySeconds: within(L.initialDelaySeconds.min, L.initialDelaySeconds.max, ' seconds'),
    multiplier: within(L.multiplier.min, L.multiplier.max, ''),
    maxDelaySeconds: within(L.initialDelaySeconds.min, L.maxDelaySeconds.max, ' seconds'),
    stepTimeoutSeconds: within(L.stepTimeoutSeconds.min, L.stepTimeoutSeconds.max, ' seconds'),
  })
  .refine((p) => p.maxDelaySeconds >= p.initialDelaySeconds, { path: ['maxDelaySeconds'], message: 'at least initialDelaySeconds' });

/** A batch id as the runner makes them (like a run id: safe as a folder name). */
const batchId = z.string().max(128).refine(isRunId, RUN_ID_RULE);
const count = (max: number) => z.number().int('a whole number').min(1, 'at least 1').max(max, `at most ${max}`);
/** Per-job limits; the planner checks them against HealthImaging's (10 GB per job is not adjustable). */
const batchLimits = z.strictObject({
  maxFiles: count(1_000_000).optional(),
  maxBytes: count(10_000_000_000).optional(),
  maxFolders: count(1_000_000).optional(),
  maxFileBytes: count(10_000_000_000).optional(),
});
const batchArchive = runTarget.extend({
  datastoreId: text(64),
  inputS3Uri: text(2048),
  outputS3Uri: text(2048),
  dataAccessRoleArn: text(2048),
  limits: batchLimits.optional(),
});

export const requestSchemas = {
  'app:info': none,
  'profiles:list': none,
  'identity:check': runTarget,
  'network:check': runTarget,
  'mfa:answer': z.strictObject({
    requestId: z.string().min(1).max(128),
    code: z.string().regex(/^[0-9]{6}$/, 'a 6-digit code').nullable(),
  }),
  'inputs:defaults': runTarget,
  'inputs:validate': runInputs(
    z.strictObject({ inputs, callerAccountId: accountId.optional() }),
    z.strictObject({ importInto: importTarget, inputs: importInputs, callerAccountId: accountId.optional() }),
  ),
  'polling:defaults': runTarget,
  'run:start': runInputs(
    runTarget.extend({ inputs, polling: polling.optional(), skipPreflight: z.boolean().optional() }),
    runTarget.extend({ importInto: importTarget, inputs: importInputs, polling: polling.optional(), skipPreflight: z.boolean().optional() }),
  ),
  'preflight:run': runInputs(runTarget.extend({ inputs, requestId: requestId.optional() }), runTarget.extend({ importInto: importTarget, inputs: importInputs, requestId: requestId.optional() })),
  'preflight:cancel': z.strictObject({ requestId }),
  'role:policy': runTarget.extend({ scope: roleScope }),
  'role:create': runTarget.extend({ roleName: text(128), scope: roleScope }),
  'run:cancel': z.strictObject({ runId }),
  'run:poll-now': z.strictObject({ runId }),
  'run:continue': z.strictObject({ runId }),
  'run:resume': z.strictObject({ runId }),
  'run:repair': z.strictObject({ runId }),
  'run:active': none,
  'runs:list': none,
  'runs:events': z.strictObject({ runId }),
  'report:export': z.strictObject({ runId, format: z.enum(REPORT_FORMATS) }),
  'external:open': z.strictObject({ url: z.string().min(1).max(2048) }),
  'sso:sign-in': z.strictObject({ profile: name, useDeviceCode: z.boolean().optional() }),
  'batch:plan': batchArchive,
  'batch:start': batchArchive.extend({ concurrency: count(1000).optional(), stageTo: text(2048).optional() }),
  'batch:pause': z.strictObject({ batchId }),
  'batch:resume': z.strictObject({ batchId }),
  'batch:cancel': z.strictObject({ batchId }),
  'batches:list': none,
  'batch:report': z.strictObject({ batchId }),
  'batch:export': z.strictObject({ batchId, format: z.enum(REPORT_FORMATS) }),
  's3:buckets': runTarget,
  's3:list': s3Folder.extend({ continuationToken: z.string().min(1).max(MAX_TEXT).optional() }),
  's3:summary': s3Folder,
  'datastores:list': runTarget,
  'datastore:get': onDatastore,
  'datastore:delete': onDatastore,
  'jobs:list': onDatastore.extend({ status: z.enum(IMPORT_JOB_STATUSES).optional() }),
  'job:get': onJob,
  'job:results': onJob,
  'job:attach': onJob,
} satisfies { [K in CommandName]: z.ZodType<CommandRequest<K>, unknown> };

/** Thrown for a payload that does not match its command's schema; the message names each field. */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
  constructor(
    readonly command: string,
    readonly issues: Array<{ path: string; message: string }>,
  ) {
    super(`Invalid request for '${command}': ${issues.map((i) => `${i.path || '(request)'}: ${i.message}`).join('; ')}`);
  }
}

export function isCommandName(value: unknown): value is CommandName {
  return typeof value === 'string' && (COMMAND_NAMES as readonly string[]).includes(value);
}

/** Validates a raw payload for `command`; returns the typed request or throws InvalidRequestError. */
export function parseRequest<K extends CommandName>(command: K, payload: unknown): CommandRequest<K> {
  const schema = requestSchemas[command] as z.ZodType<CommandRequest<K>, unknown>;
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  throw new InvalidRequestError(
    command,
    result.error.issues.slice(0, 10).map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
  );
}
