import { describe, expect, it } from 'vitest';
import { SEED_TEXT } from '../engine/test-support/harness';
import { loadWorkflowDocument, selectWorkflow, WorkflowDocumentError } from './document';

const binding = {
  has: (op: string) => ['CreateDatastore', 'GetDatastore', 'StartDICOMImportJob', 'GetDICOMImportJob'].includes(op),
  pathParameters: (op: string) => ({ GetDatastore: ['datastoreId'], StartDICOMImportJob: ['datastoreId'], GetDICOMImportJob: ['datastoreId', 'jobId'] })[op] ?? [],
};

function issuesOf(text: string, opts = { binding }): string[] {
  try {
    loadWorkflowDocument(text, opts);
  } catch (e) {
    if (e instanceof WorkflowDocumentError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

const HEAD = `arazzo: 1.0.1
info: {title: Test, version: 1.0.0}
sourceDescriptions: [{name: api, url: ./api.yaml, type: openapi}]
`;

describe('loading the seed', () => {
  it('loads both shipped workflows, the onboarding first, and refuses to guess between them', () => {
    const doc = loadWorkflowDocument(SEED_TEXT, { binding, path: 'assets/seed.yml' });
    expect(doc.workflows.map((w) => w.workflowId)).toEqual(['onboard-datastore-and-import', 'import-into-datastore']);
    const wf = selectWorkflow(doc, 'onboard-datastore-and-import');
    expect(wf.steps.map((s) => s.stepId)).toEqual(['createDatastore', 'pollDatastore', 'startImportJob', 'pollImportJob']);
    expect(wf.steps[1]!.onSuccess!.map((a) => a.name)).toEqual(['datastoreActive', 'datastoreFailed', 'stillCreating']);
    expect(doc.path).toBe('assets/seed.yml');
    // Nothing may rely on "the only workflow": without an id the choice is refused, naming both.
    expect(() => selectWorkflow(doc)).toThrow(/2 workflows \(onboard-datastore-and-import, import-into-datastore\): choose one by workflowId/);
    expect(() => selectWorkflow(doc, 'nope')).toThrow(/no workflow "nope" \(the document has: onboard-datastore-and-import, import-into-datastore\)/);
  });

  it('the import workflow checks the data store once, then imports with the onboarding\'s job criteria', () => {
    const doc = loadWorkflowDocument(SEED_TEXT, { binding });
    const onboard = selectWorkflow(doc, 'onboard-datastore-and-import');
    const wf = selectWorkflow(doc, 'import-into-datastore');
    expect(wf.steps.map((s) => [s.stepId, s.operationId])).toEqual([
      ['checkDatastore', 'GetDatastore'],
      ['startImportJob', 'StartDICOMImportJob'],
      ['pollImportJob', 'GetDICOMImportJob'],
    ]);
    expect((wf.inputs as { required: string[] }).required).toEqual(['datastoreId', 'dataAccessRoleArn', 'importClientToken', 'inputS3Uri', 'outputS3Uri']);
    // Not a polling step: ACTIVE is a success criterion, so any other status fails the step.
    const check = wf.steps[0]!;
    expect(check.onSuccess!.some((a) => a.stepId === 'checkDatastore')).toBe(false);
    expect(check.successCriteria!.map((c) => c.condition)).toContain('$.datastoreProperties.datastoreStatus == "ACTIVE"');
    // Same job criteria and payload as the onboarding's steps.
    const same = (id: string) => {
      const a = wf.steps.find((s) => s.stepId === id)!;
      const b = onboard.steps.find((s) => s.stepId === id)!;
      expect(a.onSuccess).toEqual(b.onSuccess);
      expect(a.successCriteria).toEqual(b.successCriteria);
      expect(a.requestBody).toEqual(b.requestBody);
    };
    same('startImportJob');
    same('pollImportJob');
    expect(wf.outputs).toEqual({ datastoreId: '$inputs.datastoreId', jobId: '$steps.startImportJob.outputs.jobId', jobStatus: '$steps.pollImportJob.outputs.jobStatus' });
  });

  it('loads the same document written as JSON', async () => {
    const { parse } = await import('yaml');
    const doc = loadWorkflowDocument(JSON.stringify(parse(SEED_TEXT)), { binding });
    expect(selectWorkflow(doc, 'onboard-datastore-and-import').steps).toHaveLength(4);
  });
});

describe('malformed documents are rejected with the place and the problem', () => {
  it('names every problem at once', () => {
    const issues = issuesOf(`${HEAD}workflows:
- workflowId: w
  inputs: {type: object, properties: {name: {type: string}}}
  steps:
  - stepId: create
    operationId: CreateDatastore
    requestBody: {payload: {datastoreName: $inputs.nmae}}
    successCriteria: [{condition: $statusCode = 200}]
  - stepId: poll
    operationId: GetDatastore
    parameters: [{name: datastoreId, in: path, value: $steps.craete.outputs.datastoreId}]
    onSuccess:
    - {name: ok, type: goto, stepId: poll}
    - {name: bad, type: goto, stepId: x}
    - {name: weird, type: retry}
  - operationId: DeleteEverything
  - stepId: poll
    operationId: GetDICOMImportJob
    parameters: [{name: datastoreId, in: path, value: $response.body#bad}]
`);
    expect(issues).toEqual([
      'workflows[0].steps[3].stepId: "poll" is used by an earlier step',
      'workflows[0].steps[0].requestBody.payload.datastoreName: expression $inputs.nmae refers to input "nmae" that the workflow\'s inputs schema does not declare',
      expect.stringMatching(/^workflows\[0\]\.steps\[0\]\.successCriteria\[0\]\.condition: .*did you mean "=="/),
      'workflows[0].steps[1].parameters[0].value: expression $steps.craete.outputs.datastoreId refers to unknown step "craete"',
      'workflows[0].steps[1].onSuccess[1].stepId: goto to unknown step "x"',
      'workflows[0].steps[1].onSuccess[2].type: must be one of end, goto (found "retry")',
      'workflows[0].steps[2].stepId: is required',
      'workflows[0].steps[2].operationId: unknown operationId "DeleteEverything"',
      expect.stringMatching(/^workflows\[0\]\.steps\[3\]\.parameters\[0\]\.value: expression does not parse: .*must be empty or start with "\/"/),
      'workflows[0].steps[3].parameters: GetDICOMImportJob needs the path parameter "jobId" (in: path)',
    ]);
  });

  it('reports the seed-style jsonpath criterion that is neither form', () => {
    const issues = issuesOf(`${HEAD}workflows:
- workflowId: w
  steps:
  - stepId: poll
    operationId: GetDatastore
    parameters: [{name: datastoreId, in: path, value: abc}]
    onSuccess:
    - name: active
      type: end
      criteria: [{context: $response.body, type: jsonpath, condition: '$.datastoreProperties.datastoreStatus = "ACTIVE"'}]
`);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^workflows\[0\]\.steps\[0\]\.onSuccess\[0\]\.criteria\[0\]\.condition: jsonpath condition .* is neither an RFC 9535 query/);
  });

  it.each([
    ['not yaml: [', /not valid YAML/],
    ['{"arazzo": ', /not valid JSON/],
    ['- a\n- b', /must be an object/],
    ['arazzo: 2.0.0\ninfo: {title: t, version: 1}\nsourceDescriptions: [{name: a, url: b}]\nworkflows: []', /arazzo: version "2.0.0" is not supported.*\n.*workflows: is required/],
    ['arazzo: 1.0.0\ninfo: {version: 1}\nworkflows: [{workflowId: w, steps: []}]', /info.title: is required[\s\S]*sourceDescriptions: is required[\s\S]*workflows\[0\]\.steps: is required/],
    [`${HEAD}workflows:\n- workflowId: w\n  steps:\n  - {stepId: a, operationId: CreateDatastore, workflowId: other}`, /needs exactly one of operationId, operationPath or workflowId \(found operationId, workflowId\)/],
    [`${HEAD}workflows:\n- workflowId: w\n  steps:\n  - {stepId: a, operationPath: '{$sourceDescriptions.api.url}#/paths/~1x/get'}`, /operationPath steps are not supported/],
    [`${HEAD}workflows:\n- workflowId: w\n  steps:\n  - {stepId: 'a b', operationId: CreateDatastore}`, /steps\[0\]\.stepId: "a b" may only contain/],
    [`${HEAD}workflows:\n- workflowId: w\n  steps:\n  - {stepId: a, operationId: CreateDatastore, parameters: [{name: x, value: 1}]}`, /parameters\[0\]\.in: is required/],
    [`${HEAD}workflows:\n- workflowId: w\n  steps:\n  - {stepId: a, operationId: CreateDatastore, parameters: [{name: x, in: cookie, value: 1}]}`, /cookie parameters are not supported/],
    [`${HEAD}workflows:\n- workflowId: w\n  steps:\n  - {stepId: a, operationId: CreateDatastore, onFailure: [{name: r, type: retry, retryLimit: -1, retryAfter: soon}]}`, /retryAfter: must be a non-negative number[\s\S]*retryLimit: must be a non-negative integer/],
    [`${HEAD}workflows:\n- workflowId: w\n  steps:\n  - {stepId: a, operationId: CreateDatastore, successCriteria: [{condition: '$.x', type: xpath, context: $response.body}]}`, /successCriteria\[0\]\.type: xpath criteria are not supported/],
    [`${HEAD}workflows:\n- workflowId: w\n  steps:\n  - {stepId: a, operationId: CreateDatastore, outputs: {id: 42}}`, /outputs\.id: must be a runtime expression/],
    [`${HEAD}workflows:\n- workflowId: w\n  steps:\n  - {stepId: a, operationId: CreateDatastore, onSuccess: [{reference: $components.successActions.nope}]}`, /points to nothing in components.successActions/],
    [`${HEAD}workflows:\n- {workflowId: w, steps: [{stepId: a, operationId: CreateDatastore}]}\n- {workflowId: w, steps: [{stepId: a, operationId: CreateDatastore}]}`, /workflows\[1\]\.workflowId: "w" is used by an earlier workflow/],
    [`${HEAD}workflows:\n- {workflowId: w, outputs: {x: $steps.nope.outputs.y}, steps: [{stepId: a, operationId: CreateDatastore}]}`, /workflows\[0\]\.outputs\.x: expression \$steps\.nope\.outputs\.y refers to unknown step "nope"/],
    [`${HEAD}a: 1\na: 2\nworkflows: []`, /not valid YAML.*[Mm]ap keys must be unique/],
  ])('%#: %s', (text, message) => {
    let error: unknown;
    try {
      loadWorkflowDocument(text, { binding });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkflowDocumentError);
    expect((error as Error).message).toMatch(message);
  });

  it('asks for a workflowId when a document has several', () => {
    const doc = loadWorkflowDocument(`${HEAD}workflows:\n- {workflowId: one, steps: [{stepId: a, operationId: CreateDatastore}]}\n- {workflowId: two, steps: [{stepId: a, operationId: CreateDatastore}]}`, { binding });
    expect(() => selectWorkflow(doc)).toThrow(/2 workflows \(one, two\): choose one by workflowId/);
    expect(selectWorkflow(doc, 'two').workflowId).toBe('two');
  });
});

describe('components and workflow-level actions', () => {
  it('resolves reusable actions and parameters and merges workflow-level actions after step ones', () => {
    const doc = loadWorkflowDocument(
      `${HEAD}components:
  parameters:
    ds: {name: datastoreId, in: path, value: $inputs.id}
  successActions:
    done: {name: done, type: end}
  failureActions:
    again: {name: again, type: retry, retryAfter: 2, retryLimit: 3}
workflows:
- workflowId: w
  successActions: [{name: fallback, type: end}, {name: done, type: goto, stepId: a}]
  failureActions: [{reference: $components.failureActions.again}]
  steps:
  - stepId: a
    operationId: GetDatastore
    parameters: [{reference: $components.parameters.ds, value: fixed}]
    onSuccess: [{reference: $components.successActions.done}]
`,
      { binding },
    );
    const step = selectWorkflow(doc).steps[0]!;
    expect(step.parameters).toEqual([{ name: 'datastoreId', in: 'path', value: 'fixed' }]);
    expect(step.onSuccess).toEqual([
      { name: 'done', type: 'end' },
      { name: 'fallback', type: 'end' },
    ]);
    expect(step.onFailure).toEqual([{ name: 'again', type: 'retry', retryAfter: 2, retryLimit: 3 }]);
  });

  it('strips a $sourceDescriptions qualifier from operationIds', () => {
    const doc = loadWorkflowDocument(`${HEAD}workflows:\n- {workflowId: w, steps: [{stepId: a, operationId: $sourceDescriptions.api.CreateDatastore}]}`, { binding });
    expect(selectWorkflow(doc).steps[0]!.operationId).toBe('CreateDatastore');
  });
});
