/**
 * Arazzo "simple" conditions: a small tokenizer and recursive-descent parser, never eval.
 * Literals: numbers, true/false/null, 'single-quoted' strings ('' or \' escapes a quote; "double"
 * quotes are accepted too). Operands may be runtime expressions. Operators by precedence:
 * `!` > `< <= > >= == !=` > `&&` > `||`, with `( )` grouping. String comparison ignores case.
 */
import { evaluateExpression, parseRuntimeExpression, type ExpressionContext, type RuntimeExpression } from './expression';

export class ConditionSyntaxError extends Error {
  override name = 'ConditionSyntaxError';
}

type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
type Token =
  | { kind: 'op'; value: ComparisonOp | '&&' | '||' | '!' | '(' | ')'; pos: number }
  | { kind: 'literal'; value: string | number | boolean | null; pos: number }
  | { kind: 'expr'; value: RuntimeExpression; pos: number };

export type ConditionNode =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'expr'; expression: RuntimeExpression }
  | { kind: 'not'; operand: ConditionNode }
  | { kind: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | { kind: 'compare'; op: ComparisonOp; left: ConditionNode; right: ConditionNode };

const STOP = new Set([' ', '\t', '\n', '\r', '(', ')', '<', '>', '=', '!', '&', '|', '"', "'"]);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '&&' || two === '||' || two === '==' || two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', value: two, pos: i });
      i += 2;
      continue;
    }
    if (ch === '<' || ch === '>' || ch === '!' || ch === '(' || ch === ')') {
      tokens.push({ kind: 'op', value: ch, pos: i });
      i += 1;
      continue;
    }
    if (ch === '=' || ch === '&' || ch === '|') throw new ConditionSyntaxError(`unexpected "${ch}" at position ${i} (did you mean "${ch}${ch}"?)`);
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      let s = '';
      for (;;) {
        if (j >= text.length) throw new ConditionSyntaxError(`string starting at position ${i} is not closed`);
        const c = text[j]!;
        if (c === '\\' && j + 1 < text.length) {
          s += text[j + 1];
          j += 2;
        } else if (c === ch && text[j + 1] === ch) {
          s += ch;
          j += 2;
        } else if (c === ch) {
          j += 1;
          break;
        } else {
          s += c;
          j += 1;
        }
      }
      tokens.push({ kind: 'literal', value: s, pos: i });
      i = j;
      continue;
    }
    if (ch === '$') {
      let j = i;
      let depth = 0;
      while (j < text.length) {
        const c = text[j]!;
        if (c === '[') depth += 1;
        else if (c === ']') depth -= 1;
        else if (depth === 0 && STOP.has(c)) break;
        j += 1;
      }
      const raw = text.slice(i, j);
      try {
        tokens.push({ kind: 'expr', value: parseRuntimeExpression(raw), pos: i });
      } catch (e) {
        throw new ConditionSyntaxError(`at position ${i}: ${(e as Error).message}`);
      }
      i = j;
      continue;
    }
    const num = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (num) {
      tokens.push({ kind: 'literal', value: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (word) {
      if (word[0] === 'true' || word[0] === 'false') tokens.push({ kind: 'literal', value: word[0] === 'true', pos: i });
      else if (word[0] === 'null') tokens.push({ kind: 'literal', value: null, pos: i });
      else throw new ConditionSyntaxError(`unquoted word "${word[0]}" at position ${i}: quote strings, e.g. '${word[0]}'`);
      i += word[0].length;
      continue;
    }
    throw new ConditionSyntaxError(`unexpected "${ch}" at position ${i}`);
  }
  return tokens;
}

const cache = new Map<string, ConditionNode>();

export function parseCondition(text: string): ConditionNode {
  const cached = cache.get(text);
  if (cached) return cached;
  const tokens = tokenize(text);
  if (tokens.length === 0) throw new ConditionSyntaxError('the condition is empty');
  let pos = 0;
  const peek = () => tokens[pos];
  const isOp = (v: string) => {
    const t = peek();
    return t?.kind === 'op' && t.value === v;
  };
  const describe = (t: Token | undefined) => (t ? `"${t.kind === 'expr' ? t.value.text : String(t.value)}" at position ${t.pos}` : 'the end of the condition');

  const parseOr = (): ConditionNode => {
    let left = parseAnd();
    while (isOp('||')) {
      pos += 1;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): ConditionNode => {
    let left = parseUnary();
    while (isOp('&&')) {
      pos += 1;
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): ConditionNode => {
    if (isOp('!')) {
      pos += 1;
      return { kind: 'not', operand: parseUnary() };
    }
    return parseComparison();
  };
  const parseComparison = (): ConditionNode => {
    const left = parsePrimary();
    const t = peek();
    if (t?.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.value)) {
      pos += 1;
      const right = parsePrimary();
      const next = peek();
      if (next?.kind === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(next.value))
        throw new ConditionSyntaxError(`comparisons cannot be chained: ${describe(next)}; use && between them`);
      return { kind: 'compare', op: t.value as ComparisonOp, left, right };
    }
    return left;
  };
  const parsePrimary = (): ConditionNode => {
    const t = peek();
    if (!t) throw new ConditionSyntaxError('expected a value but the condition ended');
    if (t.kind === 'op' && t.value === '(') {
      pos += 1;
      const inner = parseOr();
      if (!isOp(')')) throw new ConditionSyntaxError(`expected ")" but found ${describe(peek())}`);
      pos += 1;
      return inner;
    }
    if (t.kind === 'op' && t.value === '!') return parseUnary();
    if (t.kind === 'literal') {
      pos += 1;
      return { kind: 'literal', value: t.value };
    }
    if (t.kind === 'expr') {
      pos += 1;
      return { kind: 'expr', expression: t.value };
    }
    throw new ConditionSyntaxError(`expected a value but found ${describe(t)}`);
  };

  const node = parseOr();
  if (pos < tokens.length) throw new ConditionSyntaxError(`unexpected ${describe(peek())}`);
  if (cache.size > 2000) cache.clear();
  cache.set(text, node);
  return node;
}

type Value = unknown;

function evalNode(node: ConditionNode, ctx: ExpressionContext): Value {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'expr':
      return evaluateExpression(node.expression, ctx);
    case 'not':
      return !truthy(evalNode(node.operand, ctx));
    case 'and':
      return truthy(evalNode(node.left, ctx)) && truthy(evalNode(node.right, ctx));
    case 'or':
      return truthy(evalNode(node.left, ctx)) || truthy(evalNode(node.right, ctx));
    case 'compare':
      return compareValues(node.op, evalNode(node.left, ctx), evalNode(node.right, ctx));
  }
}

export function truthy(v: unknown): boolean {
  return v !== undefined && v !== null && v !== false && v !== 0 && v !== '' && !Number.isNaN(v);
}

function isNumericString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v));
}

