/**
 * The preflight's inputs from a run's inputs (the `--inputs FILE.json` object): the fields it
 * checks, each against its HealthImaging field rule, so bad input is refused naming the field
 * and the rule before anything is sent. PURE.
 */
import { checkField } from '../healthimaging/field-rules';
import type { PreflightInputs } from './types';

export interface InputIssue {
  field: string;
  message: string;
}

const REQUIRED = ['dataAccessRoleArn', 'inputS3Uri', 'outputS3Uri'] as const;
const OPTIONAL = ['kmsKeyArn', 'inputOwnerAccountId', 'datastoreId'] as const;

export function preflightInputsFrom(raw: Record<string, unknown>): { inputs?: PreflightInputs; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  for (const field of REQUIRED) {
    const v = raw[field];
    if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) issues.push({ field, message: `${field} is required` });
  }
  for (const field of [...REQUIRED, ...OPTIONAL]) {
    const message = checkField(field, raw[field], field);
    if (message) issues.push({ field, message });
  }
  if (issues.length > 0) return { issues };
  const str = (k: string) => (typeof raw[k] === 'string' && raw[k] !== '' ? (raw[k] as string) : undefined);
  const inputs: PreflightInputs = {
    dataAccessRoleArn: str('dataAccessRoleArn')!,
    inputS3Uri: str('inputS3Uri')!,
    outputS3Uri: str('outputS3Uri')!,
  };
  for (const k of OPTIONAL) {
    const v = str(k);
    if (v) inputs[k] = v;
  }
  return { inputs, issues };
}
