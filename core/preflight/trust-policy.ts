/**
 * Does a role's trust policy let HealthImaging assume it for this run? PURE evaluation of the
 * policy document, as IAM would for medical-imaging.amazonaws.com calling sts:AssumeRole with
 * aws:SourceAccount = the data store's account and aws:SourceArn = the data store's ARN.
 *
 * The onboarding trap: the data store does not exist yet, so a SourceArn pinned to one data store
 * can never match. A condition passes only when EVERY new data store of this account and region
 * satisfies it (e.g. ArnLike ...:datastore/*); with an existing data store (import) its own ARN is
 * used. Condition keys other than those two cannot be known here: they make the result a warning.
 */
import { anyDatastoreArn, datastoreArn, globMatches } from './arns';
import type { CheckStatus } from './types';

export const HEALTHIMAGING_PRINCIPAL = 'medical-imaging.amazonaws.com';

export interface TrustTarget {
  account: string;
  region: string;
  /** The existing data store an import goes to; absent when the run creates one. */
  datastoreId?: string;
}

export interface TrustVerdict {
  status: Exclude<CheckStatus, 'skipped'>;
  detail: string;
  fix?: string;
}

type Values = string | string[] | undefined;
interface Statement {
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: Values;
  NotAction?: Values;
  Condition?: Record<string, Record<string, unknown>>;
}

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function principalNames(p: unknown): { any: boolean; services: string[]; others: string[] } {
  if (p === '*') return { any: true, services: [], others: [] };
  if (!p || typeof p !== 'object') return { any: false, services: [], others: [] };
  const o = p as Record<string, unknown>;
  const services = list(o['Service']);
  const aws = list(o['AWS']);
  const others = [...aws, ...list(o['Federated']), ...list(o['CanonicalUser'])];
  return { any: aws.includes('*'), services, others };
}

function coversHealthImaging(p: unknown): boolean {
  const n = principalNames(p);
  return n.any || n.services.some((s) => s.toLowerCase() === HEALTHIMAGING_PRINCIPAL);
}

function appliesTo(st: Statement): boolean {
  const principal = st.NotPrincipal !== undefined ? !coversHealthImaging(st.NotPrincipal) : coversHealthImaging(st.Principal);
  if (!principal) return false;
  if (st.NotAction !== undefined) return !list(st.NotAction).some((a) => globMatches(a, 'sts:AssumeRole', true));
  return list(st.Action).some((a) => globMatches(a, 'sts:AssumeRole', true));
}

/** ArnLike/ArnEquals: each of the six colon-separated parts matched on its own, wildcards allowed. */
function arnMatches(pattern: string, arn: string): boolean {
  const split = (s: string) => {
    const parts = s.split(':');
    return parts.length < 6 ? parts : [...parts.slice(0, 5), parts.slice(5).join(':')];
  };
  const p = split(pattern);
  const a = split(arn);
  if (p.length < 6) return globMatches(pattern, arn); // "*" and other whole-string patterns
  return p.length === 6 && a.length === 6 && p.every((part, i) => globMatches(part, a[i]!));
}

type Operator = { base: string; negated: boolean };

function parseOperator(raw: string): Operator | undefined {
  const op = raw.replace(/^For(Any|All)Value:/, '').replace(/IfExists$/, '');
  const known: Record<string, Operator> = {
    StringEquals: { base: 'equals', negated: false },
    StringNotEquals: { base: 'equals', negated: true },
    StringEqualsIgnoreCase: { base: 'equalsIgnoreCase', negated: false },
    StringNotEqualsIgnoreCase: { base: 'equalsIgnoreCase', negated: true },
    StringLike: { base: 'like', negated: false },
    StringNotLike: { base: 'like', negated: true },
    ArnEquals: { base: 'arn', negated: false },
    ArnLike: { base: 'arn', negated: false },
    ArnNotEquals: { base: 'arn', negated: true },
    ArnNotLike: { base: 'arn', negated: true },
    Null: { base: 'null', negated: false },
  };
  return known[op];
}

