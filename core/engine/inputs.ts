/**
 * Workflow inputs are checked before anything is sent or recorded: against the workflow's `inputs`
 * JSON Schema (ajv, defaults applied) and against HealthImaging's field rules for the inputs that
 * carry a HealthImaging field. Client tokens left empty are generated here, so they are recorded
 * with the run and re-sent unchanged on every retry and resume.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Workflow } from '../arazzo/types';
import { generateClientToken } from '../healthimaging/client-token';
import { checkField, crossFieldIssues, fieldForInput } from '../healthimaging/field-rules';

export interface InputIssue {
  field: string;
  message: string;
}

export class InvalidInputsError extends Error {
  override name = 'InvalidInputsError';
  readonly code = 'InvalidInputs';
  constructor(readonly issues: InputIssue[]) {
    super(`Invalid inputs, nothing was sent:\n${issues.map((i) => `  ${i.field}: ${i.message}`).join('\n')}`);
  }
}

/** Schema keywords about a value's shape, which a HealthImaging field rule words better. */
const SHAPE_KEYWORDS = new Set(['pattern', 'minLength', 'maxLength', 'format']);

const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false });
const compiled = new WeakMap<object, ValidateFunction | Error>();

function validatorFor(schema: Record<string, unknown>): ValidateFunction | Error {
  let v = compiled.get(schema);
  if (!v) {
    try {
      v = ajv.compile(schema);
    } catch (e) {
      v = e as Error;
    }
    compiled.set(schema, v);
  }
  return v;
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

function schemaIssue(e: ErrorObject): InputIssue {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'required') {
    const field = path ? `${path}.${String(e.params.missingProperty)}` : String(e.params.missingProperty);
    return { field, message: `${field} is required` };
  }
  if (e.keyword === 'additionalProperties') {
    const field = path ? `${path}.${String(e.params.additionalProperty)}` : String(e.params.additionalProperty);
    return { field, message: `${field} is not an input of this workflow` };
  }
  const field = path || '(inputs)';
  const extra = e.keyword === 'enum' ? `: ${(e.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}` : '';
  return { field, message: `${field} ${e.message ?? 'is not valid'}${extra}` };
}

export function validateInputs(workflow: Workflow, inputs: Record<string, unknown>): { inputs: Record<string, unknown>; issues: InputIssue[] } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs ?? {})) if (v !== undefined) out[k] = v;
  const schema = workflow.inputs;
  const declared = schema && typeof schema.properties === 'object' && schema.properties !== null ? Object.keys(schema.properties) : [];

  // Client tokens left empty are generated (declared ones and any given by name).
  for (const name of new Set([...declared, ...Object.keys(out)])) {
    if (fieldForInput(name) === 'clientToken' && isEmpty(out[name])) out[name] = generateClientToken();
  }
  // Trim surrounding spaces of text inputs that carry a HealthImaging field: a pasted ARN with a
  // trailing newline is a typo, not a different value.
  for (const [name, v] of Object.entries(out)) if (typeof v === 'string' && fieldForInput(name)) out[name] = v.trim();

  // HealthImaging's rule for a field says what is wrong in words ("must be 32 lowercase letters or
  // digits"); a schema's pattern or length for the same value would only repeat it as a regex.
  const ruleIssues = new Map<string, string>();
  for (const [name, value] of Object.entries(out)) {
    const field = fieldForInput(name);
    const message = field ? checkField(field, value, name) : undefined;
    if (message) ruleIssues.set(name, message);
  }
  const issues: InputIssue[] = [];
  if (schema) {
    const validate = validatorFor(schema);
    if (validate instanceof Error) issues.push({ field: '(inputs schema)', message: `the workflow's inputs schema does not compile: ${validate.message}` });
    else if (!validate(out))
      for (const e of validate.errors ?? []) {
        const issue = schemaIssue(e);
        if (SHAPE_KEYWORDS.has(e.keyword) && ruleIssues.has(issue.field)) continue;
        issues.push(issue);
      }
  }
  const flagged = new Set(issues.map((i) => i.field));
  for (const [name, message] of ruleIssues) if (!flagged.has(name)) issues.push({ field: name, message });
  for (const issue of crossFieldIssues(out)) if (!issues.some((i) => i.field === issue.field)) issues.push(issue);
  return { inputs: out, issues };
}
