/**
 * Criterion objects: `simple` (default), `regex`, `jsonpath`. xpath is rejected at load time.
 * jsonpath accepts an RFC 9535 query (passes when its node list is non-empty) and, explicitly, the
 * seed's "query op literal" form `$.a.b == "X"` (the query's single value compared with a literal,
 * case-sensitive like JSONPath comparisons). Anything else is a load-time error.
 */
import { query } from 'jsonpath-rfc9535';
import parseJsonPath from 'jsonpath-rfc9535/parser';
import { compareValues, evaluateCondition, parseCondition } from './condition';
import { evaluateExpression, looksLikeRuntimeExpression, parseRuntimeExpression, type ExpressionContext, type RuntimeExpression } from './expression';
import type { Criterion } from './types';

export class CriterionError extends Error {
  override name = 'CriterionError';
  /** Which part of the criterion is wrong. */
  constructor(
    message: string,
    readonly field: 'condition' | 'context' | 'type' = 'condition',
  ) {
    super(message);
  }
}

type Literal = string | number | boolean | null;
type Op = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type CompiledCriterion =
  | { kind: 'simple'; text: string; evaluate: (ctx: ExpressionContext) => boolean }
  | { kind: 'regex'; text: string; context: RuntimeExpression; evaluate: (ctx: ExpressionContext) => boolean }
  | { kind: 'jsonpath'; form: 'rfc9535' | 'query-op-literal'; text: string; context: RuntimeExpression; evaluate: (ctx: ExpressionContext) => boolean };

export function criterionType(c: Criterion): string {
  if (c.type === undefined) return 'simple';
  if (typeof c.type === 'string') return c.type;
  return c.type.type;
}

const QUERY_OP_LITERAL = /^(.*?)\s*(==|!=|<=|>=|<|>)\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)\s*$/s;

function parseLiteral(raw: string): Literal {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (raw.startsWith('"') || raw.startsWith("'")) return raw.slice(1, -1).replace(/\\(.)/g, '$1');
  return Number(raw);
}

function isValidJsonPath(text: string): string | undefined {
  try {
    parseJsonPath(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Strict comparison for the jsonpath "query op literal" form (no case folding, no coercion). */
function compareStrict(op: Op, a: unknown, b: Literal): boolean {
  if (op === '==' || op === '!=') {
    const eq = a === b;
    return op === '==' ? eq : !eq;
  }
  if (typeof a === 'number' && typeof b === 'number') return compareValues(op, a, b);
  if (typeof a === 'string' && typeof b === 'string') {
    switch (op) {
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '>':
        return a > b;
      case '>=':
        return a >= b;
    }
  }
  return false;
}

function contextExpression(c: Criterion, type: string): RuntimeExpression {
  if (c.context === undefined || c.context === '') throw new CriterionError(`a ${type} criterion needs a "context" (e.g. $response.body)`, 'context');
  if (!looksLikeRuntimeExpression(c.context)) throw new CriterionError(`context "${c.context}" is not a runtime expression`, 'context');
  try {
    return parseRuntimeExpression(c.context);
  } catch (e) {
    throw new CriterionError(`context: ${(e as Error).message}`, 'context');
  }
}

const compiled = new WeakMap<Criterion, CompiledCriterion>();

/** Parses a criterion once; throws CriterionError with a message that says what is wrong. */
export function compileCriterion(c: Criterion): CompiledCriterion {
  const hit = compiled.get(c);
  if (hit) return hit;
  const result = compileUncached(c);
  compiled.set(c, result);
  return result;
}

function compileUncached(c: Criterion): CompiledCriterion {
  if (typeof c.condition !== 'string' || c.condition.trim() === '') throw new CriterionError('"condition" is required');
  const type = criterionType(c);
  const text = c.condition;
  try {
    switch (type) {
      case 'simple': {
        const node = parseCondition(text);
        if (c.context !== undefined) contextExpression(c, type);
        return { kind: 'simple', text, evaluate: (ctx) => evaluateCondition(node, ctx) };
      }
      case 'regex': {
        const context = contextExpression(c, type);
        let re: RegExp;
        try {
          re = new RegExp(text);
        } catch (e) {
          throw new CriterionError(`regex "${text}" does not compile: ${(e as Error).message}`);
        }
        return {
          kind: 'regex',
          text,
          context,
          evaluate: (ctx) => {
            const v = evaluateExpression(context, ctx);
            if (v === undefined || v === null) return false;
            return re.test(typeof v === 'object' ? JSON.stringify(v) : String(v));
          },
        };
      }
      case 'jsonpath': {
        const context = contextExpression(c, type);
        const rfcError = isValidJsonPath(text.trim());
        if (rfcError === undefined) {
          const q = text.trim();
          return {
            kind: 'jsonpath',
            form: 'rfc9535',
            text,
            context,
            evaluate: (ctx) => {
              const v = evaluateExpression(context, ctx);
              if (v === undefined) return false;
              return query(v as never, q).length > 0;
            },
          };
        }
        const m = QUERY_OP_LITERAL.exec(text);
        const qError = m ? isValidJsonPath(m[1]!.trim()) : 'no comparison with a literal found';
        if (!m || qError !== undefined)
          throw new CriterionError(
            `jsonpath condition "${text}" is neither an RFC 9535 query (${rfcError}) nor the form "QUERY OP LITERAL" such as $.a.b == "X"` +
              (m ? ` (its query part: ${qError})` : ''),
          );
        const q = m[1]!.trim();
        const op = m[2] as Op;
        const literal = parseLiteral(m[3]!);
        return {
          kind: 'jsonpath',
          form: 'query-op-literal',
          text,
          context,
          evaluate: (ctx) => {
            const v = evaluateExpression(context, ctx);
            if (v === undefined) return false;
            const nodes = query(v as never, q);
            // Exactly one value compares; none or several do not (an ambiguous query never passes).
            if (nodes.length !== 1) return false;
            return compareStrict(op, nodes[0], literal);
          },
        };
      }
      case 'xpath':
        throw new CriterionError('xpath criteria are not supported (the HealthImaging API speaks JSON)', 'type');
      default:
        throw new CriterionError(`unknown criterion type "${type}" (expected simple, regex or jsonpath)`, 'type');
    }
  } catch (e) {
    if (e instanceof CriterionError) throw e;
    throw new CriterionError(`${type} condition "${text}": ${(e as Error).message}`);
  }
}

export function evaluateCriterion(c: Criterion, ctx: ExpressionContext): boolean {
  return compileCriterion(c).evaluate(ctx);
}

/** Index of the first criterion that does not hold, or -1 when all hold. */
export function firstFailingCriterion(criteria: readonly Criterion[] | undefined, ctx: ExpressionContext): number {
  if (!criteria) return -1;
  return criteria.findIndex((c) => !evaluateCriterion(c, ctx));
}
