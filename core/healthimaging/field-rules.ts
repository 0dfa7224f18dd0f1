/**
 * HealthImaging field rules from the service model (lengths and patterns), shared by the engine
 * (before anything is sent) and the renderer (live checks while typing). PURE: no Node imports.
 */

export type FieldName =
  | 'datastoreName'
  | 'clientToken'
  | 'datastoreId'
  | 'jobId'
  | 'jobName'
  | 'dataAccessRoleArn'
  | 'inputS3Uri'
  | 'outputS3Uri'
  | 'kmsKeyArn'
  | 'inputOwnerAccountId'
  | 'losslessStorageFormat'
  | 'tags';

export interface FieldRule {
  minLength: number;
  maxLength: number;
  pattern?: RegExp;
  /** How the pattern reads to a person. */
  patternText?: string;
  allowed?: readonly string[];
}

const S3_URI = /^s3:\/\/[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9](\/.*)?$/;

export const FIELD_RULES: Readonly<Record<Exclude<FieldName, 'tags'>, FieldRule>> = {
  datastoreName: { minLength: 1, maxLength: 256, pattern: /^[A-Za-z0-9._/#-]+$/, patternText: 'letters, digits and . _ / # - only' },
  clientToken: { minLength: 1, maxLength: 64, pattern: /^[A-Za-z0-9._-]+$/, patternText: 'letters, digits and . _ - only' },
  datastoreId: { minLength: 32, maxLength: 32, pattern: /^[0-9a-z]{32}$/, patternText: '32 lowercase letters or digits' },
  jobId: { minLength: 1, maxLength: 32, pattern: /^[0-9a-z]+$/, patternText: 'lowercase letters and digits only' },
  jobName: { minLength: 1, maxLength: 64, pattern: /^[A-Za-z0-9._/#-]+$/, patternText: 'letters, digits and . _ / # - only' },
  dataAccessRoleArn: {
    minLength: 20,
    maxLength: 2048,
    pattern: /^arn:aws(-[^:]+)?:iam::[0-9]{12}:role\/.+$/,
    patternText: 'an IAM role ARN such as arn:aws:iam::123456789012:role/NAME',
  },
  inputS3Uri: { minLength: 1, maxLength: 1024, pattern: S3_URI, patternText: 'an S3 URI such as s3://bucket/prefix/ (lowercase bucket name)' },
  outputS3Uri: { minLength: 1, maxLength: 1024, pattern: S3_URI, patternText: 'an S3 URI such as s3://bucket/prefix/ (lowercase bucket name)' },
  kmsKeyArn: {
    minLength: 1,
    maxLength: 512,
    pattern: /^arn:aws(-[^:]+)?:kms:[a-z0-9-]+:[0-9]{12}:(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/,
    patternText: 'a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID) or alias ARN (...:alias/NAME)',
  },
  inputOwnerAccountId: { minLength: 12, maxLength: 12, pattern: /^[0-9]{12}$/, patternText: '12 digits' },
  losslessStorageFormat: { minLength: 1, maxLength: 32, allowed: ['HTJ2K', 'JPEG_2000_LOSSLESS'] },
};

function lengthText(rule: FieldRule): string {
  return rule.minLength === rule.maxLength ? `exactly ${rule.minLength}` : `${rule.minLength}-${rule.maxLength}`;
}

function checkTags(value: unknown, label: string): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${label} must be a map of tag keys to values`;
  for (const [key, v] of Object.entries(value)) {
    if (key.length < 1 || key.length > 128) return `${label}: tag key "${key}" must be 1-128 characters`;
    if (/^aws:/i.test(key)) return `${label}: tag key "${key}" may not start with "aws:" (reserved by AWS)`;
    if (typeof v !== 'string') return `${label}: the value of tag "${key}" must be a string`;
    if (v.length > 256) return `${label}: the value of tag "${key}" must be at most 256 characters`;
  }
  return undefined;
}

/**
 * Checks one value against its field's rule; returns a message naming the field (or `label`) and
 * the rule, or undefined when it passes. An absent value (undefined, null, '') passes here:
 * whether a field is required is decided by `validateOnboardingInputs` and the workflow's schema.
 */
export function checkField(field: FieldName | string, value: unknown, label: string = field): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (field === 'tags') return checkTags(value, label);
  const rule = (FIELD_RULES as Record<string, FieldRule | undefined>)[field];
  if (!rule) return undefined;
  if (typeof value !== 'string') return `${label} must be text`;
  if (rule.allowed) return rule.allowed.includes(value) ? undefined : `${label} must be one of ${rule.allowed.join(', ')}`;
  // The shape says more than the length ("must be an IAM role ARN..."), so it is checked first.
  if (rule.pattern && !rule.pattern.test(value)) return `${label} must be ${rule.patternText ?? `text matching ${rule.pattern.source}`}`;
  if (value.length < rule.minLength || value.length > rule.maxLength)
    return `${label} must be ${lengthText(rule)} characters long (it has ${value.length})`;
  return undefined;
}

/** The HealthImaging field an input name carries: *ClientToken -> clientToken, known names as they are. */
export function fieldForInput(inputName: string): FieldName | undefined {
  if (inputName === 'clientToken' || /ClientToken$/.test(inputName)) return 'clientToken';
  if (inputName in FIELD_RULES || inputName === 'tags') return inputName as FieldName;
  return undefined;
}

export interface OnboardingInputsLike {
  datastoreName?: unknown;
  datastoreClientToken?: unknown;
  dataAccessRoleArn?: unknown;
  importClientToken?: unknown;
  inputS3Uri?: unknown;
  outputS3Uri?: unknown;
  kmsKeyArn?: unknown;
  losslessStorageFormat?: unknown;
  tags?: unknown;
  jobName?: unknown;
  inputOwnerAccountId?: unknown;
  [key: string]: unknown;
}

/** Required by the onboarding workflow; client tokens are not: left empty, they are generated. */
export const REQUIRED_ONBOARDING_FIELDS = ['datastoreName', 'dataAccessRoleArn', 'inputS3Uri', 'outputS3Uri'] as const;

/** Every field issue of the wizard's inputs: required ones present, each value within its rule. */
export function validateOnboardingInputs(inputs: OnboardingInputsLike): Array<{ field: string; message: string }> {
  const issues: Array<{ field: string; message: string }> = [];
  for (const field of REQUIRED_ONBOARDING_FIELDS) {
    const v = inputs[field];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) issues.push({ field, message: `${field} is required` });
  }
  for (const [name, value] of Object.entries(inputs)) {
    const field = fieldForInput(name);
    if (!field) continue;
    const message = checkField(field, value, name);
    if (message) issues.push({ field: name, message });
  }
  issues.push(...crossFieldIssues(inputs));
  return issues;
}

/** Rules between fields: the import must not read its own results (same input and output prefix). */
export function crossFieldIssues(inputs: Record<string, unknown>): Array<{ field: string; message: string }> {
  const inUri = inputs.inputS3Uri;
  const outUri = inputs.outputS3Uri;
  if (typeof inUri === 'string' && typeof outUri === 'string' && inUri !== '' && withSlash(inUri) === withSlash(outUri))
    return [{ field: 'outputS3Uri', message: 'outputS3Uri must differ from inputS3Uri (the import would read its own results)' }];
  return [];
}

function withSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}

const ROLE_ACCOUNT = /^arn:aws[a-z-]*:iam::(\d{12}):role\//;

/**
 * The data-access role must live in the caller's account: HealthImaging assumes it there. Checked
 * by the wizard (as soon as the account is known) and again by main before a run starts.
 */
export function roleAccountIssue(roleArn: string, callerAccountId: string | undefined): { field: 'dataAccessRoleArn'; message: string } | undefined {
  if (!callerAccountId) return undefined;
  const account = ROLE_ACCOUNT.exec(roleArn.trim())?.[1];
  if (!account || account === callerAccountId) return undefined;
  return {
    field: 'dataAccessRoleArn',
    message: `dataAccessRoleArn belongs to account ${account}, but you are signed in to account ${callerAccountId}: use a role of account ${callerAccountId} (HealthImaging can only be passed a role of the account that owns the data store)`,
  };
}

/**
 * IAM's rule for a role name (CreateRole RoleName): 1-64 letters, digits and + = , . @ _ -.
 * A message naming `label` and the rule, or undefined. Not a HealthImaging field: the role helper's.
 */
export function roleNameIssue(name: string, label = 'Role name'): string | undefined {
  if (name.length === 0) return `${label} is required`;
  if (name.length > 64) return `${label} must be 1-64 characters long (it has ${name.length})`;
  if (!/^[A-Za-z0-9_+=,.@-]+$/.test(name)) return `${label} may contain only letters, digits and + = , . @ _ - (got "${name}")`;
  return undefined;
}
