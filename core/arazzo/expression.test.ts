import { describe, expect, it } from 'vitest';
import { evaluateExpression, evaluateValue, ExpressionSyntaxError, looksLikeRuntimeExpression, parseRuntimeExpression, type ExpressionContext } from './expression';
import { resolveJsonPointer } from './json-pointer';

const ctx: ExpressionContext = {
  inputs: { name: 'store-1', count: 3, flag: false, nested: { a: [10, 20] }, nothing: null },
  steps: { create: { outputs: { datastoreId: 'abc', props: { 'a/b': 1, 'x~y': 2, list: ['p', 'q'] } } } },
  outputs: { done: true },
  statusCode: 200,
  url: 'https://medical-imaging.us-east-1.amazonaws.com/datastore',
  method: 'POST',
  request: { headers: { 'Content-Type': 'application/json' }, query: { maxResults: 5 }, path: { datastoreId: 'abc' }, body: { clientToken: 't' } },
  response: {
    headers: { 'Retry-After': '7', 'x-amzn-RequestId': 'rid' },
    body: { datastoreProperties: { datastoreStatus: 'ACTIVE', createdAt: 1767000000.5 }, items: [{ id: 1 }, { id: 2 }], empty: '' },
  },
};

describe('runtime expressions', () => {
  it.each([
    ['$inputs.name', 'store-1'],
    ['$inputs.count', 3],
    ['$inputs.flag', false],
    ['$inputs.nothing', null],
    ['$inputs.nested.a[1]', 20],
    ['$inputs.nested#/a/0', 10],
    ['$steps.create.outputs.datastoreId', 'abc'],
    ['$steps.create.outputs.props#/a~1b', 1],
    ['$steps.create.outputs.props#/x~0y', 2],
    ['$steps.create.outputs.props#/list/1', 'q'],
    ['$statusCode', 200],
    ['$url', 'https://medical-imaging.us-east-1.amazonaws.com/datastore'],
    ['$method', 'POST'],
    ['$response.body#/datastoreProperties/datastoreStatus', 'ACTIVE'],
    ['$response.body#/datastoreProperties/createdAt', 1767000000.5],
    ['$response.body#/items/1/id', 2],
    ['$response.body#/empty', ''],
    ['$response.header.retry-after', '7'],
    ['$response.header.X-Amzn-RequestId', 'rid'],
    ['$request.header.content-type', 'application/json'],
    ['$request.query.maxResults', 5],
    ['$request.path.datastoreId', 'abc'],
    ['$request.body#/clientToken', 't'],
    ['$outputs.done', true],
  ])('%s keeps the value and its type', (text, expected) => {
    expect(evaluateExpression(text, ctx)).toStrictEqual(expected);
  });

  it('gives the whole body and undefined for anything missing', () => {
    expect(evaluateExpression('$response.body', ctx)).toBe(ctx.response!.body);
    expect(evaluateExpression('$response.body#/nope/deeper', ctx)).toBeUndefined();
    expect(evaluateExpression('$steps.never.outputs.jobId', ctx)).toBeUndefined();
    expect(evaluateExpression('$inputs.nested#/a/7', ctx)).toBeUndefined();
    expect(evaluateExpression('$response.header.Missing', ctx)).toBeUndefined();
    expect(evaluateExpression('$statusCode', { inputs: {}, steps: {} })).toBeUndefined();
  });

  it.each([
    ['$inputs', /needs a name/],
    ['$steps.create.result.x', /outputs/],
    ['$response.body#nopointer', /must be empty or start with/],
    ['$response.headers.x', /header\.NAME/],
    ['$statusCode.x', /takes no path/],
    ['$request.query.x#/a', /only \$request\.body/],
    ['$foo.bar', /not a known runtime expression/],
    ['$inputs.a[x]', /\[index\]/],
    ['$workflows.other', /WORKFLOW_ID/],
  ])('rejects %s with a clear message', (text, message) => {
    expect(() => parseRuntimeExpression(text)).toThrow(ExpressionSyntaxError);
    expect(() => parseRuntimeExpression(text)).toThrow(message);
  });

  it('knows which strings are expressions', () => {
    expect(looksLikeRuntimeExpression('$inputs.x')).toBe(true);
    expect(looksLikeRuntimeExpression('$statusCode')).toBe(true);
    expect(looksLikeRuntimeExpression('$5 off')).toBe(false);
    expect(looksLikeRuntimeExpression('$statusCodes')).toBe(false);
    expect(looksLikeRuntimeExpression('plain')).toBe(false);
  });
});

describe('evaluating document values', () => {
  it('evaluates payloads at any depth, keeps types, drops missing values', () => {
    const payload = {
      datastoreName: '$inputs.name',
      count: '$inputs.count',
      tags: { env: 'test', owner: '{$inputs.name}', missing: '$inputs.absent' },
      list: ['$steps.create.outputs.datastoreId', 42, { deep: '$response.body#/items/0' }],
      literal: 'no expression here',
    };
    expect(evaluateValue(payload, ctx)).toEqual({
      datastoreName: 'store-1',
      count: 3,
      tags: { env: 'test', owner: 'store-1' },
      list: ['abc', 42, { deep: { id: 1 } }],
      literal: 'no expression here',
    });
  });

  it('interpolates embedded {$...} expressions as text', () => {
    expect(evaluateValue('arn:aws:medical-imaging:us-east-1:123:datastore/{$steps.create.outputs.datastoreId}', ctx)).toBe(
      'arn:aws:medical-imaging:us-east-1:123:datastore/abc',
    );
    expect(evaluateValue('{$inputs.count} files, {$inputs.missing}!', ctx)).toBe('3 files, !');
    expect(evaluateValue('{$inputs.nested}', ctx)).toEqual({ a: [10, 20] });
    expect(evaluateValue('json: {$inputs.nested}', ctx)).toBe('json: {"a":[10,20]}');
    expect(evaluateValue('braces {not an expression}', ctx)).toBe('braces {not an expression}');
  });

  it('rejects an unclosed embedded expression', () => {
    expect(() => evaluateValue('x {$inputs.name', ctx)).toThrow(/no closing/);
  });
});

describe('JSON pointer (RFC 6901)', () => {
  const doc = { foo: ['bar', 'baz'], '': 0, 'a/b': 1, 'c%d': 2, 'e^f': 3, 'g|h': 4, 'i\\j': 5, 'k"l': 6, ' ': 7, 'm~n': 8 };
  it.each([
    ['', doc],
    ['/foo', ['bar', 'baz']],
    ['/foo/0', 'bar'],
    ['/', 0],
    ['/a~1b', 1],
    ['/c%d', 2],
    ['/e^f', 3],
    ['/g|h', 4],
    ['/i\\j', 5],
    ['/k"l', 6],
    ['/ ', 7],
    ['/m~0n', 8],
    ['/foo/01', undefined],
    ['/foo/-', undefined],
  ])('%s', (pointer, expected) => {
    expect(resolveJsonPointer(doc, pointer)).toEqual(expected);
  });
});
