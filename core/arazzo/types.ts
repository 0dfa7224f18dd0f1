/** The parts of an Arazzo 1.0.x / 1.1.x document the engine reads, after loading and validation. */

export interface CriterionExpressionType {
  type: 'jsonpath' | 'xpath';
  version: string;
}

export interface Criterion {
  context?: string;
  condition: string;
  type?: 'simple' | 'regex' | 'jsonpath' | 'xpath' | CriterionExpressionType;
}

export interface SuccessAction {
  name: string;
  type: 'end' | 'goto';
  stepId?: string;
  workflowId?: string;
  criteria?: Criterion[];
}

export interface FailureAction {
  name: string;
  type: 'end' | 'goto' | 'retry';
  stepId?: string;
  workflowId?: string;
  /** Seconds to wait before a retry. */
  retryAfter?: number;
  /** Retries this action allows (default 1). */
  retryLimit?: number;
  criteria?: Criterion[];
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface Parameter {
  name: string;
  in?: ParameterLocation;
  value: unknown;
}

export interface RequestBody {
  contentType?: string;
  payload?: unknown;
  replacements?: Array<{ target: string; value: unknown }>;
}

export interface Step {
  stepId: string;
  description?: string;
  operationId?: string;
  operationPath?: string;
  workflowId?: string;
  /** Arazzo 1.1 `timeout`: milliseconds the whole step entry may take (see core/engine/README.md). */
  timeoutMs?: number;
  /** Resolved: reusable parameter references replaced by their objects. */
  parameters: Parameter[];
  requestBody?: RequestBody;
  successCriteria?: Criterion[];
  /** Resolved and merged with the workflow's successActions. */
  onSuccess?: SuccessAction[];
  onFailure?: FailureAction[];
  outputs?: Record<string, string>;
}

export interface Workflow {
  workflowId: string;
  summary?: string;
  description?: string;
  /** JSON Schema of the workflow's inputs. */
  inputs?: Record<string, unknown>;
  steps: Step[];
  outputs?: Record<string, string>;
}

export interface WorkflowDocument {
  arazzo: string;
  info: { title: string; version: string; summary?: string; description?: string };
  sourceDescriptions: Array<{ name: string; url: string; type?: string }>;
  workflows: Workflow[];
  components?: Record<string, unknown>;
  /** Where the document was loaded from, when known. */
  path?: string;
}
