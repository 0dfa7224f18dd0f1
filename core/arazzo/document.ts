/**
 * Loads an Arazzo 1.0.x or 1.1.x document (YAML or JSON) and checks everything the engine relies on before
 * a run can start, collecting every problem with the place it is at, e.g.
 * `workflows[0].steps[2].onSuccess[1].stepId: goto to unknown step "x"`.
 */
import { parseDocument } from 'yaml';
import { parseCondition, type ConditionNode } from './condition';
import { compileCriterion, CriterionError } from './criteria';
import { collectExpressions, parseRuntimeExpression, type RuntimeExpression } from './expression';
import type { Criterion, FailureAction, Parameter, Step, SuccessAction, Workflow, WorkflowDocument } from './types';

export interface DocumentIssue {
  path: string;
  message: string;
}

export class WorkflowDocumentError extends Error {
  override name = 'WorkflowDocumentError';
  constructor(readonly issues: DocumentIssue[]) {
    super(`The workflow document is not valid:\n${issues.map((i) => `  ${i.path || '(document)'}: ${i.message}`).join('\n')}`);
  }
}

export interface LoadOptions {
  path?: string;
  /** When given, operationIds and required path parameters are checked against it. */
  binding?: { has(operationId: string): boolean; pathParameters?(operationId: string): string[] | undefined };
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

const STEP_ID = /^[A-Za-z0-9_-]+$/;
const SUPPORTED_VERSION = /^1\.[01]\.\d+$/;
/** 1.0 documents keep the seed's jsonpath "query op literal" form; 1.1 means RFC 9535 unless the criterion names the older draft. */
type Dialect = '1.0' | '1.1';
const DRAFT_JSONPATH = /^draft-goessner-dispatch-jsonpath/;
const OUTPUT_NAME = /^[a-zA-Z0-9.\-_]+$/;

function parseText(text: string, issues: DocumentIssue[]): unknown {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      issues.push({ path: '', message: `not valid JSON: ${(e as Error).message}` });
      return undefined;
    }
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const err of doc.errors) issues.push({ path: '', message: `not valid YAML: ${err.message.split('\n')[0]}` });
    return undefined;
  }
  return doc.toJS({ maxAliasCount: 100 });
}

/** The operationId without a `$sourceDescriptions.NAME.` qualifier. */
export function bareOperationId(operationId: string): string {
  const m = /^\$sourceDescriptions\.[^.]+\.(.+)$/.exec(operationId);
  return m ? m[1]! : operationId;
}

function conditionExpressions(node: ConditionNode, out: RuntimeExpression[] = []): RuntimeExpression[] {
  switch (node.kind) {
    case 'expr':
      out.push(node.expression);
      break;
    case 'not':
      conditionExpressions(node.operand, out);
      break;
    case 'and':
    case 'or':
    case 'compare':
      conditionExpressions(node.left, out);
      conditionExpressions(node.right, out);
      break;
    case 'literal':
      break;
  }
  return out;
}

