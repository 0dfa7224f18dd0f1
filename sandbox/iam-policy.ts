/**
 * IAM policy documents: parsed and checked as IAM checks them (MalformedPolicyDocument with IAM's
 * wording), and evaluated as IAM evaluates them: an explicit Deny wins, else any Allow, else an
 * implicit deny. Actions match case-insensitively with * and ? wildcards, resources case-sensitively.
 * Conditions: the String, Arn, Bool, Null and Numeric operators (IfExists, ForAnyValue/ForAllValues)
 * are evaluated against the context; a key absent from the context makes its condition false (as in
 * AWS) and is reported as missing; operators the sandbox does not support (Date, IpAddress, Binary)
 * are ignored, i.e. treated as met, and their keys reported as missing too, so callers see it.
 */
import { ApiError } from './errors';

export type Effect = 'Allow' | 'Deny';

export interface PolicyStatement {
  index: number;
  sid?: string;
  effect: Effect;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  /** Trust policies: principal type (Service, AWS, Federated, CanonicalUser or '*') to values. */
  principal?: Record<string, string[]>;
  condition?: Record<string, Record<string, string[]>>;
}

export type PolicyKind = 'identity' | 'trust';

const malformed = (message: string) => new ApiError('MalformedPolicyDocument', 400, message);

const asList = (v: unknown): string[] | null => {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) return v as string[];
  return null;
};

const STATEMENT_FIELDS = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);

/** Parses and checks a policy document; throws MalformedPolicyDocument as IAM would. */
export function parsePolicy(text: string, kind: PolicyKind): PolicyStatement[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw malformed('This policy contains invalid Json');
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) if (!['Version', 'Id', 'Statement'].includes(k)) throw malformed(`Syntax errors in policy. Unknown field ${k}`);
  if (d['Version'] !== undefined && d['Version'] !== '2012-10-17' && d['Version'] !== '2008-10-17') throw malformed('The policy failed legacy parsing');
  const raw = d['Statement'];
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' ? [raw] : null;
  if (!list || list.length === 0) throw malformed('Syntax errors in policy.');
  return list.map((s, index) => parseStatement(s, index, kind));
}