function valueMatches(op: Operator, pattern: string, value: string): boolean {
  switch (op.base) {
    case 'equals':
      return pattern === value;
    case 'equalsIgnoreCase':
      return pattern.toLowerCase() === value.toLowerCase();
    case 'like':
      return globMatches(pattern, value);
    case 'arn':
      return arnMatches(pattern, value);
    default:
      return false;
  }
}

/** One condition entry against one context value: true when satisfied. */
function satisfied(op: Operator, patterns: string[], value: string): boolean {
  if (op.base === 'null') return patterns.some((p) => p.toLowerCase() === 'false'); // the key is present
  const any = patterns.some((p) => valueMatches(op, p, value));
  return op.negated ? !any : any;
}

/**
 * Probe ARNs standing for "any new data store": ids made of disjoint characters, so a pattern with
 * a literal in the id part cannot match all three.
 */
function newStoreProbes(t: TrustTarget): string[] {
  return ['0'.repeat(32), 'z'.repeat(32), 'k3m9q2w7e5r1t8y4u6i0o2p4a6s8d0f1'].map((id) => datastoreArn(t.region, t.account, id));
}

interface ConditionOutcome {
  ok: boolean;
  /** Condition keys this evaluation cannot know (aws:PrincipalOrgID...). */
  unknown: string[];
  /** Why it fails, in words. */
  failure?: { detail: string; fix: string };
  usesSourceConditions: boolean;
}

const PINNED = /:datastore\/([0-9a-z]{32})$/;

function sourceArnFailure(op: string, patterns: string[], t: TrustTarget): { detail: string; fix: string } {
  const wanted = t.datastoreId ? datastoreArn(t.region, t.account, t.datastoreId) : anyDatastoreArn(t.region, t.account);
  const fix = t.datastoreId
    ? `Change the aws:SourceArn condition to ArnLike "${wanted}" (or "${anyDatastoreArn(t.region, t.account)}").`
    : `Change the aws:SourceArn condition to ArnLike "${wanted}" (or keep only aws:SourceAccount), so the data store this run creates matches.`;
  const pinned = patterns.map((p) => PINNED.exec(p)?.[1]).find((id) => id !== undefined && id !== t.datastoreId);
  if (pinned)
    return {
      detail: `The trust policy's aws:SourceArn condition is pinned to data store ${pinned}${t.datastoreId ? `, not to ${t.datastoreId} that this import uses` : '; the data store this run creates will have another id, so HealthImaging could not assume the role'}.`,
      fix,
    };
  if (/^String(Not)?Equals/.test(op) && patterns.some((p) => p.includes('*')))
    return { detail: `The trust policy compares aws:SourceArn with ${op}, which treats "*" literally: no data store ARN matches ${patterns.join(', ')}.`, fix };
  return { detail: `The trust policy's aws:SourceArn condition (${op} ${patterns.join(', ')}) does not match ${t.datastoreId ? wanted : `a new data store (${wanted})`}.`, fix };
}

function evaluateConditions(cond: Statement['Condition'], t: TrustTarget): ConditionOutcome {
  const out: ConditionOutcome = { ok: true, unknown: [], usesSourceConditions: false };
  if (!cond || typeof cond !== 'object') return out;
  const probes = t.datastoreId ? [datastoreArn(t.region, t.account, t.datastoreId)] : newStoreProbes(t);
  for (const [rawOp, entries] of Object.entries(cond)) {
    if (!entries || typeof entries !== 'object') continue;
    const op = parseOperator(rawOp);
    for (const [rawKey, rawValues] of Object.entries(entries)) {
      const key = rawKey.toLowerCase();
      const patterns = list(rawValues);
      if (key !== 'aws:sourceaccount' && key !== 'aws:sourcearn') {
        out.unknown.push(`${rawOp} ${rawKey}`);
        continue;
      }
      out.usesSourceConditions = true;
      if (!op) {
        out.unknown.push(`${rawOp} ${rawKey}`);
        continue;
      }
      if (key === 'aws:sourceaccount') {
        if (!satisfied(op, patterns, t.account) && out.ok) {
          out.ok = false;
          out.failure = {
            detail: `The trust policy's aws:SourceAccount condition (${rawOp} ${patterns.join(', ')}) does not match account ${t.account}, where the data store is.`,
            fix: `Set the aws:SourceAccount condition to "${t.account}".`,
          };
        }
      } else if (!probes.every((arn) => satisfied(op, patterns, arn)) && out.ok) {
        out.ok = false;
        out.failure = sourceArnFailure(rawOp, patterns, t);
      }
    }
  }
  return out;
}

