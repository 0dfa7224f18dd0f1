import { describe, expect, it } from 'vitest';
import { ConditionSyntaxError, evaluateCondition, parseCondition } from './condition';
import type { ExpressionContext } from './expression';

const ctx: ExpressionContext = {
  inputs: { limit: 10, name: 'Store' },
  steps: {},
  statusCode: 200,
  response: { headers: { 'Retry-After': '30', 'Content-Type': 'application/json' }, body: { status: 'ACTIVE', count: 3, items: [1, 2], ok: true, none: null } },
};
const ev = (c: string) => evaluateCondition(c, ctx);

describe('simple conditions', () => {
  it.each([
    ['$statusCode == 200', true],
    ['$statusCode != 200', false],
    ['$statusCode >= 200 && $statusCode < 300', true],
    ['$statusCode > 200', false],
    ['$statusCode <= 200', true],
    ['$response.body#/count < $inputs.limit', true],
    ['$response.body#/status == \'ACTIVE\'', true],
    ['$response.body#/status == "ACTIVE"', true],
    ['$response.body#/ok == true', true],
    ['$response.body#/none == null', true],
    ['$response.body#/missing == null', true],
    ['$response.body#/ok', true],
    ['!$response.body#/ok', false],
    ['!($statusCode == 404)', true],
    ['$response.header.Retry-After > 10', true],
    ['$response.header.retry-after == 30', true],
    ["$response.header.Content-Type == 'application/json'", true],
    ['$response.body#/count == -3', false],
    ['$response.body#/count > 2.5', true],
    ['true', true],
    ['false || null', false],
  ])('%s -> %s', (c, expected) => {
    expect(ev(c)).toBe(expected);
  });

  it('compares strings without regard to case', () => {
    expect(ev("$response.body#/status == 'active'")).toBe(true);
    expect(ev("$inputs.name == 'STORE'")).toBe(true);
    expect(ev("$inputs.name != 'store'")).toBe(false);
    expect(ev("$inputs.name < 'T'")).toBe(true);
    expect(ev("'b' > 'A'")).toBe(true);
  });

  it('gives ! the highest precedence, then comparisons, then &&, then ||', () => {
    expect(ev('true || false && false')).toBe(true); // || binds loosest
    expect(ev('(true || false) && false')).toBe(false);
    expect(ev('!false && false')).toBe(false); // (!false) && false
    expect(ev('!(false && false)')).toBe(true);
    expect(ev('$statusCode == 200 || $statusCode == 201 && false')).toBe(true);
    expect(ev('false && $statusCode == 200 || true')).toBe(true);
    expect(ev('!$statusCode == 200')).toBe(false); // (!200) == 200
  });

  it('handles quotes inside strings', () => {
    expect(evaluateCondition("'it''s' == 'IT''S'", ctx)).toBe(true);
    expect(evaluateCondition("'a\\'b' == \"a'b\"", ctx)).toBe(true);
  });

  it('never compares across types loosely', () => {
    expect(ev("$statusCode == '200'")).toBe(true); // numeric string meets number as a number
    expect(ev("$response.body#/ok == 'true'")).toBe(false);
    expect(ev('$response.body#/items > 1')).toBe(false);
  });

  it.each([
    ['$statusCode = 200', /did you mean "=="/],
    ['$statusCode == ACTIVE', /unquoted word "ACTIVE".*'ACTIVE'/],
    ['($statusCode == 200', /expected "\)"/],
    ["'open", /not closed/],
    ['$statusCode == 200 == true', /cannot be chained/],
    ['$statusCode ==', /condition ended/],
    ['', /empty/],
    ['$statusCode == 200 )', /unexpected "\)"/],
    ['$nope == 1', /not a known runtime expression/],
    ['$statusCode == 200 ; drop', /unexpected ";"/],
    ['process.exit(1)', /unquoted word "process"/],
  ])('rejects %s', (c, message) => {
    expect(() => parseCondition(c)).toThrow(ConditionSyntaxError);
    expect(() => parseCondition(c)).toThrow(message);
  });
});