export function loadWorkflowDocument(text: string, opts: LoadOptions = {}): WorkflowDocument {
  const issues: DocumentIssue[] = [];
  const root = parseText(text, issues);
  if (issues.length > 0) throw new WorkflowDocumentError(issues);
  if (!isObj(root)) throw new WorkflowDocumentError([{ path: '', message: 'the document must be an object with arazzo, info, sourceDescriptions and workflows' }]);
  const add = (path: string, message: string) => issues.push({ path, message });

  if (typeof root.arazzo !== 'string' || !SUPPORTED_VERSION.test(root.arazzo))
    add('arazzo', root.arazzo === undefined ? 'is required (e.g. 1.0.1)' : `version "${String(root.arazzo)}" is not supported (expected 1.0.x or 1.1.x)`);
  const dialect: Dialect = typeof root.arazzo === 'string' && root.arazzo.startsWith('1.1.') ? '1.1' : '1.0';
  const info = isObj(root.info) ? root.info : undefined;
  if (!info) add('info', 'is required (an object with title and version)');
  else {
    if (!isStr(info.title)) add('info.title', 'is required');
    if (info.version === undefined) add('info.version', 'is required');
  }
  const sources = Array.isArray(root.sourceDescriptions) ? root.sourceDescriptions : undefined;
  if (!sources || sources.length === 0) add('sourceDescriptions', 'is required (at least one source description)');
  else
    sources.forEach((s, i) => {
      if (!isObj(s) || !isStr(s.name)) add(`sourceDescriptions[${i}].name`, 'is required');
      if (!isObj(s) || !isStr(s.url)) add(`sourceDescriptions[${i}].url`, 'is required');
    });

  const components = isObj(root.components) ? root.components : {};
  const sourceTypes = new Map<string, string>((sources ?? []).filter(isObj).map((s) => [String(s.name), typeof s.type === 'string' ? s.type : 'openapi']));
  const workflowsRaw = Array.isArray(root.workflows) ? root.workflows : undefined;
  if (!workflowsRaw || workflowsRaw.length === 0) add('workflows', 'is required (at least one workflow)');

  const workflows: Workflow[] = [];
  const seenWorkflowIds = new Set<string>();
  (workflowsRaw ?? []).forEach((w, wi) => {
    const wp = `workflows[${wi}]`;
    if (!isObj(w)) return add(wp, 'must be an object');
    if (!isStr(w.workflowId)) add(`${wp}.workflowId`, 'is required');
    else if (seenWorkflowIds.has(w.workflowId)) add(`${wp}.workflowId`, `"${w.workflowId}" is used by an earlier workflow`);
    else seenWorkflowIds.add(w.workflowId);
    const workflow = checkWorkflow(w, wp, components, add, opts, dialect, sourceTypes);
    if (workflow) workflows.push(workflow);
  });

  if (issues.length > 0) throw new WorkflowDocumentError(issues);
  const infoObj = info as Obj;
  const doc: WorkflowDocument = {
    arazzo: root.arazzo as string,
    info: {
      title: infoObj.title as string,
      version: String(infoObj.version),
      ...(isStr(infoObj.summary) ? { summary: infoObj.summary } : {}),
      ...(isStr(infoObj.description) ? { description: infoObj.description } : {}),
    },
    sourceDescriptions: (sources as Obj[]).map((s) => ({ name: s.name as string, url: s.url as string, ...(isStr(s.type) ? { type: s.type } : {}) })),
    workflows,
    ...(isObj(root.components) ? { components: root.components } : {}),
    ...(opts.path ? { path: opts.path } : {}),
  };
  return doc;
}

type Add = (path: string, message: string) => void;

function resolveReference(ref: unknown, components: Obj, kind: 'parameters' | 'successActions' | 'failureActions' | 'inputs'): Obj | string {
  if (typeof ref !== 'string') return 'reference must be a string such as $components.' + kind + '.NAME';
  const m = new RegExp(`^\\$components\\.${kind}\\.(.+)$`).exec(ref) ?? new RegExp(`^#/components/${kind}/(.+)$`).exec(ref);
  if (!m) return `reference "${ref}" must point into $components.${kind}`;
  const section = components[kind];
  const target = isObj(section) ? section[m[1]!] : undefined;
  if (!isObj(target)) return `reference "${ref}" points to nothing in components.${kind}`;
  return target;
}

