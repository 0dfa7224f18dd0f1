export * from './types';
export { loadWorkflowDocument, selectWorkflow, WorkflowDocumentError, bareOperationId, type DocumentIssue, type LoadOptions } from './document';
export {
  parseRuntimeExpression,
  evaluateExpression,
  evaluateValue,
  parseTemplate,
  looksLikeRuntimeExpression,
  ExpressionSyntaxError,
  type RuntimeExpression,
  type ExpressionContext,
} from './expression';
export { parseCondition, evaluateCondition, ConditionSyntaxError } from './condition';
export { compileCriterion, evaluateCriterion, firstFailingCriterion, CriterionError, type CompiledCriterion } from './criteria';
export { resolveJsonPointer, parseJsonPointer } from './json-pointer';
