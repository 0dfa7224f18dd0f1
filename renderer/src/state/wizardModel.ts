/**
 * The wizard's form as data, and the pure rules around it: which fields belong to which step, what
 * is wrong with them, how server defaults merge into what the user typed, and the plain statement
 * of what a run will create. The React components only render this.
 */
import type { FieldIssue, IdentityResult, ImportInputs, OnboardingInputs, PollingSettings, RunInputs, RunTarget } from '../../../contract/ipc';
import { SANDBOX_PROFILE } from '../../../contract/ipc';
import { POLLING_LIMITS as L } from '../../../contract/rules';
import { checkField, type CheckedField } from './fieldCheck';

export type StorageFormat = NonNullable<OnboardingInputs['losslessStorageFormat']>;

export interface TagRow {
  key: string;
  value: string;
}

export interface WizardForm {
  profile: string;
  region: string;
  datastoreName: string;
  datastoreClientToken: string;
  kmsKeyArn: string;
  losslessStorageFormat: StorageFormat;
  tags: TagRow[];
  dataAccessRoleArn: string;
  inputS3Uri: string;
  outputS3Uri: string;
  jobName: string;
  inputOwnerAccountId: string;
  importClientToken: string;
}

/** Text fields of the form that come from OnboardingInputs. */
export type InputField = Exclude<keyof WizardForm, 'profile' | 'region' | 'tags' | 'losslessStorageFormat'>;

export type FieldErrors = Partial<Record<keyof WizardForm, string>>;

export const WIZARD_STEPS = ['account', 'datastore', 'import', 'review'] as const;
export type WizardStepId = (typeof WIZARD_STEPS)[number];

const STEP_OF_FIELD: Record<keyof WizardForm, WizardStepId> = {
  profile: 'account',
  region: 'account',
  datastoreName: 'datastore',
  datastoreClientToken: 'datastore',
  kmsKeyArn: 'datastore',
  losslessStorageFormat: 'datastore',
  tags: 'datastore',
  dataAccessRoleArn: 'import',
  inputS3Uri: 'import',
  outputS3Uri: 'import',
  jobName: 'import',
  inputOwnerAccountId: 'import',
  importClientToken: 'import',
};

export function stepOfField(field: string): WizardStepId | undefined {
  return (STEP_OF_FIELD as Record<string, WizardStepId>)[field];
}

export function isSandbox(profile: string): boolean {
  return profile === SANDBOX_PROFILE;
}

export function newClientToken(): string {
  return globalThis.crypto.randomUUID();
}

export function emptyForm(profile: string, region: string): WizardForm {
  return {
    profile,
    region,
    datastoreName: '',
    datastoreClientToken: newClientToken(),
    kmsKeyArn: '',
    losslessStorageFormat: 'HTJ2K',
    tags: [],
    dataAccessRoleArn: '',
    inputS3Uri: '',
    outputS3Uri: '',
    jobName: '',
    inputOwnerAccountId: '',
    importClientToken: newClientToken(),
  };
}

export function target(form: WizardForm): RunTarget {
  return { profile: form.profile, region: form.region };
}

/** The inputs the run starts with: optional fields only when filled. */
export function toInputs(form: WizardForm): OnboardingInputs {
  const inputs: OnboardingInputs = {
    datastoreName: form.datastoreName.trim(),
    datastoreClientToken: form.datastoreClientToken.trim(),
    dataAccessRoleArn: form.dataAccessRoleArn.trim(),
    importClientToken: form.importClientToken.trim(),
    inputS3Uri: form.inputS3Uri.trim(),
    outputS3Uri: form.outputS3Uri.trim(),
    losslessStorageFormat: form.losslessStorageFormat,
  };
  if (form.kmsKeyArn.trim()) inputs.kmsKeyArn = form.kmsKeyArn.trim();
  if (form.jobName.trim()) inputs.jobName = form.jobName.trim();
  if (form.inputOwnerAccountId.trim()) inputs.inputOwnerAccountId = form.inputOwnerAccountId.trim();
  if (form.tags.length > 0) inputs.tags = Object.fromEntries(form.tags.map((t) => [t.key.trim(), t.value]));
  return inputs;
}

