/**
 * A run request's inputs as both adapters treat them: which shipped workflow it runs, the
 * workflow's inputs without empty optional fields, and every rule checked before anything is sent.
 */
import type { FieldIssue, ImportInputs, OnboardingInputs, RunInputs } from '../../contract/ipc';
import { selectWorkflow } from '../arazzo/document';
import type { WorkflowDocument } from '../arazzo/types';
import { validateInputs } from '../engine/inputs';
import { generateClientToken } from '../healthimaging/client-token';
import { roleAccountIssue, validateOnboardingInputs } from '../healthimaging/field-rules';
import { IMPORT_INTO_WORKFLOW_ID, ONBOARD_WORKFLOW_ID, type BundledWorkflowId } from '../healthimaging/workflows';

/** The workflow inputs of the wizard's values: optional fields left out when empty. */
export function workflowInputs(inputs: OnboardingInputs | ImportInputs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && value.trim() === '' && !/ClientToken$/.test(key)) continue;
    if (key === 'tags' && typeof value === 'object' && Object.keys(value).length === 0) continue;
    out[key] = value;
  }
  return out;
}

/**
 * Which shipped workflow a request runs, with its inputs. An import into an existing data store
 * gets a new import client token here, every time: re-sending an earlier import's token would make
 * HealthImaging answer with that earlier job instead of importing anything. The token is recorded
 * in the run's header, so a resume of this run re-sends this same one.
 */
export function workflowRun(request: RunInputs): { workflowId: BundledWorkflowId; inputs: Record<string, unknown> } {
  if (request.importInto === undefined) return { workflowId: ONBOARD_WORKFLOW_ID, inputs: workflowInputs(request.inputs) };
  return {
    workflowId: IMPORT_INTO_WORKFLOW_ID,
    inputs: { ...workflowInputs(request.inputs), datastoreId: request.importInto.datastoreId.trim(), importClientToken: generateClientToken() },
  };
}

/**
 * Every issue with a run request, one per field: the onboarding's own required-field wording
 * first, then the workflow's schema and rules, then the role's account (once it is known).
 */
export function runInputIssues(document: WorkflowDocument, request: RunInputs, callerAccountId: string | undefined): FieldIssue[] {
  const run = workflowRun(request);
  const issues: FieldIssue[] = run.workflowId === ONBOARD_WORKFLOW_ID ? [...validateOnboardingInputs(run.inputs)] : [];
  const seen = new Set(issues.map((i) => i.field));
  const add = (issue: FieldIssue | undefined) => {
    if (issue && !seen.has(issue.field)) {
      issues.push(issue);
      seen.add(issue.field);
    }
  };
  for (const issue of validateInputs(selectWorkflow(document, run.workflowId), run.inputs).issues) add(issue);
  add(roleAccountIssue(request.inputs.dataAccessRoleArn, callerAccountId));
  return issues;
}
