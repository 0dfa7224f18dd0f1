/** Actions, criteria and outputs on small documents of our own, through the whole engine. */
import { afterEach, describe, expect, it } from 'vitest';
import { loadWorkflowDocument } from '../arazzo/document';
import type { OperationResponse } from './binding';
import type { RunEvent } from './events';
import { createManualClock } from './manual-clock';
import { startRun } from './run';
import { createScriptedBinding } from './test-support/fake-healthimaging';
import { CONTEXT, tempStore } from './test-support/harness';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

const HEAD = `arazzo: 1.0.1
info: {title: Small, version: 1.0.0}
sourceDescriptions: [{name: api, url: ./api.yaml}]
workflows:
- workflowId: w
`;

async function run(stepsYaml: string, script: Record<string, Array<Partial<OperationResponse>>>, inputs: Record<string, unknown> = {}) {
  const text = HEAD + stepsYaml;
  const binding = createScriptedBinding(script);
  const document = loadWorkflowDocument(text, { binding });
  const { store, cleanup } = tempStore();
  cleanups.push(cleanup);
  const clock = createManualClock({ auto: true });
  const events: RunEvent[] = [];
  const handle = startRun({ document, documentText: text, inputs, binding, store, context: CONTEXT, clock, onEvent: (e) => events.push(e), polling: { initialDelayMs: 1000, maxDelayMs: 1000, fastPhaseMs: 0 } });
  const ended = await handle.done;
  const ops = binding.calls.map((c) => c.operationId);
  const stepEnds = events.filter((e): e is Extract<RunEvent, { type: 'step-ended' }> => e.type === 'step-ended');
  return { ended, ops, events, clock, stepEnds, calls: binding.calls };
}

const ok = (body: unknown = {}): Partial<OperationResponse> => ({ statusCode: 200, body });
const err = (statusCode: number, code: string, extra: Partial<OperationResponse> = {}): Partial<OperationResponse> => ({
  statusCode,
  body: { __type: code, message: code },
  fault: 'client',
  error: { code, message: `${code} happened` },
  ...extra,
});