/** The import's inputs only, for an import into an existing data store (main makes its client token). */
export function toImportInputs(form: WizardForm): ImportInputs {
  const inputs: ImportInputs = {
    dataAccessRoleArn: form.dataAccessRoleArn.trim(),
    inputS3Uri: form.inputS3Uri.trim(),
    outputS3Uri: form.outputS3Uri.trim(),
  };
  if (form.jobName.trim()) inputs.jobName = form.jobName.trim();
  if (form.inputOwnerAccountId.trim()) inputs.inputOwnerAccountId = form.inputOwnerAccountId.trim();
  return inputs;
}

/** What 'inputs:validate' and 'run:start' get: an onboarding, or an import into `existing`. */
export function runInputs(form: WizardForm, existing?: ExistingDatastore): RunInputs {
  return existing ? { importInto: { datastoreId: existing.datastoreId }, inputs: toImportInputs(form) } : { inputs: toInputs(form) };
}

/** Form values from a run's recorded inputs (History, "Import more data"). Unknown keys ignored. */
export function formFromInputs(base: WizardForm, inputs: Record<string, unknown>): WizardForm {
  const text = (key: InputField): string => (typeof inputs[key] === 'string' ? (inputs[key] as string) : base[key]);
  const format = inputs.losslessStorageFormat === 'JPEG_2000_LOSSLESS' ? 'JPEG_2000_LOSSLESS' : inputs.losslessStorageFormat === 'HTJ2K' ? 'HTJ2K' : base.losslessStorageFormat;
  const rawTags = inputs.tags;
  const tags =
    rawTags && typeof rawTags === 'object' && !Array.isArray(rawTags)
      ? Object.entries(rawTags as Record<string, unknown>).map(([key, value]) => ({ key, value: String(value ?? '') }))
      : base.tags;
  return {
    ...base,
    datastoreName: text('datastoreName'),
    datastoreClientToken: text('datastoreClientToken'),
    kmsKeyArn: text('kmsKeyArn'),
    dataAccessRoleArn: text('dataAccessRoleArn'),
    inputS3Uri: text('inputS3Uri'),
    outputS3Uri: text('outputS3Uri'),
    jobName: text('jobName'),
    inputOwnerAccountId: text('inputOwnerAccountId'),
    importClientToken: text('importClientToken'),
    losslessStorageFormat: format,
    tags,
  };
}

const INPUT_FIELDS: InputField[] = [
  'datastoreName',
  'datastoreClientToken',
  'kmsKeyArn',
  'dataAccessRoleArn',
  'inputS3Uri',
  'outputS3Uri',
  'jobName',
  'inputOwnerAccountId',
  'importClientToken',
];

/**
 * Apply new server defaults (after the profile or region changed) without clobbering what the user
 * typed: a field takes the new default only while it is empty or still holds the previous default.
 */
export function mergeDefaults(form: WizardForm, previous: OnboardingInputs | undefined, next: OnboardingInputs): WizardForm {
  const merged: WizardForm = { ...form };
  for (const field of INPUT_FIELDS) {
    const current = form[field];
    const before = previous?.[field] ?? '';
    const after = next[field];
    if (after === undefined) {
      if (previous && current === before && before !== '') merged[field] = field.endsWith('ClientToken') ? current : '';
      continue;
    }
    if (current === '' || current === before) merged[field] = after;
  }
  if (next.losslessStorageFormat && (!previous || form.losslessStorageFormat === (previous.losslessStorageFormat ?? 'HTJ2K'))) {
    merged.losslessStorageFormat = next.losslessStorageFormat;
  }
  if (next.tags && form.tags.length === 0) merged.tags = Object.entries(next.tags).map(([key, value]) => ({ key, value }));
  return merged;
}

function check(errors: FieldErrors, field: CheckedField & keyof WizardForm, value: string, optional = false): void {
  if (optional && value.trim() === '') return;
  const message = checkField(field, value.trim());
  if (message) errors[field] = message;
}