function checkWorkflow(w: Obj, wp: string, components: Obj, add: Add, opts: LoadOptions, dialect: Dialect, sourceTypes: Map<string, string>): Workflow | undefined {
  let inputs: Obj | undefined;
  if (w.inputs !== undefined) {
    if (!isObj(w.inputs)) add(`${wp}.inputs`, 'must be a JSON Schema object');
    else if (typeof w.inputs.$ref === 'string') {
      const r = resolveReference(w.inputs.$ref, components, 'inputs');
      if (typeof r === 'string') add(`${wp}.inputs.$ref`, r);
      else inputs = r;
    } else inputs = w.inputs;
  }
  if (Array.isArray(w.dependsOn) && w.dependsOn.length > 0) add(`${wp}.dependsOn`, 'workflows that depend on other workflows are not supported');
  const stepsRaw = Array.isArray(w.steps) ? w.steps : undefined;
  if (!stepsRaw || stepsRaw.length === 0) {
    add(`${wp}.steps`, 'is required (at least one step)');
    return undefined;
  }
  const stepIds = new Set<string>();
  stepsRaw.forEach((s, si) => {
    if (isObj(s) && isStr(s.stepId)) {
      if (stepIds.has(s.stepId)) add(`${wp}.steps[${si}].stepId`, `"${s.stepId}" is used by an earlier step`);
      stepIds.add(s.stepId);
    }
  });
  const inputNames = inputs && isObj(inputs.properties) ? new Set(Object.keys(inputs.properties)) : undefined;

  /** Checks every runtime expression reachable from `value` and its references to steps and inputs. */
  const checkExpressions = (value: unknown, path: string) => {
    for (const found of collectExpressions(value)) {
      const where = found.path ? `${path}.${found.path}`.replace(/\.\[/g, '[') : path;
      if (found.error) add(where, `expression does not parse: ${found.error}`);
      else if (found.expression) checkReference(found.expression, where);
    }
  };
  const checkReference = (e: RuntimeExpression, where: string) => {
    if (e.root === 'steps' && !stepIds.has(String(e.path[0]))) add(where, `expression ${e.text} refers to unknown step "${String(e.path[0])}"`);
    if (e.root === 'inputs' && inputNames && !inputNames.has(String(e.path[0])))
      add(where, `expression ${e.text} refers to input "${String(e.path[0])}" that the workflow's inputs schema does not declare`);
    if (e.root === 'workflows') add(where, `expression ${e.text}: $workflows references are not supported (single-workflow runs)`);
  };
  const checkCriteria = (list: unknown, path: string): Criterion[] | undefined => {
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) {
      add(path, 'must be a list of criteria');
      return undefined;
    }
    const out: Criterion[] = [];
    list.forEach((c, ci) => {
      const cp = `${path}[${ci}]`;
      if (!isObj(c)) return add(cp, 'must be an object with a condition');
      const criterion: Criterion = { condition: c.condition as string };
      if (c.context !== undefined) criterion.context = c.context as string;
      if (c.type !== undefined) criterion.type = c.type as Criterion['type'];
      try {
        const compiled = compileCriterion(criterion);
        if (compiled.kind !== 'simple') checkReference(compiled.context, `${cp}.context`);
        else {
          for (const e of conditionExpressions(parseCondition(criterion.condition))) checkReference(e, `${cp}.condition`);
          if (criterion.context) checkReference(parseRuntimeExpression(criterion.context), `${cp}.context`);
        }
        if (compiled.kind === 'jsonpath' && compiled.form === 'query-op-literal' && dialect === '1.1' && !(isObj(c.type) && DRAFT_JSONPATH.test(String(c.type.version))))
          add(
            `${cp}.condition`,
            `"${criterion.condition}" is not an RFC 9535 query, which jsonpath means in an Arazzo 1.1 document; write it as a filter such as $[?@.status == "ACTIVE"], or set type to {type: jsonpath, version: draft-goessner-dispatch-jsonpath-00} to keep the "query op literal" form`,
          );
      } catch (e) {
        const field = e instanceof CriterionError ? e.field : 'condition';
        add(`${cp}.${field}`, (e as Error).message);
      }
      out.push(criterion);
    });
    return out;
  };
  const checkActions = <A extends SuccessAction | FailureAction>(list: unknown, path: string, failure: boolean): A[] | undefined => {
    if (list === undefined) return undefined;
    if (!Array.isArray(list)) {
      add(path, 'must be a list of actions');
      return undefined;
    }
    const kind = failure ? 'failureActions' : 'successActions';
    const out: A[] = [];
    list.forEach((raw, ai) => {
      const ap = `${path}[${ai}]`;
      let a: unknown = raw;
      if (isObj(raw) && raw.reference !== undefined) {
        const r = resolveReference(raw.reference, components, kind);
        if (typeof r === 'string') return add(`${ap}.reference`, r);
        a = r;
      }
      if (!isObj(a)) return add(ap, 'must be an action object');
      if (!isStr(a.name)) add(`${ap}.name`, 'is required');
      const allowed = failure ? ['end', 'goto', 'retry'] : ['end', 'goto'];
      if (!allowed.includes(a.type as string)) add(`${ap}.type`, `must be one of ${allowed.join(', ')} (found ${JSON.stringify(a.type)})`);
      if (a.type === 'goto' || a.type === 'retry') {
        if (a.workflowId !== undefined) add(`${ap}.workflowId`, `${a.type} to another workflow is not supported`);
        if (a.stepId !== undefined && a.workflowId !== undefined) add(ap, 'stepId and workflowId are mutually exclusive');
        if (a.type === 'goto' && a.stepId === undefined && a.workflowId === undefined) add(`${ap}.stepId`, 'goto needs a stepId');
        if (a.stepId !== undefined && !stepIds.has(String(a.stepId))) add(`${ap}.stepId`, `${a.type} to unknown step "${String(a.stepId)}"`);
      }
      if (a.type === 'retry') {
        if (a.retryAfter !== undefined && !(typeof a.retryAfter === 'number' && a.retryAfter >= 0)) add(`${ap}.retryAfter`, 'must be a non-negative number of seconds');
        if (a.retryLimit !== undefined && !(Number.isInteger(a.retryLimit) && (a.retryLimit as number) >= 0)) add(`${ap}.retryLimit`, 'must be a non-negative integer');
      }
      const criteria = checkCriteria(a.criteria, `${ap}.criteria`);
      const action = { name: a.name as string, type: a.type } as A & Obj;
      if (a.stepId !== undefined) action.stepId = String(a.stepId);
      if (typeof a.retryAfter === 'number') action.retryAfter = a.retryAfter;
      if (typeof a.retryLimit === 'number') action.retryLimit = a.retryLimit;
      if (criteria) action.criteria = criteria;
      out.push(action);
    });
    return out;
  };
  /** Step actions first; workflow-level actions with a name the step does not override follow. */
  const merge = <A extends { name: string }>(stepActions: A[] | undefined, workflowActions: A[] | undefined): A[] | undefined => {
    if (!workflowActions || workflowActions.length === 0) return stepActions;
    const names = new Set((stepActions ?? []).map((a) => a.name));
    return [...(stepActions ?? []), ...workflowActions.filter((a) => !names.has(a.name))];
  };

  const wfSuccess = checkActions<SuccessAction>(w.successActions, `${wp}.successActions`, false);
  const wfFailure = checkActions<FailureAction>(w.failureActions, `${wp}.failureActions`, true);
  const wfParameters = Array.isArray(w.parameters) ? w.parameters : [];

  const steps: Step[] = [];
  stepsRaw.forEach((s, si) => {
    const sp = `${wp}.steps[${si}]`;
    if (!isObj(s)) return add(sp, 'must be an object');
    if (!isStr(s.stepId)) add(`${sp}.stepId`, 'is required');
    else if (!STEP_ID.test(s.stepId)) add(`${sp}.stepId`, `"${s.stepId}" may only contain letters, digits, "_" and "-"`);
    const asyncSource = typeof s.operationId === 'string' ? /^\$sourceDescriptions\.([^.]+)\./.exec(s.operationId)?.[1] : undefined;
    if (s.channelPath !== undefined || s.action !== undefined || s.correlationId !== undefined || (asyncSource && sourceTypes.get(asyncSource) === 'asyncapi'))
      // Arazzo 1.1 AsyncAPI steps send or receive messages on channels; HealthImaging is request/response only.
      return add(sp, `step "${String(s.stepId)}" is an AsyncAPI step; HealthImaging has no AsyncAPI (message channel) surface, so this engine runs OpenAPI operations only`);
    const targets = ['operationId', 'operationPath', 'workflowId'].filter((k) => s[k] !== undefined);
    if (targets.length !== 1) add(sp, `needs exactly one of operationId, operationPath or workflowId (found ${targets.length === 0 ? 'none' : targets.join(', ')})`);
    if (s.operationPath !== undefined) add(`${sp}.operationPath`, 'operationPath steps are not supported; use operationId');
    if (s.workflowId !== undefined) add(`${sp}.workflowId`, 'steps that run another workflow are not supported');
    let operationId: string | undefined;
    if (s.operationId !== undefined) {
      if (!isStr(s.operationId)) add(`${sp}.operationId`, 'must be a string');
      else {
        operationId = bareOperationId(s.operationId);
        if (opts.binding && !opts.binding.has(operationId)) add(`${sp}.operationId`, `unknown operationId "${operationId}"`);
      }
    }
    // Parameters: workflow-level ones apply unless the step sets the same name and location.
    const parameters: Parameter[] = [];
    const rawParams = [...(Array.isArray(s.parameters) ? s.parameters : []), ...wfParameters];
    if (s.parameters !== undefined && !Array.isArray(s.parameters)) add(`${sp}.parameters`, 'must be a list');
    rawParams.forEach((raw, pi) => {
      const pp = pi < (Array.isArray(s.parameters) ? s.parameters.length : 0) ? `${sp}.parameters[${pi}]` : `${wp}.parameters[${pi - (Array.isArray(s.parameters) ? s.parameters.length : 0)}]`;
      let p: unknown = raw;
      if (isObj(raw) && raw.reference !== undefined) {
        const r = resolveReference(raw.reference, components, 'parameters');
        if (typeof r === 'string') return add(`${pp}.reference`, r);
        p = raw.value !== undefined ? { ...r, value: raw.value } : r;
      }
      if (!isObj(p)) return add(pp, 'must be a parameter object');
      if (!isStr(p.name)) add(`${pp}.name`, 'is required');
      if (p.in === undefined && operationId) add(`${pp}.in`, 'is required for an operation step (path, query or header)');
      else if (p.in !== undefined && !['path', 'query', 'header'].includes(p.in as string))
        add(`${pp}.in`, p.in === 'cookie' ? 'cookie parameters are not supported' : `must be path, query or header (found ${JSON.stringify(p.in)})`);
      if (!('value' in p)) add(`${pp}.value`, 'is required');
      checkExpressions(p.value, `${pp}.value`);
      if (parameters.some((q) => q.name === p.name && q.in === p.in)) return;
      parameters.push({ name: p.name as string, ...(p.in !== undefined ? { in: p.in as Parameter['in'] } : {}), value: p.value });
    });
    if (operationId && opts.binding?.pathParameters) {
      const required = opts.binding.pathParameters(operationId) ?? [];
      for (const name of required)
        if (!parameters.some((p) => p.in === 'path' && p.name === name)) add(`${sp}.parameters`, `${operationId} needs the path parameter "${name}" (in: path)`);
    }
    let requestBody: Step['requestBody'];
    if (s.requestBody !== undefined) {
      if (!isObj(s.requestBody)) add(`${sp}.requestBody`, 'must be an object');
      else {
        if (s.requestBody.replacements !== undefined) add(`${sp}.requestBody.replacements`, 'payload replacements are not supported; write the payload with expressions');
        checkExpressions(s.requestBody.payload, `${sp}.requestBody.payload`);
        requestBody = { ...(isStr(s.requestBody.contentType) ? { contentType: s.requestBody.contentType } : {}), payload: s.requestBody.payload };
      }
    }
    if (s.timeout !== undefined) {
      if (dialect === '1.0') add(`${sp}.timeout`, 'step timeout is an Arazzo 1.1 field (set arazzo: 1.1.0 to use it)');
      else if (!(Number.isInteger(s.timeout) && (s.timeout as number) > 0)) add(`${sp}.timeout`, 'must be a positive integer number of milliseconds');
    }
    const successCriteria = checkCriteria(s.successCriteria, `${sp}.successCriteria`);
    const onSuccess = merge(checkActions<SuccessAction>(s.onSuccess, `${sp}.onSuccess`, false), wfSuccess);
    const onFailure = merge(checkActions<FailureAction>(s.onFailure, `${sp}.onFailure`, true), wfFailure);
    let outputs: Record<string, string> | undefined;
    if (s.outputs !== undefined) {
      if (!isObj(s.outputs)) add(`${sp}.outputs`, 'must be a map of names to runtime expressions');
      else {
        outputs = {};
        for (const [name, expr] of Object.entries(s.outputs)) {
          if (!OUTPUT_NAME.test(name)) add(`${sp}.outputs.${name}`, 'output names may only contain letters, digits, ".", "-" and "_"');
          if (typeof expr !== 'string') add(`${sp}.outputs.${name}`, 'must be a runtime expression');
          else {
            checkExpressions(expr, `${sp}.outputs.${name}`);
            outputs[name] = expr;
          }
        }
      }
    }
    steps.push({
      stepId: s.stepId as string,
      ...(isStr(s.description) ? { description: s.description } : {}),
      ...(operationId ? { operationId } : {}),
      ...(dialect === '1.1' && typeof s.timeout === 'number' ? { timeoutMs: s.timeout } : {}),
      parameters,
      ...(requestBody ? { requestBody } : {}),
      ...(successCriteria ? { successCriteria } : {}),
      ...(onSuccess ? { onSuccess } : {}),
      ...(onFailure ? { onFailure } : {}),
      ...(outputs ? { outputs } : {}),
    });
  });

  let outputs: Record<string, string> | undefined;
  if (w.outputs !== undefined) {
    if (!isObj(w.outputs)) add(`${wp}.outputs`, 'must be a map of names to runtime expressions');
    else {
      outputs = {};
      for (const [name, expr] of Object.entries(w.outputs)) {
        if (!OUTPUT_NAME.test(name)) add(`${wp}.outputs.${name}`, 'output names may only contain letters, digits, ".", "-" and "_"');
        if (typeof expr !== 'string') add(`${wp}.outputs.${name}`, 'must be a runtime expression');
        else {
          checkExpressions(expr, `${wp}.outputs.${name}`);
          outputs[name] = expr;
        }
      }
    }
  }
  return {
    workflowId: w.workflowId as string,
    ...(isStr(w.summary) ? { summary: w.summary } : {}),
    ...(isStr(w.description) ? { description: w.description } : {}),
    ...(inputs ? { inputs } : {}),
    steps,
    ...(outputs ? { outputs } : {}),
  };
}

/** The workflow with this id, or the only one when no id is given. */
export function selectWorkflow(doc: WorkflowDocument, workflowId?: string): Workflow {
  const ids = doc.workflows.map((w) => w.workflowId);
  if (workflowId !== undefined) {
    const found = doc.workflows.find((w) => w.workflowId === workflowId);
    if (!found) throw new WorkflowDocumentError([{ path: 'workflows', message: `no workflow "${workflowId}" (the document has: ${ids.join(', ')})` }]);
    return found;
  }
  if (doc.workflows.length !== 1)
    throw new WorkflowDocumentError([{ path: 'workflows', message: `the document has ${doc.workflows.length} workflows (${ids.join(', ')}): choose one by workflowId` }]);
  return doc.workflows[0]!;
}
