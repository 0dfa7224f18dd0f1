/**
 * Arazzo runtime expressions ($inputs.x, $steps.id.outputs.y#/ptr, $statusCode, $response.body#/ptr,
 * $response.header.Name, $workflows/$outputs forms...): parse once, evaluate against a context.
 * Values keep their type; expressions embedded in strings as `{$...}` are interpolated as text.
 */
import { parseJsonPointer, resolveTokens } from './json-pointer';

export class ExpressionSyntaxError extends Error {
  override name = 'ExpressionSyntaxError';
}

export type ExpressionRoot =
  | 'url'
  | 'method'
  | 'statusCode'
  | 'request'
  | 'response'
  | 'inputs'
  | 'outputs'
  | 'steps'
  | 'workflows'
  | 'sourceDescriptions'
  | 'components';

export interface RuntimeExpression {
  text: string;
  root: ExpressionRoot;
  /** For $request./$response. expressions. */
  source?: 'header' | 'query' | 'path' | 'body';
  /** For `header.Name`: compared case-insensitively. */
  headerName?: string;
  /** Navigation after the root (and source): `$steps.a.outputs.b[0]` -> ['a','outputs','b',0]. */
  path: (string | number)[];
  /** RFC 6901 tokens after `#`. */
  pointer?: string[];
}

export interface ExpressionContext {
  inputs: Record<string, unknown>;
  steps: Record<string, { outputs?: Record<string, unknown> } | undefined>;
  /** Workflow outputs evaluated so far. */
  outputs?: Record<string, unknown>;
  workflows?: Record<string, { inputs?: Record<string, unknown>; outputs?: Record<string, unknown> } | undefined>;
  url?: string;
  method?: string;
  statusCode?: number;
  request?: { headers?: Record<string, string>; query?: Record<string, unknown>; path?: Record<string, unknown>; body?: unknown };
  response?: { headers?: Record<string, string>; body?: unknown };
  components?: unknown;
  sourceDescriptions?: unknown;
}

const PREFIXES: ReadonlyArray<[string, ExpressionRoot]> = [
  ['$url', 'url'],
  ['$method', 'method'],
  ['$statusCode', 'statusCode'],
  ['$request.', 'request'],
  ['$response.', 'response'],
  ['$inputs.', 'inputs'],
  ['$outputs.', 'outputs'],
  ['$steps.', 'steps'],
  ['$workflows.', 'workflows'],
  ['$sourceDescriptions.', 'sourceDescriptions'],
  ['$components.', 'components'],
];

/** True when `text` starts like a runtime expression (and so must parse as one). */
export function looksLikeRuntimeExpression(text: string): boolean {
  const t = text.trim();
  return PREFIXES.some(([prefix]) => {
    const bare = prefix.replace(/\.$/, '');
    return t === bare || t.startsWith(bare + '.') || t.startsWith(bare + '#') || t.startsWith(bare + '[');
  });
}

const cache = new Map<string, RuntimeExpression>();

export function parseRuntimeExpression(input: string): RuntimeExpression {
  const text = input.trim();
  const cached = cache.get(text);
  if (cached) return cached;
  const parsed = parseUncached(text);
  if (cache.size > 5000) cache.clear();
  cache.set(text, parsed);
  return parsed;
}

function parseUncached(text: string): RuntimeExpression {
  if (!text.startsWith('$')) throw new ExpressionSyntaxError(`"${text}" is not a runtime expression: it must start with "$"`);
  const hash = text.indexOf('#');
  const head = hash >= 0 ? text.slice(0, hash) : text;
  let pointer: string[] | undefined;
  if (hash >= 0) {
    try {
      pointer = parseJsonPointer(text.slice(hash + 1));
    } catch (e) {
      throw new ExpressionSyntaxError(`"${text}": ${(e as Error).message}`);
    }
  }
  for (const [prefix, root] of PREFIXES) {
    const bare = prefix.replace(/\.$/, '');
    if (head !== bare && !head.startsWith(bare + '.') && !head.startsWith(bare + '[')) continue;
    // `$statusCode`-like roots take no path; `$stepsX` must not match `$steps`.
    const rest = head.slice(bare.length);
    if (root === 'url' || root === 'method' || root === 'statusCode') {
      if (rest !== '' || pointer) throw new ExpressionSyntaxError(`"${text}": $${root} takes no path or pointer`);
      return { text, root, path: [] };
    }
    if (rest === '') throw new ExpressionSyntaxError(`"${text}": ${bare} needs a name after it (e.g. ${bare}.name)`);
    if (root === 'request' || root === 'response') return parseSource(text, root, rest.slice(1), pointer);
    const path = parseSegments(text, rest);
    validateRootPath(text, root, path);
    return pointer ? { text, root, path, pointer } : { text, root, path };
  }
  throw new ExpressionSyntaxError(
    `"${text}" is not a known runtime expression (expected $url, $method, $statusCode, $request., $response., $inputs., $outputs., $steps., $workflows., $sourceDescriptions. or $components.)`,
  );
}