/** Comparison rules: missing equals null; a number meets a numeric string as a number; strings ignore case. */
export function compareValues(op: ComparisonOp, a: unknown, b: unknown): boolean {
  let x = a === undefined ? null : a;
  let y = b === undefined ? null : b;
  if (typeof x === 'number' && isNumericString(y)) y = Number(y);
  if (typeof y === 'number' && isNumericString(x)) x = Number(x);
  if (typeof x === 'string' && typeof y === 'string') {
    x = x.toLowerCase();
    y = y.toLowerCase();
  }
  if (op === '==' || op === '!=') {
    const eq = x === y || (typeof x === 'object' && typeof y === 'object' && x !== null && y !== null && JSON.stringify(x) === JSON.stringify(y));
    return op === '==' ? eq : !eq;
  }
  const comparable = (typeof x === 'number' && typeof y === 'number') || (typeof x === 'string' && typeof y === 'string');
  if (!comparable) return false;
  const xx = x as number | string;
  const yy = y as number | string;
  switch (op) {
    case '<':
      return xx < yy;
    case '<=':
      return xx <= yy;
    case '>':
      return xx > yy;
    case '>=':
      return xx >= yy;
  }
}

export function evaluateCondition(condition: string | ConditionNode, ctx: ExpressionContext): boolean {
  const node = typeof condition === 'string' ? parseCondition(condition) : condition;
  return truthy(evalNode(node, ctx));
}
