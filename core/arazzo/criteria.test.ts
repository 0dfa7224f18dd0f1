import { describe, expect, it } from 'vitest';
import { compileCriterion, CriterionError, evaluateCriterion } from './criteria';
import type { ExpressionContext } from './expression';
import type { Criterion } from './types';

const body = {
  datastoreProperties: { datastoreStatus: 'ACTIVE', datastoreName: 'store-1', sizeGb: 12 },
  jobSummaries: [
    { jobId: 'a', jobStatus: 'COMPLETED', files: 10 },
    { jobId: 'b', jobStatus: 'FAILED', files: 3 },
  ],
  flag: true,
  nothing: null,
};
const ctx: ExpressionContext = { inputs: {}, steps: {}, statusCode: 200, response: { headers: {}, body } };
const jp = (condition: string): Criterion => ({ type: 'jsonpath', context: '$response.body', condition });

describe('jsonpath criteria: the seed\'s "query op literal" form', () => {
  it.each([
    ['$.datastoreProperties.datastoreStatus == "ACTIVE"', true],
    ['$.datastoreProperties.datastoreStatus == "CREATING"', false],
    ["$.datastoreProperties.datastoreStatus == 'ACTIVE'", true],
    ['$.datastoreProperties.datastoreStatus != "CREATE_FAILED"', true],
    ['$.datastoreProperties.sizeGb > 10', true],
    ['$.datastoreProperties.sizeGb <= 11.5', false],
    ['$.flag == true', true],
    ['$.nothing == null', true],
    ["$['datastoreProperties']['datastoreName'] == \"store-1\"", true],
    ['$.jobSummaries[0].jobStatus == "COMPLETED"', true],
    ['$.jobSummaries[-1].files >= 3', true],
  ])('%s -> %s', (condition, expected) => {
    const c = compileCriterion(jp(condition));
    expect(c).toMatchObject({ kind: 'jsonpath', form: 'query-op-literal' });
    expect(c.evaluate(ctx)).toBe(expected);
  });

  it('is case-sensitive, like JSONPath comparisons', () => {
    expect(evaluateCriterion(jp('$.datastoreProperties.datastoreStatus == "active"'), ctx)).toBe(false);
  });

  it('does not pass when the query finds no value or several', () => {
    expect(evaluateCriterion(jp('$.missing.path == "ACTIVE"'), ctx)).toBe(false);
    expect(evaluateCriterion(jp('$.missing.path != "ACTIVE"'), ctx)).toBe(false);
    expect(evaluateCriterion(jp('$.jobSummaries[*].jobStatus == "COMPLETED"'), ctx)).toBe(false);
  });

  it('does not pass when the context is missing (an error answer has no such body)', () => {
    expect(evaluateCriterion(jp('$.datastoreProperties.datastoreStatus == "ACTIVE"'), { inputs: {}, steps: {} })).toBe(false);
  });
});

describe('jsonpath criteria: RFC 9535 queries (a non-empty node list passes)', () => {
  it.each([
    ['$.datastoreProperties.datastoreStatus', true],
    ['$.datastoreProperties.nope', false],
    ['$.jobSummaries[?@.jobStatus == "FAILED"]', true],
    ["$.jobSummaries[?@.jobStatus == 'IN_PROGRESS']", false],
    ['$.jobSummaries[?@.files > 5 && @.jobStatus == "COMPLETED"]', true],
    ['$[?@.datastoreStatus == "ACTIVE"]', true],
    ['$..jobId', true],
    ['$.jobSummaries[?length(@.jobId) == 1]', true],
    ['$.jobSummaries[?match(@.jobStatus, "COMP.*")]', true],
    ['$.jobSummaries[5]', false],
  ])('%s -> %s', (condition, expected) => {
    const c = compileCriterion(jp(condition));
    expect(c).toMatchObject({ kind: 'jsonpath', form: 'rfc9535' });
    expect(c.evaluate(ctx)).toBe(expected);
  });

  it('accepts the criterion expression type object form', () => {
    expect(evaluateCriterion({ context: '$response.body', condition: '$.flag', type: { type: 'jsonpath', version: 'draft-goessner-dispatch-jsonpath-00' } }, ctx)).toBe(true);
  });
});

describe('rejected criteria say what is wrong', () => {
  it.each([
    [jp('$.a.b === "X"'), /neither an RFC 9535 query .* nor the form "QUERY OP LITERAL"/],
    [jp('$.a.b == ACTIVE'), /neither an RFC 9535 query/],
    [jp('datastoreStatus == "ACTIVE"'), /query part/],
    [jp('$.a.b == "X" && $.c == 1'), /neither/],
    [{ type: 'jsonpath', condition: '$.a' } as Criterion, /needs a "context"/],
    [{ type: 'regex', condition: '^2' } as Criterion, /needs a "context"/],
    [{ type: 'regex', context: '$statusCode', condition: '([' } as Criterion, /does not compile/],
    [{ type: 'xpath', context: '$response.body', condition: '/a' } as Criterion, /xpath criteria are not supported/],
    [{ type: 'magic', condition: 'x' } as unknown as Criterion, /unknown criterion type "magic"/],
    [{ type: 'jsonpath', context: 'response.body', condition: '$.a' } as Criterion, /not a runtime expression/],
    [{ condition: '' } as Criterion, /"condition" is required/],
  ])('%j', (criterion, message) => {
    expect(() => compileCriterion(criterion)).toThrow(CriterionError);
    expect(() => compileCriterion(criterion)).toThrow(message);
  });
});

describe('regex and simple criteria', () => {
  it('matches a regex against the context value', () => {
    expect(evaluateCriterion({ type: 'regex', context: '$statusCode', condition: '^2\\d\\d$' }, ctx)).toBe(true);
    expect(evaluateCriterion({ type: 'regex', context: '$response.body#/datastoreProperties/datastoreStatus', condition: '^(CREATING|ACTIVE)$' }, ctx)).toBe(true);
    expect(evaluateCriterion({ type: 'regex', context: '$response.body#/missing', condition: '.*' }, ctx)).toBe(false);
  });

  it('treats a criterion without type as simple', () => {
    expect(evaluateCriterion({ condition: '$statusCode == 200' }, ctx)).toBe(true);
    expect(evaluateCriterion({ condition: "$response.body#/datastoreProperties/datastoreStatus == 'active'" }, ctx)).toBe(true);
  });
});