function parseDocument(text: string): Statement[] | undefined {
  try {
    const doc = JSON.parse(text) as { Statement?: unknown };
    const st = doc?.Statement;
    if (Array.isArray(st)) return st as Statement[];
    if (st && typeof st === 'object') return [st as Statement];
    return undefined;
  } catch {
    return undefined;
  }
}

const TRUST_FIX = (roleName: string) =>
  `Edit the trust relationship of role ${roleName} (IAM console > Roles > ${roleName} > Trust relationships) so that the service principal ${HEALTHIMAGING_PRINCIPAL} may call sts:AssumeRole; "ahi-onboard role policy --inputs FILE.json" prints a trust policy that does.`;

export function evaluateTrustPolicy(documentText: string, target: TrustTarget, roleName: string): TrustVerdict {
  const statements = parseDocument(documentText);
  if (!statements) return { status: 'fail', detail: `The trust policy of role ${roleName} is not a policy document IAM could read.`, fix: TRUST_FIX(roleName) };

  const relevant = statements.filter((s) => appliesTo(s));
  const denies = relevant.filter((s) => String(s.Effect).toLowerCase() === 'deny');
  for (const d of denies) {
    const c = evaluateConditions(d.Condition, target);
    if (c.ok && c.unknown.length === 0)
      return { status: 'fail', detail: `The trust policy of role ${roleName} explicitly denies sts:AssumeRole to ${HEALTHIMAGING_PRINCIPAL}.`, fix: `Remove the Deny statement${d.Condition ? ' or narrow its condition' : ''}. ${TRUST_FIX(roleName)}` };
  }

  const allows = relevant.filter((s) => String(s.Effect).toLowerCase() === 'allow').map((s) => ({ s, c: evaluateConditions(s.Condition, target) }));
  const clean = allows.find((a) => a.c.ok && a.c.unknown.length === 0);
  if (clean) {
    const note = clean.c.usesSourceConditions
      ? ` Its aws:SourceAccount / aws:SourceArn conditions match ${target.datastoreId ? `data store ${target.datastoreId}` : 'a new data store'} in account ${target.account}.`
      : ' It has no aws:SourceAccount / aws:SourceArn condition; AWS recommends one (against the confused deputy problem).';
    return { status: 'pass', detail: `Role ${roleName} trusts ${HEALTHIMAGING_PRINCIPAL} to call sts:AssumeRole.${note}` };
  }
  const unknown = allows.find((a) => a.c.ok);
  if (unknown)
    return {
      status: 'warn',
      detail: `Role ${roleName} trusts ${HEALTHIMAGING_PRINCIPAL}, under conditions this check cannot evaluate: ${unknown.c.unknown.join('; ')}.`,
      fix: 'Make sure these conditions hold when HealthImaging assumes the role (for an import job they usually do not: prefer aws:SourceAccount / aws:SourceArn only).',
    };
  const failed = allows.find((a) => a.c.failure);
  if (failed?.c.failure) return { status: 'fail', ...failed.c.failure };

  const trusted = [...new Set(statements.flatMap((s) => (String(s.Effect).toLowerCase() === 'allow' ? [...principalNames(s.Principal).services, ...principalNames(s.Principal).others] : [])))];
  const principalOnly = statements.some((s) => String(s.Effect).toLowerCase() === 'allow' && coversHealthImaging(s.Principal));
  return {
    status: 'fail',
    detail: principalOnly
      ? `The trust policy of role ${roleName} names ${HEALTHIMAGING_PRINCIPAL} but does not allow it sts:AssumeRole.`
      : `The trust policy of role ${roleName} does not allow ${HEALTHIMAGING_PRINCIPAL} to assume it${trusted.length ? ` (it trusts ${trusted.join(', ')})` : ''}.`,
    fix: TRUST_FIX(roleName),
  };
}

/** GetRole returns the document URL-encoded (RFC 3986); tolerate one that is not. */
export function decodePolicyDocument(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