export function datastoreStepErrors(form: WizardForm): FieldErrors {
  const errors: FieldErrors = {};
  check(errors, 'datastoreName', form.datastoreName);
  check(errors, 'datastoreClientToken', form.datastoreClientToken);
  check(errors, 'kmsKeyArn', form.kmsKeyArn, true);
  const tagError = tagsError(form.tags);
  if (tagError) errors.tags = tagError;
  return errors;
}

export function tagsError(tags: readonly TagRow[]): string | undefined {
  if (tags.length > 50) return `At most 50 tags (there are ${tags.length}).`;
  const seen = new Set<string>();
  for (const [i, tag] of tags.entries()) {
    const keyError = checkField('tagKey', tag.key.trim());
    if (keyError) return `Tag ${i + 1}: ${keyError}`;
    const valueError = checkField('tagValue', tag.value);
    if (valueError) return `Tag ${i + 1}: ${valueError}`;
    if (seen.has(tag.key.trim())) return `Tag ${i + 1}: the key "${tag.key.trim()}" is used twice; tag keys must be unique.`;
    seen.add(tag.key.trim());
  }
  return undefined;
}

/** `importOnly`: an import into an existing data store, whose client token main generates. */
export function importStepErrors(form: WizardForm, callerAccountId?: string, importOnly = false): FieldErrors {
  const errors: FieldErrors = {};
  check(errors, 'dataAccessRoleArn', form.dataAccessRoleArn);
  check(errors, 'inputS3Uri', form.inputS3Uri);
  check(errors, 'outputS3Uri', form.outputS3Uri);
  check(errors, 'jobName', form.jobName, true);
  check(errors, 'inputOwnerAccountId', form.inputOwnerAccountId, true);
  if (!importOnly) check(errors, 'importClientToken', form.importClientToken);
  if (!errors.dataAccessRoleArn) {
    const crossAccount = roleAccountError(form.dataAccessRoleArn, callerAccountId);
    if (crossAccount) errors.dataAccessRoleArn = crossAccount;
  }
  const withSlash = (uri: string) => (uri.trim().endsWith('/') ? uri.trim() : `${uri.trim()}/`);
  if (!errors.outputS3Uri && form.inputS3Uri.trim() && withSlash(form.inputS3Uri) === withSlash(form.outputS3Uri)) {
    errors.outputS3Uri = 'Output S3 URI must differ from the input S3 URI: the import would read its own results.';
  }
  return errors;
}

export function hasErrors(errors: Partial<Record<string, string>>): boolean {
  return Object.values(errors).some((e) => e !== undefined);
}

/** The 12-digit account in an IAM ARN, if it is one. */
export function accountOfArn(arn: string): string | undefined {
  return /^arn:aws(?:-[^:]+)?:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/.exec(arn.trim())?.[1];
}

/**
 * The role must belong to the signed-in account: HealthImaging can only be passed (iam:PassRole) a
 * role of the account that owns the data store. The main process applies the same rule.
 */
export function roleAccountError(roleArn: string, callerAccountId: string | undefined): string | undefined {
  const roleAccount = accountOfArn(roleArn);
  if (!roleAccount || !callerAccountId || roleAccount === callerAccountId) return undefined;
  return `Data-access role ARN is in account ${roleAccount}, but you are signed in to account ${callerAccountId}: HealthImaging can only be passed a role of the account that owns the data store. Use a role of account ${callerAccountId}.`;
}

/** Server-side issues ('inputs:validate') spread onto fields; the rest go to `other`. */
export function issuesToErrors(issues: readonly FieldIssue[]): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const issue of issues) {
    const field = issue.field.startsWith('tags') ? 'tags' : issue.field;
    if (stepOfField(field)) {
      const key = field as keyof WizardForm;
      fields[key] = fields[key] ? `${fields[key]} ${issue.message}` : issue.message;
    } else other.push(issue.field ? `${issue.field}: ${issue.message}` : issue.message);
  }
  return { fields, other };
}

export type PollingErrors = Partial<Record<keyof PollingSettings, string>>;

