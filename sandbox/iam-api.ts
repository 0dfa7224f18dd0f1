/**
 * IAM in the awsQuery protocol (form POST in, XML out), as @aws-sdk/client-iam speaks it: roles,
 * their inline policies, and SimulatePrincipalPolicy over a role's inline policies. Every call is
 * first authorized against the caller's own identity policy, so a caller that may not read IAM gets
 * AWS's AccessDenied wording. Field rules and error codes follow the IAM Smithy model (2010-05-08).
 */
import { randomBytes } from 'node:crypto';
import type { SandboxCore } from './core';
import { ApiError, xmlEscape } from './errors';
import { evaluate, parsePolicy, type EvalContext, type EvalResult, type MatchedStatement } from './iam-policy';
import type { Principals, SandboxUser } from './principals';
import type { RoleRecord } from './state';

export const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';

type Form = Record<string, string | string[]>;

export const IAM_ACTIONS = [
  'CreateRole',
  'GetRole',
  'DeleteRole',
  'PutRolePolicy',
  'GetRolePolicy',
  'DeleteRolePolicy',
  'ListRolePolicies',
  'SimulatePrincipalPolicy',
] as const;

const NAME = /^[\w+=,.@-]+$/;
const PATH = /^(\u002F)|(\u002F[\u0021-\u007E]+\u002F)$/;

const one = (form: Form, key: string): string | undefined => {
  const v = form[key];
  return Array.isArray(v) ? v[0] : v;
};

/** `Name.member.1`, `Name.member.2`, ... in order. */
function members(form: Form, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; ; i++) {
    const v = one(form, `${name}.member.${i}`);
    if (v === undefined) return out;
    out.push(v);
  }
}

class Checks {
  readonly list: string[] = [];
  str(field: string, value: string | undefined, rule: { required?: boolean; min?: number; max?: number; pattern?: RegExp }): string | undefined {
    if (value === undefined) {
      if (rule.required) this.list.push(`Value null at '${field}' failed to satisfy constraint: Member must not be null`);
      return undefined;
    }
    const before = this.list.length;
    const shown = value.length > 100 ? `${value.slice(0, 100)}...` : value;
    if (rule.min !== undefined && value.length < rule.min)
      this.list.push(`Value '${shown}' at '${field}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && value.length > rule.max)
      this.list.push(`Value '${shown}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`);
    if (rule.pattern && !rule.pattern.test(value))
      this.list.push(`Value '${shown}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${rule.pattern.source.replace(/^\^|\$$/g, '')}`);
    return this.list.length === before ? value : undefined;
  }
  int(field: string, value: string | undefined, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      this.list.push(`Value '${value}' at '${field}' failed to satisfy constraint: Member must have value ${n < min ? `greater than or equal to ${min}` : `less than or equal to ${max}`}`);
      return undefined;
    }
    return n;
  }
  throwIfAny(): void {
    const n = this.list.length;
    if (n) throw new ApiError('ValidationError', 400, `${n} validation error${n === 1 ? '' : 's'} detected: ${this.list.join('; ')}`);
  }
}

const noSuchRole = (name: string) => new ApiError('NoSuchEntity', 404, `The role with name ${name} cannot be found.`);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function roleXml(r: RoleRecord): string {
  const tags = r.tags.length ? `<Tags>${r.tags.map((t) => `<member><Key>${xmlEscape(t.Key)}</Key><Value>${xmlEscape(t.Value)}</Value></member>`).join('')}</Tags>` : '';
  return (
    `<Role><Path>${xmlEscape(r.path)}</Path><RoleName>${xmlEscape(r.name)}</RoleName><RoleId>${r.id}</RoleId><Arn>${xmlEscape(r.arn)}</Arn>` +
    `<CreateDate>${iso(r.createdAt)}</CreateDate><AssumeRolePolicyDocument>${xmlEscape(encodeURIComponent(r.assumeRolePolicyDocument))}</AssumeRolePolicyDocument>` +
    `${r.description !== undefined ? `<Description>${xmlEscape(r.description)}</Description>` : ''}<MaxSessionDuration>${r.maxSessionDuration}</MaxSessionDuration>${tags}<RoleLastUsed/></Role>`
  );
}