describe('success actions', () => {
  it('the first matching action wins', async () => {
    const r = await run(
      `  steps:
  - stepId: a
    operationId: A
    onSuccess:
    - {name: first, type: goto, stepId: c, criteria: [{condition: $response.body#/n > 1}]}
    - {name: second, type: goto, stepId: b, criteria: [{condition: $response.body#/n > 0}]}
  - {stepId: b, operationId: B}
  - {stepId: c, operationId: C}
`,
      { A: [ok({ n: 5 })], B: [ok()], C: [ok()] },
    );
    expect(r.ops).toEqual(['A', 'C']);
    expect(r.stepEnds[0]!.action).toEqual({ type: 'goto', name: 'first', stepId: 'c' });
    expect(r.ended.status).toBe('succeeded');
  });

  it('with no matching action a non-polling step goes on to the next step', async () => {
    const r = await run(
      `  steps:
  - stepId: a
    operationId: A
    onSuccess: [{name: skip, type: goto, stepId: c, criteria: [{condition: $response.body#/n == 99}]}]
  - {stepId: b, operationId: B}
  - {stepId: c, operationId: C}
`,
      { A: [ok({ n: 1 })], B: [ok()], C: [ok()] },
    );
    expect(r.ops).toEqual(['A', 'B', 'C']);
    expect(r.stepEnds[0]!.action).toEqual({ type: 'next' });
  });

  it('end stops the workflow early and evaluates its outputs; outputs of steps that never ran are absent', async () => {
    const r = await run(
      `  outputs:
    first: $steps.a.outputs.value
    second: $steps.b.outputs.value
    fromInput: $inputs.label
  steps:
  - stepId: a
    operationId: A
    outputs: {value: $response.body#/v, missing: $response.body#/nope}
    onSuccess: [{name: stop, type: end}]
  - stepId: b
    operationId: B
    outputs: {value: $response.body#/v}
`,
      { A: [ok({ v: 1 })], B: [ok({ v: 2 })] },
      { label: 'x' },
    );
    expect(r.ops).toEqual(['A']);
    expect(r.ended.status).toBe('succeeded');
    expect(r.ended.outputs).toEqual({ first: 1, fromInput: 'x' });
    const resp = r.events.find((e) => e.type === 'response-received')!;
    expect(resp).toMatchObject({ outputs: { value: 1 } });
    expect('missing' in (resp as { outputs: object }).outputs).toBe(false);
  });

  it('a goto to an earlier step loops with a delay until a criterion ends it', async () => {
    const r = await run(
      `  steps:
  - {stepId: a, operationId: A}
  - stepId: b
    operationId: B
    onSuccess:
    - {name: finished, type: end, criteria: [{condition: "$response.body#/state == 'done'"}]}
    - {name: again, type: goto, stepId: a}
`,
      { A: [ok()], B: [ok({ state: 'busy' }), ok({ state: 'busy' }), ok({ state: 'DONE' })] },
    );
    expect(r.ops).toEqual(['A', 'B', 'A', 'B', 'A', 'B']);
    expect(r.ended.status).toBe('succeeded');
    expect(r.clock.sleeps).toEqual([1000, 1000]); // every revisit of a waits, never a tight loop
  });

  it('request parameters and payload come from inputs and earlier outputs', async () => {
    const r = await run(
      `  inputs: {type: object, properties: {name: {type: string}, size: {type: integer, default: 3}}}
  steps:
  - stepId: a
    operationId: A
    outputs: {id: $response.body#/id}
  - stepId: b
    operationId: B
    parameters:
    - {name: id, in: path, value: $steps.a.outputs.id}
    - {name: limit, in: query, value: $inputs.size}
    - {name: X-Trace, in: header, value: 'trace-{$steps.a.outputs.id}'}
    requestBody:
      payload: {name: $inputs.name, nested: {size: $inputs.size, list: [$steps.a.outputs.id, 7]}}
`,
      { A: [ok({ id: 'abc' })], B: [ok()] },
      { name: 'n' },
    );
    expect(r.calls[1]).toEqual({
      operationId: 'B',
      pathParameters: { id: 'abc' },
      query: { limit: 3 },
      headers: { 'X-Trace': 'trace-abc' },
      body: { name: 'n', nested: { size: 3, list: ['abc', 7] } },
    });
  });

  it('a path parameter without a value stops the run before sending', async () => {
    const r = await run(
      `  steps:
  - stepId: a
    operationId: A
    outputs: {id: $response.body#/id}
  - stepId: b
    operationId: B
    parameters: [{name: id, in: path, value: $steps.a.outputs.id}]
`,
      { A: [ok({})], B: [ok()] },
    );
    expect(r.ops).toEqual(['A']);
    expect(r.ended).toMatchObject({ status: 'error', error: { code: 'MissingValue', stepId: 'b' } });
    expect(r.ended.error!.message).toContain('path parameter "id" ($steps.a.outputs.id)');
  });
});