export function pollingErrors(p: PollingSettings): PollingErrors {
  const errors: PollingErrors = {};
  const { initialDelaySeconds: first, multiplier: growth, maxDelaySeconds: cap, stepTimeoutSeconds: deadline } = L;
  if (!Number.isFinite(p.initialDelaySeconds) || p.initialDelaySeconds < first.min || p.initialDelaySeconds > first.max) {
    errors.initialDelaySeconds = `First delay must be between ${first.min} and ${first.max} seconds.`;
  }
  if (!Number.isFinite(p.multiplier) || p.multiplier < growth.min || p.multiplier > growth.max) errors.multiplier = `Growth factor must be between ${growth.min} and ${growth.max}.`;
  if (!Number.isFinite(p.maxDelaySeconds) || p.maxDelaySeconds < p.initialDelaySeconds || p.maxDelaySeconds > cap.max) {
    errors.maxDelaySeconds = `Maximum delay must be at least the first delay and at most ${cap.max} seconds.`;
  }
  if (!Number.isFinite(p.stepTimeoutSeconds) || p.stepTimeoutSeconds < deadline.min || p.stepTimeoutSeconds > deadline.max) {
    errors.stepTimeoutSeconds = `Deadline per step must be between ${deadline.min} seconds and 7 days (${deadline.max} seconds).`;
  }
  return errors;
}

/**
 * "Import more data into this data store": the wizard runs import-into-datastore against this
 * existing data store instead of creating one. Its account, region and the store are fixed.
 */
export interface ExistingDatastore {
  datastoreId: string;
  /** As the run that found the store recorded it (its inputs or its GetDatastore answer). */
  datastoreName?: string;
  /** The run it came from ("Import more data" on Done); absent when picked on the Data stores page. */
  fromRunId?: string;
}

/** The final button: what starting does. */
export function startButtonText(existing?: ExistingDatastore): string {
  return existing ? 'Start import' : 'Start onboarding';
}

/** The plain statement shown before Start: what will exist in the account afterwards. */
export function creationStatement(form: WizardForm, identity: IdentityResult | undefined, existing?: ExistingDatastore, opts: { customEndpoint?: boolean } = {}): string[] {
  const lines = statementLines(form, identity, existing);
  // A profile whose config sends HealthImaging elsewhere (a `services` section or endpoint_url):
  // say so where the user confirms, not only on the Account step.
  if (opts.customEndpoint && !isSandbox(form.profile)) {
    lines.push(`The profile "${form.profile}" sends these requests to the custom endpoint set in its AWS config, not to AWS's default HealthImaging endpoint for ${form.region}.`);
  }
  return lines;
}

function statementLines(form: WizardForm, identity: IdentityResult | undefined, existing?: ExistingDatastore): string[] {
  const account = identity?.ok ? identity.accountId : 'the signed-in account';
  const store = (id: string, name?: string) => `${id}${name ? ` ("${name}")` : ''}`;
  if (existing) {
    const target = store(existing.datastoreId, existing.datastoreName);
    if (isSandbox(form.profile)) {
      return [
        `Nothing is created in AWS. The local sandbox will check that its data store ${target} is ACTIVE and start one import job of its demo data from ${form.inputS3Uri} into it.`,
        'No AWS account is used and nothing is billed.',
      ];
    }
    return [
      `Nothing new is created except an import job. The run reads data store ${target} in region ${form.region} of account ${account} and goes on only if it is ACTIVE; the data store and its settings are not changed.`,
      `One import job will read the DICOM files under ${form.inputS3Uri} with the role ${form.dataAccessRoleArn} and write its results to ${form.outputS3Uri}.`,
      'The imported image sets add to the storage billed for this data store.',
    ];
  }
  if (isSandbox(form.profile)) {
    return [
      `Nothing is created in AWS. The local sandbox will simulate a data store named "${form.datastoreName}" and an import of its demo data from ${form.inputS3Uri}.`,
      'No AWS account is used and nothing is billed.',
    ];
  }
  return [
    `A HealthImaging data store named "${form.datastoreName}" will be created in region ${form.region} of account ${account}.`,
    `An import job will read the DICOM files under ${form.inputS3Uri} with the role ${form.dataAccessRoleArn} and write its results to ${form.outputS3Uri}.`,
    'Data store storage is billed to the account for as long as the data store exists; delete it from the AWS console when you no longer need it.',
  ];
}
