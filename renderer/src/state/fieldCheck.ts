/**
 * Live field checks for the wizard, with the API of core/healthimaging/field-rules.ts
 * (`checkField(field, value): string | undefined`). Until that module lands this file carries the
 * same rules from the HealthImaging model; the main process validates again ('inputs:validate')
 * before anything is sent, so the two can never let a bad value through together.
 */
export type CheckedField =
  | 'datastoreName'
  | 'datastoreClientToken'
  | 'importClientToken'
  | 'dataAccessRoleArn'
  | 'inputS3Uri'
  | 'outputS3Uri'
  | 'kmsKeyArn'
  | 'jobName'
  | 'inputOwnerAccountId'
  | 'tagKey'
  | 'tagValue';

interface Rule {
  label: string;
  min: number;
  max: number;
  pattern?: RegExp;
  patternText?: string;
}

const S3_URI = /^s3:\/\/[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9](\/.*)?$/;

const RULES: Record<CheckedField, Rule> = {
  datastoreName: { label: 'Data store name', min: 1, max: 256, pattern: /^[A-Za-z0-9._/#-]+$/, patternText: 'letters, digits and . _ / # - only' },
  datastoreClientToken: { label: 'Data store client token', min: 1, max: 64, pattern: /^[A-Za-z0-9._-]+$/, patternText: 'letters, digits and . _ - only' },
  importClientToken: { label: 'Import client token', min: 1, max: 64, pattern: /^[A-Za-z0-9._-]+$/, patternText: 'letters, digits and . _ - only' },
  dataAccessRoleArn: { label: 'Data-access role ARN', min: 20, max: 2048, pattern: /^arn:aws(-[^:]+)?:iam::[0-9]{12}:role\/.+$/, patternText: 'an IAM role ARN: arn:aws:iam::123456789012:role/NAME' },
  inputS3Uri: { label: 'Input S3 URI', min: 1, max: 1024, pattern: S3_URI, patternText: 's3://bucket/prefix/ with a valid bucket name (lowercase letters, digits, dots, hyphens; 3-63 characters)' },
  outputS3Uri: { label: 'Output S3 URI', min: 1, max: 1024, pattern: S3_URI, patternText: 's3://bucket/prefix/ with a valid bucket name (lowercase letters, digits, dots, hyphens; 3-63 characters)' },
  kmsKeyArn: { label: 'KMS key ARN', min: 1, max: 512, pattern: /^arn:aws(-[^:]+)?:kms:[a-z0-9-]+:[0-9]{12}:(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/, patternText: 'a KMS key or alias ARN: arn:aws:kms:REGION:ACCOUNT:key/ID' },
  jobName: { label: 'Job name', min: 1, max: 64, pattern: /^[A-Za-z0-9._/#-]+$/, patternText: 'letters, digits and . _ / # - only' },
  inputOwnerAccountId: { label: 'Input owner account', min: 12, max: 12, pattern: /^[0-9]{12}$/, patternText: 'exactly 12 digits' },
  tagKey: { label: 'Tag key', min: 1, max: 128 },
  tagValue: { label: 'Tag value', min: 0, max: 256 },
};

/** An error naming the field and the rule, or undefined when the value is acceptable. */
export function checkField(field: CheckedField, value: string): string | undefined {
  const rule = RULES[field];
  if (value.length < rule.min) {
    return rule.min === 1 ? `${rule.label} is required.` : `${rule.label} must be at least ${rule.min} characters (it has ${value.length}).`;
  }
  if (value.length > rule.max) return `${rule.label} must be at most ${rule.max} characters (it has ${value.length}).`;
  if (field === 'tagKey' && value.toLowerCase().startsWith('aws:')) return 'Tag key may not start with "aws:" (reserved by AWS).';
  if (rule.pattern && !rule.pattern.test(value)) return `${rule.label} must be ${rule.patternText}.`;
  return undefined;
}