function envelope(action: string, result: string, requestId: string): string {
  const body = result ? `<${action}Result>${result}</${action}Result>` : '';
  return `<${action}Response xmlns="${IAM_NS}">${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

/** Creates a role record directly (demo data, tests); the document is checked as CreateRole checks it. */
export function putRole(core: SandboxCore, name: string, trustPolicy: string, policies: Record<string, string> = {}, path = '/'): RoleRecord {
  parsePolicy(trustPolicy, 'trust');
  for (const doc of Object.values(policies)) parsePolicy(doc, 'identity');
  const role: RoleRecord = {
    name,
    path,
    id: `AROA${[...randomBytes(17)].map((b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('')}`,
    arn: `arn:aws:iam::${core.accountId}:role${path}${name}`,
    createdAt: core.now(),
    assumeRolePolicyDocument: trustPolicy,
    maxSessionDuration: 3600,
    tags: [],
    policies: { ...policies },
  };
  core.state.iamRoles[name.toLowerCase()] = role;
  core.save();
  return role;
}

/** The role an ARN names, if it exists in this account (names match regardless of case, path must match). */
export function roleByArn(core: SandboxCore, arn: string): RoleRecord | undefined {
  const m = /^arn:aws:iam::(\d{12}):role(\/.*\/|\/)([\w+=,.@-]+)$/.exec(arn);
  if (!m || m[1] !== core.accountId) return undefined;
  const role = core.state.iamRoles[m[3]!.toLowerCase()];
  return role && role.path === m[2] ? role : undefined;
}

export function rolePolicies(role: RoleRecord) {
  return Object.entries(role.policies).map(([id, doc]) => ({ id, type: 'role' as const, statements: parsePolicy(doc, 'identity') }));
}

export class IamApi {
  constructor(
    private readonly core: SandboxCore,
    private readonly principals: Principals,
  ) {}

  private get roles(): Record<string, RoleRecord> {
    return this.core.state.iamRoles;
  }

  /** AccessDenied in AWS's words unless the caller's identity policy allows the action. */
  private authorize(caller: SandboxUser | undefined, action: string, resourceArn: string, shown: string): void {
    if (!caller) throw new ApiError('AccessDenied', 403, `User is not authorized to perform: iam:${action}`);
    const r = evaluate([{ id: 'identity', type: 'user', statements: caller.statements }], { action: `iam:${action}`, resource: resourceArn, context: {} });
    if (r.decision === 'allowed') return;
    const why = r.decision === 'explicitDeny' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the iam:${action} action`;
    throw new ApiError('AccessDenied', 403, `User: ${caller.arn} is not authorized to perform: iam:${action} on resource: ${shown} ${why}`);
  }

  private findRole(name: string): RoleRecord {
    const r = this.roles[name.toLowerCase()];
    if (!r) throw noSuchRole(name);
    return r;
  }

  handle(action: string, form: Form, callerKeyId: string, requestId: string): string {
    if (!(IAM_ACTIONS as readonly string[]).includes(action))
      throw new ApiError('InvalidAction', 400, `Could not find operation ${action} for version 2010-05-08 (the sandbox IAM answers ${IAM_ACTIONS.join(', ')})`);
    const caller = this.principals.user(callerKeyId);
    const c = new Checks();
    if (action === 'SimulatePrincipalPolicy') return envelope(action, this.simulate(form, caller, c), requestId);
    const roleName = c.str('roleName', one(form, 'RoleName'), { required: true, min: 1, max: 64, pattern: NAME });
    const needsPolicyName = ['PutRolePolicy', 'GetRolePolicy', 'DeleteRolePolicy'].includes(action);
    const policyName = needsPolicyName ? c.str('policyName', one(form, 'PolicyName'), { required: true, min: 1, max: 128, pattern: NAME }) : undefined;
    const path = action === 'CreateRole' ? (c.str('path', one(form, 'Path'), { min: 1, max: 512, pattern: PATH }) ?? '/') : '/';
    const roleArn = `arn:aws:iam::${this.core.accountId}:role${this.roles[(roleName ?? '').toLowerCase()]?.path ?? path}${roleName ?? ''}`;
    if (action === 'CreateRole') {
      const doc = c.str('assumeRolePolicyDocument', one(form, 'AssumeRolePolicyDocument'), { required: true, min: 1, max: 131072 });
      const description = c.str('description', one(form, 'Description'), { max: 1000 });
      const maxSession = c.int('maxSessionDuration', one(form, 'MaxSessionDuration'), 3600, 43200);
      c.throwIfAny();
      this.authorize(caller, action, roleArn, roleArn);
      if (this.roles[roleName!.toLowerCase()]) throw new ApiError('EntityAlreadyExists', 409, `Role with name ${roleName} already exists.`);
      const role = putRole(this.core, roleName!, doc!, {}, path);
      if (description !== undefined) role.description = description;
      if (maxSession !== undefined) role.maxSessionDuration = maxSession;
      for (let i = 1; one(form, `Tags.member.${i}.Key`) !== undefined; i++) role.tags.push({ Key: one(form, `Tags.member.${i}.Key`)!, Value: one(form, `Tags.member.${i}.Value`) ?? '' });
      this.core.save();
      return envelope(action, roleXml(role), requestId);
    }
    let policyDoc: string | undefined;
    if (action === 'PutRolePolicy') policyDoc = c.str('policyDocument', one(form, 'PolicyDocument'), { required: true, min: 1, max: 131072 });
    const maxItems = action === 'ListRolePolicies' ? c.int('maxItems', one(form, 'MaxItems'), 1, 1000) : undefined;
    c.throwIfAny();
    this.authorize(caller, action, roleArn, `role ${roleName}`);
    const role = this.findRole(roleName!);
    switch (action) {
      case 'GetRole':
        return envelope(action, roleXml(role), requestId);
      case 'DeleteRole':
        if (Object.keys(role.policies).length) throw new ApiError('DeleteConflict', 409, 'Cannot delete entity, must delete policies first.');
        delete this.roles[role.name.toLowerCase()];
        this.core.save();
        return envelope(action, '', requestId);
      case 'PutRolePolicy':
        parsePolicy(policyDoc!, 'identity');
        role.policies[policyName!] = policyDoc!;
        this.core.save();
        return envelope(action, '', requestId);
      case 'GetRolePolicy': {
        const doc = role.policies[policyName!];
        if (doc === undefined) throw new ApiError('NoSuchEntity', 404, `The role policy with name ${policyName} cannot be found.`);
        return envelope(action, `<RoleName>${xmlEscape(role.name)}</RoleName><PolicyName>${xmlEscape(policyName!)}</PolicyName><PolicyDocument>${xmlEscape(encodeURIComponent(doc))}</PolicyDocument>`, requestId);
      }
      case 'DeleteRolePolicy':
        if (role.policies[policyName!] === undefined) throw new ApiError('NoSuchEntity', 404, `The role policy with name ${policyName} cannot be found.`);
        delete role.policies[policyName!];
        this.core.save();
        return envelope(action, '', requestId);
      default: {
        const names = Object.keys(role.policies).sort();
        const start = Number(one(form, 'Marker') ?? '0') || 0;
        const page = names.slice(start, start + (maxItems ?? 100));
        const truncated = start + page.length < names.length;
        return envelope(
          action,
          `<PolicyNames>${page.map((n) => `<member>${xmlEscape(n)}</member>`).join('')}</PolicyNames><IsTruncated>${truncated}</IsTruncated>${truncated ? `<Marker>${start + page.length}</Marker>` : ''}`,
          requestId,
        );
      }
    }
  }

  private simulate(form: Form, caller: SandboxUser | undefined, c: Checks): string {
    const source = c.str('policySourceArn', one(form, 'PolicySourceArn'), { required: true, min: 20, max: 2048 });
    const actions = members(form, 'ActionNames');
    if (!form['ActionNames'] && actions.length === 0) c.list.push("Value null at 'actionNames' failed to satisfy constraint: Member must not be null");
    actions.forEach((a, i) => c.str(`actionNames.${i + 1}.member`, a, { min: 3, max: 128 }));
    const resources = members(form, 'ResourceArns');
    resources.forEach((r, i) => c.str(`resourceArns.${i + 1}.member`, r, { min: 1, max: 2048 }));
    const maxItems = c.int('maxItems', one(form, 'MaxItems'), 1, 1000);
    c.throwIfAny();
    this.authorize(caller, 'SimulatePrincipalPolicy', source!, source!);
    const m = /^arn:aws:iam::(\d{12}):role(\/.*\/|\/)([\w+=,.@-]+)$/.exec(source!);
    if (!m) {
      if (/^arn:aws:iam::\d{12}:(user|group)\//.test(source!)) throw new ApiError('InvalidInput', 400, 'The sandbox simulates roles only: PolicySourceArn must be a role ARN.');
      throw new ApiError('InvalidInput', 400, `Invalid ARN ${source}.`);
    }
    const role = roleByArn(this.core, source!);
    if (!role) throw noSuchRole(m[3]!);

    const context: EvalContext = {};
    for (let i = 1; one(form, `ContextEntries.member.${i}.ContextKeyName`) !== undefined; i++)
      context[one(form, `ContextEntries.member.${i}.ContextKeyName`)!.toLowerCase()] = members(form, `ContextEntries.member.${i}.ContextKeyValues`);
    const policies = [
      ...rolePolicies(role),
      ...members(form, 'PolicyInputList').map((doc, i) => ({ id: `PolicyInputList.${i + 1}`, type: 'user-managed' as const, statements: parsePolicy(doc, 'identity') })),
    ];
    const targets = resources.length ? resources : ['*'];
    const results = actions.map((action) => {
      const per = targets.map((resource) => ({ resource, r: evaluate(policies, { action, resource, context }) }));
      // One result per action: the most restrictive decision across the resources (AWS's current behaviour).
      const rank = { explicitDeny: 2, implicitDeny: 1, allowed: 0 } as const;
      const worst = per.reduce((a, b) => (rank[b.r.decision] > rank[a.r.decision] ? b : a));
      const missing = [...new Set(per.flatMap((p) => p.r.missing))];
      const specific = resources.length
        ? `<ResourceSpecificResults>${per
            .map(
              (p) =>
                `<member><EvalResourceName>${xmlEscape(p.resource)}</EvalResourceName><EvalResourceDecision>${p.r.decision}</EvalResourceDecision>${statementsXml(p.r)}${listXml('MissingContextValues', p.r.missing)}</member>`,
            )
            .join('')}</ResourceSpecificResults>`
        : '';
      return (
        `<member><EvalActionName>${xmlEscape(action)}</EvalActionName><EvalResourceName>${xmlEscape(resources.length === 1 ? resources[0]! : '*')}</EvalResourceName>` +
        `<EvalDecision>${worst.r.decision}</EvalDecision>${statementsXml(worst.r)}${listXml('MissingContextValues', missing)}${specific}</member>`
      );
    });
    const start = Number(one(form, 'Marker') ?? '0') || 0;
    const page = results.slice(start, start + (maxItems ?? 100));
    const truncated = start + page.length < results.length;
    return `<EvaluationResults>${page.join('')}</EvaluationResults><IsTruncated>${truncated}</IsTruncated>${truncated ? `<Marker>${start + page.length}</Marker>` : ''}`;
  }
}

function statementsXml(r: EvalResult): string {
  const one = (s: MatchedStatement) => `<member><SourcePolicyId>${xmlEscape(s.policyId)}</SourcePolicyId><SourcePolicyType>${s.policyType}</SourcePolicyType></member>`;
  return `<MatchedStatements>${r.matched.map(one).join('')}</MatchedStatements>`;
}

function listXml(name: string, values: string[]): string {
  return `<${name}>${values.map((v) => `<member>${xmlEscape(v)}</member>`).join('')}</${name}>`;
}
