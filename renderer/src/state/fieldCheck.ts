/**
 * Live field checks for the wizard: the HealthImaging rules of core/healthimaging/field-rules.ts
 * (the same ones the engine applies before sending), with the wizard's labels and its notion of
 * "required". The main process validates again ('inputs:validate') before anything is sent.
 */
import { checkField as checkRule, type FieldName } from '../../../core/healthimaging/field-rules';

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

const FIELDS: Record<Exclude<CheckedField, 'tagKey' | 'tagValue'>, { rule: FieldName; label: string }> = {
  datastoreName: { rule: 'datastoreName', label: 'Data store name' },
  datastoreClientToken: { rule: 'clientToken', label: 'Data store client token' },
  importClientToken: { rule: 'clientToken', label: 'Import client token' },
  dataAccessRoleArn: { rule: 'dataAccessRoleArn', label: 'Data-access role ARN' },
  inputS3Uri: { rule: 'inputS3Uri', label: 'Input S3 URI' },
  outputS3Uri: { rule: 'outputS3Uri', label: 'Output S3 URI' },
  kmsKeyArn: { rule: 'kmsKeyArn', label: 'KMS key ARN' },
  jobName: { rule: 'jobName', label: 'Job name' },
  inputOwnerAccountId: { rule: 'inputOwnerAccountId', label: 'Input owner account' },
};

export function fieldLabel(field: CheckedField): string {
  return field === 'tagKey' ? 'Tag key' : field === 'tagValue' ? 'Tag value' : FIELDS[field].label;
}

/**
 * An error naming the field and the rule, or undefined when the value is acceptable. Empty values
 * are reported as missing here; callers skip optional fields that are empty.
 */
export function checkField(field: CheckedField, value: string): string | undefined {
  if (field === 'tagKey' || field === 'tagValue') return checkTag(field, value);
  const { rule, label } = FIELDS[field];
  if (value === '') return `${label} is required.`;
  const message = checkRule(rule, value, label);
  return message ? sentence(message) : undefined;
}

function checkTag(field: 'tagKey' | 'tagValue', value: string): string | undefined {
  if (field === 'tagKey') {
    if (value === '') return 'Tag key is required.';
    if (value.length > 128) return `Tag key must be at most 128 characters (it has ${value.length}).`;
    const message = checkRule('tags', { [value]: '' }, 'Tags');
    return message ? sentence(message) : undefined;
  }
  if (value.length > 256) return `Tag value must be at most 256 characters (it has ${value.length}).`;
  return undefined;
}

function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}