describe('failure actions', () => {
  it('without onFailure a failed step stops the run as failed, naming the criterion', async () => {
    const r = await run(
      `  steps:
  - stepId: a
    operationId: A
    successCriteria: [{condition: $statusCode == 200}, {condition: "$response.body#/ready == true"}]
  - {stepId: b, operationId: B}
`,
      { A: [ok({ ready: false })], B: [ok()] },
    );
    expect(r.ops).toEqual(['A']);
    expect(r.ended.status).toBe('failed');
    expect(r.ended.error).toMatchObject({ code: 'SuccessCriteriaNotMet', stepId: 'a' });
    expect(r.ended.error!.message).toContain('success criterion 2 ($response.body#/ready == true)');
  });

  it('retry waits retryAfter, at most retryLimit times, then the next matching action decides', async () => {
    const r = await run(
      `  steps:
  - stepId: a
    operationId: A
    successCriteria: [{condition: $statusCode == 200}]
    onFailure:
    - {name: retryConflict, type: retry, retryAfter: 3, retryLimit: 2, criteria: [{condition: $statusCode == 409}]}
    - {name: giveUp, type: goto, stepId: c, criteria: [{condition: $statusCode == 409}]}
  - {stepId: b, operationId: B}
  - {stepId: c, operationId: C}
`,
      { A: [err(409, 'ConflictException')], B: [ok()], C: [ok()] },
    );
    expect(r.ops).toEqual(['A', 'A', 'A', 'C']);
    expect(r.clock.sleeps).toEqual([3000, 3000]);
    const waits = r.events.filter((e) => e.type === 'waiting');
    expect(waits.every((w) => w.type === 'waiting' && w.reason === 'retry')).toBe(true);
    expect(r.stepEnds[0]).toMatchObject({ stepId: 'a', outcome: 'failed', action: { type: 'goto', name: 'giveUp', stepId: 'c' } });
    expect(r.ended.status).toBe('succeeded');
  });

  it('retryLimit defaults to 1 and a Retry-After header wins over retryAfter', async () => {
    const r = await run(
      `  steps:
  - stepId: a
    operationId: A
    successCriteria: [{condition: $statusCode == 200}]
    onFailure: [{name: again, type: retry, retryAfter: 1}]
`,
      { A: [ok({}), { statusCode: 503 }].map((x, i) => (i === 0 ? { statusCode: 202, body: {}, retryAfterMs: 9000 } : x)) },
    );
    // 202 fails the criterion; the retry waits the Retry-After (9 s), not retryAfter (1 s); the
    // second answer (503 here without a fault kind) fails again and no retry is left.
    expect(r.ops).toEqual(['A', 'A']);
    expect(r.clock.sleeps).toEqual([9000]);
    expect(r.ended.status).toBe('failed');
  });

  it('an end failure action ends the run failed; a client fault without actions ends it as error with the AWS code', async () => {
    const ended1 = await run(
      `  steps:
  - stepId: a
    operationId: A
    successCriteria: [{condition: $statusCode == 200}]
    onFailure: [{name: stopHere, type: end, criteria: [{condition: $statusCode == 404}]}]
`,
      { A: [{ statusCode: 404, body: {} }] },
    );
    expect(ended1.ended.status).toBe('failed');
    expect(ended1.stepEnds[0]!.action).toEqual({ type: 'end', name: 'stopHere' });

    const ended2 = await run(`  steps:\n  - {stepId: a, operationId: A, successCriteria: [{condition: $statusCode == 200}]}\n`, {
      A: [err(400, 'ValidationException', { requestId: 'r-1' })],
    });
    expect(ended2.ended).toMatchObject({ status: 'error', resumable: false, error: { code: 'ValidationException', message: 'ValidationException happened', httpStatus: 400, requestId: 'r-1' } });
  });

  it('onFailure criteria can match a service error body', async () => {
    const r = await run(
      `  steps:
  - stepId: a
    operationId: A
    successCriteria: [{condition: $statusCode == 200}]
    onFailure:
    - name: exists
      type: goto
      stepId: b
      criteria: [{context: $response.body, type: jsonpath, condition: '$.__type == "ConflictException"'}]
  - {stepId: b, operationId: B}
`,
      { A: [err(409, 'ConflictException')], B: [ok()] },
    );
    expect(r.ops).toEqual(['A', 'B']);
    expect(r.ended.status).toBe('succeeded');
  });
});

describe('polling steps', () => {
  const POLL = `  steps:
  - stepId: p
    operationId: P
    successCriteria: [{condition: $statusCode == 200}]
    outputs: {state: $response.body#/state}
    onSuccess:
    - {name: ready, type: end, criteria: [{context: $response.body, type: jsonpath, condition: '$.state == "READY"'}]}
    - {name: broken, type: end, criteria: [{context: $response.body, type: jsonpath, condition: '$.state == "FAILED"'}]}
    - {name: wait, type: goto, stepId: p, criteria: [{context: $response.body, type: jsonpath, condition: '$[?@ == "BUSY"]'}]}
  - {stepId: next, operationId: N}
`;
  it('polls itself until a terminal status; the status decides the run status', async () => {
    const good = await run(POLL, { P: [ok({ state: 'BUSY' }), ok({ state: 'BUSY' }), ok({ state: 'READY' })], N: [ok()] });
    expect(good.ops).toEqual(['P', 'P', 'P']);
    expect(good.ended.status).toBe('succeeded');
    expect(good.events.filter((e) => e.type === 'step-started')).toHaveLength(1);

    const bad = await run(POLL, { P: [ok({ state: 'BUSY' }), ok({ state: 'FAILED' })], N: [ok()] });
    expect(bad.ended).toMatchObject({ status: 'failed', error: { code: 'FailureStatus' } });
  });

  it('an unnamed status never falls through to the next step', async () => {
    const r = await run(POLL, { P: [ok({ state: 'BUSY' }), ok({ state: 'PAUSED' })], N: [ok()] });
    expect(r.ops).toEqual(['P', 'P']);
    expect(r.ended.status).toBe('failed');
    expect(r.ended.error!.message).toBe(
      'Step "p" received status PAUSED, which none of its actions (ready, broken, wait) names; the run stops here instead of going on to "next".',
    );
  });
});
