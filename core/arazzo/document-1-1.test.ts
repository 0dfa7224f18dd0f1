import { describe, expect, it } from 'vitest';
import { loadWorkflowDocument, WorkflowDocumentError } from './document';

function issuesOf(text: string): string[] {
  try {
    loadWorkflowDocument(text);
  } catch (e) {
    if (e instanceof WorkflowDocumentError) return e.issues.map((i) => `${i.path}: ${i.message}`);
    throw e;
  }
  return [];
}

const doc = (version: string, step: string, sources = '[{name: api, url: ./api.yaml, type: openapi}]') => `arazzo: ${version}
info: {title: Test, version: 1.0.0}
sourceDescriptions: ${sources}
workflows:
- workflowId: w
  steps:
${step}`;

const poll = (condition: string, type = 'jsonpath') => `  - stepId: poll
    operationId: GetDatastore
    successCriteria:
    - context: $response.body
      condition: '${condition}'
      type: ${type}
`;

describe('Arazzo versions', () => {
  it('accepts 1.0.x and 1.1.x and refuses others, naming both', () => {
    expect(issuesOf(doc('1.0.1', poll('$.a.b == "X"')))).toEqual([]);
    expect(issuesOf(doc('1.1.0', poll('$[?@.b == "X"]')))).toEqual([]);
    expect(issuesOf(doc('1.2.0', poll('$[?@.b == "X"]')))).toEqual(['arazzo: version "1.2.0" is not supported (expected 1.0.x or 1.1.x)']);
  });

  it('in 1.1 jsonpath means RFC 9535: the query-op-literal form needs the draft named', () => {
    const [issue] = issuesOf(doc('1.1.0', poll('$.a.b == "X"')));
    expect(issue).toContain('workflows[0].steps[0].successCriteria[0].condition:');
    expect(issue).toContain('not an RFC 9535 query');
    expect(issuesOf(doc('1.1.0', poll('$.a.b == "X"', '{type: jsonpath, version: draft-goessner-dispatch-jsonpath-00}')))).toEqual([]);
  });
});

describe('the step timeout', () => {
  const withTimeout = (version: string, t: string) => doc(version, `  - stepId: poll\n    operationId: GetDatastore\n    timeout: ${t}\n`);
  it('is read from 1.1 documents as milliseconds', () => {
    const loaded = loadWorkflowDocument(withTimeout('1.1.0', '250'));
    expect(loaded.workflows[0]!.steps[0]!.timeoutMs).toBe(250);
  });
  it('is refused with the rule when not a positive integer, and in 1.0 documents', () => {
    expect(issuesOf(withTimeout('1.1.0', '-5'))).toEqual(['workflows[0].steps[0].timeout: must be a positive integer number of milliseconds']);
    expect(issuesOf(withTimeout('1.1.0', '"1s"'))).toEqual(['workflows[0].steps[0].timeout: must be a positive integer number of milliseconds']);
    expect(issuesOf(withTimeout('1.0.1', '100'))[0]).toContain('Arazzo 1.1 field');
  });
});

describe('AsyncAPI steps', () => {
  it('are refused, naming the step', () => {
    const step = `  - stepId: waitForEvent\n    channelPath: $sourceDescriptions.events.channels.jobDone\n    action: receive\n`;
    const issues = issuesOf(doc('1.1.0', step, '[{name: events, url: ./events.yaml, type: asyncapi}]'));
    expect(issues).toEqual([
      'workflows[0].steps[0]: step "waitForEvent" is an AsyncAPI step; HealthImaging has no AsyncAPI (message channel) surface, so this engine runs OpenAPI operations only',
    ]);
  });
  it('including an operationId that points into an AsyncAPI source', () => {
    const step = `  - stepId: send\n    operationId: $sourceDescriptions.events.publishJob\n`;
    expect(issuesOf(doc('1.1.0', step, '[{name: events, url: ./events.yaml, type: asyncapi}]'))[0]).toContain('step "send" is an AsyncAPI step');
  });
});
