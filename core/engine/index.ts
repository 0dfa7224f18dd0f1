/** The workflow engine's public API. */
export { loadWorkflowDocument, selectWorkflow, WorkflowDocumentError } from '../arazzo/document';
export { BUNDLED_WORKFLOW_FILE, ONBOARD_WORKFLOW_ID, IMPORT_INTO_WORKFLOW_ID, type BundledWorkflowId } from '../healthimaging/workflows';
export type { WorkflowDocument, Workflow, Step } from '../arazzo/types';
export { validateInputs, InvalidInputsError, type InputIssue } from './inputs';
export { startRun, resumeRun, RunResumeError, RunNotResumableError, RunInUseError, newRunId, documentHash, DEFAULT_PRODUCT, type StartRunOptions, type ResumeRunOptions, type RunHandle } from './run';
export { DEFAULT_POLLING, FALLBACK_POLLING, resolvePollingPolicy, InvalidPollingPolicyError, type PollingPolicy, type PollingOption } from './polling';
export { outcomeOfEnding } from './outcome';
export { replayRun } from './replay';
export { createManualClock, type ManualClock } from './manual-clock';
export { systemClock, type Clock } from './clock';
export type { OperationBinding, OperationRequest, OperationResponse, FaultKind } from './binding';
export type * from './events';
export { createRunStore, type RunStore, type RunHeader, type RunLogSummary } from '../runs/run-store';