function parseSource(text: string, root: 'request' | 'response', rest: string, pointer: string[] | undefined): RuntimeExpression {
  if (rest === 'body' || rest.startsWith('body.') || rest.startsWith('body[')) {
    const path = parseSegments(text, rest.slice(4));
    return pointer ? { text, root, source: 'body', path, pointer } : { text, root, source: 'body', path };
  }
  if (pointer) throw new ExpressionSyntaxError(`"${text}": only $${root}.body takes a #/json/pointer`);
  const headerMatch = /^header\.([!#$%&'*+\-.^_`|~0-9A-Za-z]+)$/.exec(rest);
  if (headerMatch) return { text, root, source: 'header', headerName: headerMatch[1]!, path: [] };
  const m = /^(query|path)\.(.+)$/.exec(rest);
  if (m) return { text, root, source: m[1] as 'query' | 'path', path: [m[2]!] };
  throw new ExpressionSyntaxError(`"${text}": after $${root}. expected header.NAME, query.NAME, path.NAME or body[#/pointer]`);
}

/** `.a.b[0]['c d']` -> ['a','b',0,'c d']. */
function parseSegments(text: string, rest: string): (string | number)[] {
  const out: (string | number)[] = [];
  let i = 0;
  while (i < rest.length) {
    const ch = rest[i];
    if (ch === '.') {
      const m = /^[^.[\]\s]+/.exec(rest.slice(i + 1));
      if (!m) throw new ExpressionSyntaxError(`"${text}": empty name after "." at position ${i + 1}`);
      out.push(m[0]);
      i += 1 + m[0].length;
    } else if (ch === '[') {
      const m = /^\[(?:(\d+)|'([^']*)'|"([^"]*)")\]/.exec(rest.slice(i));
      if (!m) throw new ExpressionSyntaxError(`"${text}": expected [index] or ['key'] at position ${i}`);
      out.push(m[1] !== undefined ? Number(m[1]) : (m[2] ?? m[3])!);
      i += m[0].length;
    } else {
      throw new ExpressionSyntaxError(`"${text}": unexpected "${ch}" at position ${i}`);
    }
  }
  return out;
}

function validateRootPath(text: string, root: ExpressionRoot, path: (string | number)[]): void {
  if (path.length === 0) throw new ExpressionSyntaxError(`"${text}": $${root} needs a name after it`);
  if (root === 'steps' && path[1] !== undefined && path[1] !== 'outputs')
    throw new ExpressionSyntaxError(`"${text}": a step expression reads outputs: $steps.STEP_ID.outputs.NAME`);
  if (root === 'steps' && path.length < 2) throw new ExpressionSyntaxError(`"${text}": expected $steps.STEP_ID.outputs.NAME`);
  if (root === 'workflows' && (path.length < 2 || (path[1] !== 'outputs' && path[1] !== 'inputs')))
    throw new ExpressionSyntaxError(`"${text}": expected $workflows.WORKFLOW_ID.outputs.NAME or .inputs.NAME`);
}

function headerValue(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** The referenced value with its type, or undefined when it does not exist (never throws on missing data). */
export function evaluateExpression(expr: RuntimeExpression | string, ctx: ExpressionContext): unknown {
  const e = typeof expr === 'string' ? parseRuntimeExpression(expr) : expr;
  let base: unknown;
  switch (e.root) {
    case 'url':
      return ctx.url;
    case 'method':
      return ctx.method;
    case 'statusCode':
      return ctx.statusCode;
    case 'request':
    case 'response': {
      const src = e.root === 'request' ? ctx.request : ctx.response;
      if (!src) return undefined;
      if (e.source === 'header') return headerValue(src.headers, e.headerName!);
      if (e.source === 'query') return resolveTokens((src as { query?: unknown }).query, e.path);
      if (e.source === 'path') return resolveTokens((src as { path?: unknown }).path, e.path);
      base = resolveTokens(src.body, e.path);
      return e.pointer ? resolveTokens(base, e.pointer) : base;
    }
    case 'inputs':
      base = resolveTokens(ctx.inputs, e.path);
      break;
    case 'outputs':
      base = resolveTokens(ctx.outputs, e.path);
      break;
    case 'steps':
      base = resolveTokens(ctx.steps, e.path);
      break;
    case 'workflows':
      base = resolveTokens(ctx.workflows, e.path);
      break;
    case 'sourceDescriptions':
      base = resolveTokens(ctx.sourceDescriptions, e.path);
      break;
    case 'components':
      base = resolveTokens(ctx.components, e.path);
      break;
  }
  return e.pointer ? resolveTokens(base, e.pointer) : base;
}

/** A string holding `{$...}` parts. */
export interface TemplatePart {
  literal?: string;
  expression?: RuntimeExpression;
}

/** Splits "Bearer {$inputs.token}" into parts; returns undefined when the string embeds no expression. */
export function parseTemplate(text: string): TemplatePart[] | undefined {
  const parts: TemplatePart[] = [];
  let i = 0;
  let literal = '';
  let found = false;
  while (i < text.length) {
    if (text[i] === '{' && text[i + 1] === '$') {
      const close = text.indexOf('}', i);
      if (close < 0) throw new ExpressionSyntaxError(`"${text}": "{$" at position ${i} has no closing "}"`);
      if (literal) parts.push({ literal });
      literal = '';
      parts.push({ expression: parseRuntimeExpression(text.slice(i + 1, close)) });
      found = true;
      i = close + 1;
    } else {
      literal += text[i];
      i += 1;
    }
  }
  if (literal) parts.push({ literal });
  return found ? parts : undefined;
}

function interpolate(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Evaluates a document value: a string that is a runtime expression yields the referenced value
 * (type kept; a string that is exactly `{$expr}` too), a string with embedded `{$...}` yields text,
 * objects and arrays are evaluated at every depth. Other values are returned as they are.
 */
export function evaluateValue(value: unknown, ctx: ExpressionContext): unknown {
  if (typeof value === 'string') {
    if (looksLikeRuntimeExpression(value)) return evaluateExpression(value, ctx);
    const parts = parseTemplate(value);
    if (!parts) return value;
    if (parts.length === 1 && parts[0]!.expression) return evaluateExpression(parts[0]!.expression, ctx);
    return parts.map((p) => (p.expression ? interpolate(evaluateExpression(p.expression, ctx)) : p.literal)).join('');
  }
  if (Array.isArray(value)) return value.map((v) => evaluateValue(v, ctx));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const evaluated = evaluateValue(v, ctx);
      // A missing value leaves the key out rather than sending `undefined`/null to a service.
      if (evaluated !== undefined) out[k] = evaluated;
    }
    return out;
  }
  return value;
}

/** Every runtime expression inside a document value (for load-time checks), with its path suffix. */
export function collectExpressions(value: unknown, path = ''): Array<{ path: string; text: string; error?: string; expression?: RuntimeExpression }> {
  const out: Array<{ path: string; text: string; error?: string; expression?: RuntimeExpression }> = [];
  const visit = (v: unknown, p: string) => {
    if (typeof v === 'string') {
      try {
        if (looksLikeRuntimeExpression(v)) out.push({ path: p, text: v, expression: parseRuntimeExpression(v) });
        else for (const part of parseTemplate(v) ?? []) if (part.expression) out.push({ path: p, text: part.expression.text, expression: part.expression });
      } catch (e) {
        out.push({ path: p, text: v, error: (e as Error).message });
      }
    } else if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${p}[${i}]`));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, p ? `${p}.${k}` : k);
  };
  visit(value, path);
  return out;
}