function parseStatement(s: unknown, index: number, kind: PolicyKind): PolicyStatement {
  if (!s || typeof s !== 'object' || Array.isArray(s)) throw malformed('Syntax errors in policy.');
  const st = s as Record<string, unknown>;
  for (const k of Object.keys(st)) if (!STATEMENT_FIELDS.has(k)) throw malformed(`Syntax errors in policy. Unknown field ${k}`);
  const effect = st['Effect'];
  if (effect !== 'Allow' && effect !== 'Deny') throw malformed('Missing required field Effect');
  const out: PolicyStatement = { index, effect };
  if (st['Sid'] !== undefined) {
    if (typeof st['Sid'] !== 'string' || !/^[A-Za-z0-9]*$/.test(st['Sid'])) throw malformed('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*');
    out.sid = st['Sid'];
  }
  if ((st['Action'] === undefined) === (st['NotAction'] === undefined)) throw malformed('Policy statement must contain actions.');
  const actions = asList(st['Action'] ?? st['NotAction']);
  if (!actions) throw malformed('Syntax errors in policy.');
  for (const a of actions)
    if (a !== '*' && !/^[a-zA-Z0-9-]+:[A-Za-z0-9*?]+$/.test(a)) throw malformed('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
  if (st['Action'] !== undefined) out.action = actions;
  else out.notAction = actions;

  const hasResource = st['Resource'] !== undefined || st['NotResource'] !== undefined;
  if (kind === 'trust') {
    if (hasResource) throw malformed(`Has prohibited field ${st['Resource'] !== undefined ? 'Resource' : 'NotResource'}`);
    if (st['NotPrincipal'] !== undefined) throw malformed('Has prohibited field NotPrincipal');
    if (st['Principal'] === undefined) throw malformed('Missing required field Principal');
    out.principal = parsePrincipal(st['Principal']);
  } else {
    if (st['Principal'] !== undefined || st['NotPrincipal'] !== undefined) throw malformed('Policy document should not specify a principal.');
    if (!hasResource) throw malformed('Policy statement must contain resources.');
    if (st['Resource'] !== undefined && st['NotResource'] !== undefined) throw malformed('Syntax errors in policy.');
    const resources = asList(st['Resource'] ?? st['NotResource']);
    if (!resources) throw malformed('Syntax errors in policy.');
    for (const r of resources) if (r !== '*' && !/^arn:[^:]*:[^:]*:[^:]*:[^:]*:.+$/.test(r)) throw malformed(`Resource ${r} must be in ARN format or "*".`);
    if (st['Resource'] !== undefined) out.resource = resources;
    else out.notResource = resources;
  }
  if (st['Condition'] !== undefined) out.condition = parseCondition(st['Condition']);
  return out;
}

function parsePrincipal(p: unknown): Record<string, string[]> {
  if (p === '*') return { '*': ['*'] };
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw malformed('Invalid principal in policy');
  const out: Record<string, string[]> = {};
  for (const [type, v] of Object.entries(p as Record<string, unknown>)) {
    const values = asList(v);
    if (!values || !['Service', 'AWS', 'Federated', 'CanonicalUser'].includes(type)) throw malformed(`Invalid principal in policy: "${type}"`);
    for (const value of values) {
      const ok =
        type === 'Service'
          ? /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(value)
          : type === 'AWS'
            ? value === '*' || /^\d{12}$/.test(value) || /^arn:aws[a-z-]*:(iam|sts)::\d{12}:.+$/.test(value)
            : true;
      if (!ok) throw malformed(`Invalid principal in policy: "${type.toUpperCase()}":"${value}"`);
    }
    out[type] = values;
  }
  return out;
}

function parseCondition(c: unknown): Record<string, Record<string, string[]>> {
  if (!c || typeof c !== 'object' || Array.isArray(c)) throw malformed('Syntax errors in policy.');
  const out: Record<string, Record<string, string[]>> = {};
  for (const [op, block] of Object.entries(c as Record<string, unknown>)) {
    if (!block || typeof block !== 'object' || Array.isArray(block)) throw malformed('Syntax errors in policy.');
    const keys: Record<string, string[]> = {};
    for (const [key, v] of Object.entries(block as Record<string, unknown>)) {
      const values = Array.isArray(v) ? v : [v];
      if (!values.every((x) => ['string', 'number', 'boolean'].includes(typeof x))) throw malformed('Syntax errors in policy.');
      keys[key] = values.map(String);
    }
    out[op] = keys;
  }
  return out;
}

/** IAM wildcards: * any run, ? one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, ignoreCase ? 'is' : 's').test(value);
}

/** Context key (lower-cased) to values. */
export type EvalContext = Record<string, string[]>;

export interface ConditionOutcome {
  met: boolean;
  /** Keys the context lacked, or whose operator the sandbox does not evaluate. */
  missing: string[];
}

const SUPPORTED = /^(String(Not)?Equals(IgnoreCase)?|String(Not)?Like|Arn(Not)?(Equals|Like)|Bool|Null|Numeric(Not)?Equals|NumericLessThan(Equals)?|NumericGreaterThan(Equals)?)$/;

function compare(base: string, actual: string, expected: string): boolean {
  if (base.startsWith('String')) {
    const ic = base.endsWith('IgnoreCase');
    if (base.includes('Like')) return wildcardMatch(expected, actual, false);
    return ic ? actual.toLowerCase() === expected.toLowerCase() : actual === expected;
  }
  if (base.startsWith('Arn')) return wildcardMatch(expected, actual, false);
  if (base === 'Bool') return actual.toLowerCase() === expected.toLowerCase();
  const a = Number(actual);
  const e = Number(expected);
  if (Number.isNaN(a) || Number.isNaN(e)) return false;
  if (base.includes('LessThan')) return base.endsWith('Equals') ? a <= e : a < e;
  if (base.includes('GreaterThan')) return base.endsWith('Equals') ? a >= e : a > e;
  return a === e;
}

export function evaluateConditions(condition: Record<string, Record<string, string[]>> | undefined, context: EvalContext): ConditionOutcome {
  const missing: string[] = [];
  let met = true;
  for (const [rawOp, keys] of Object.entries(condition ?? {})) {
    const m = /^(ForAnyValue:|ForAllValues:)?(.+?)(IfExists)?$/.exec(rawOp)!;
    const set = m[1];
    const base = m[2]!;
    const ifExists = Boolean(m[3]);
    for (const [key, expected] of Object.entries(keys)) {
      if (!SUPPORTED.test(base)) {
        missing.push(key); // ignored: treated as met
        continue;
      }
      const actual = context[key.toLowerCase()];
      if (base === 'Null') {
        const wantsAbsent = expected.some((e) => e.toLowerCase() === 'true');
        if ((actual === undefined) !== wantsAbsent) met = false;
        continue;
      }
      if (actual === undefined) {
        if (!ifExists) {
          missing.push(key);
          // ForAllValues over no values is vacuously true in AWS.
          if (set !== 'ForAllValues:') met = false;
        }
        continue;
      }
      const negated = base.includes('Not');
      const positive = base.replace('Not', '');
      const matchesOne = (a: string) => expected.some((e) => compare(positive, a, e));
      let ok: boolean;
      if (set === 'ForAllValues:') ok = actual.every(matchesOne);
      else ok = actual.some(matchesOne);
      if (negated) ok = set === 'ForAllValues:' ? !actual.some(matchesOne) : !ok;
      if (!ok) met = false;
    }
  }
  return { met, missing };
}

export interface EvalRequest {
  action: string;
  resource: string;
  context: EvalContext;
}

export interface SourcedPolicy {
  id: string;
  type: 'role' | 'user' | 'user-managed' | 'none';
  statements: PolicyStatement[];
}

export interface MatchedStatement {
  policyId: string;
  policyType: SourcedPolicy['type'];
  statement: PolicyStatement;
}

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface EvalResult {
  decision: Decision;
  matched: MatchedStatement[];
  missing: string[];
}

function statementApplies(st: PolicyStatement, req: EvalRequest): boolean {
  const actionHit = (list: string[]) => list.some((p) => wildcardMatch(p, req.action, true));
  if (st.action && !actionHit(st.action)) return false;
  if (st.notAction && actionHit(st.notAction)) return false;
  const resourceHit = (list: string[]) => list.some((p) => wildcardMatch(p, req.resource, false));
  if (st.resource && !resourceHit(st.resource)) return false;
  if (st.notResource && resourceHit(st.notResource)) return false;
  return true;
}

/** Identity-policy evaluation within one account: explicit deny, else allow, else implicit deny. */
export function evaluate(policies: SourcedPolicy[], req: EvalRequest): EvalResult {
  const allows: MatchedStatement[] = [];
  const denies: MatchedStatement[] = [];
  const missing = new Set<string>();
  for (const p of policies)
    for (const st of p.statements) {
      if (!statementApplies(st, req)) continue;
      const c = evaluateConditions(st.condition, req.context);
      c.missing.forEach((k) => missing.add(k));
      if (!c.met) continue;
      (st.effect === 'Deny' ? denies : allows).push({ policyId: p.id, policyType: p.type, statement: st });
    }
  const decision: Decision = denies.length ? 'explicitDeny' : allows.length ? 'allowed' : 'implicitDeny';
  return { decision, matched: denies.length ? denies : allows, missing: [...missing] };
}

/** Does a trust policy let this service principal call sts:AssumeRole in this context? */
export function trustAllowsService(statements: PolicyStatement[], service: string, context: EvalContext): boolean {
  let allowed = false;
  for (const st of statements) {
    const principals = st.principal ?? {};
    const names = [...(principals['Service'] ?? []), ...(principals['*'] ?? [])];
    if (!names.some((n) => n === '*' || n === service)) continue;
    if (!statementApplies({ ...st, resource: ['*'] }, { action: 'sts:AssumeRole', resource: '*', context })) continue;
    if (!evaluateConditions(st.condition, context).met) continue;
    if (st.effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}
