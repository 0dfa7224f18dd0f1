/**
 * The data access role helper as both adapters use it: the role we recommend for a run's buckets
 * (trust and permissions policies, core/preflight/role-policy) and creating it (IAM CreateRole +
 * PutRolePolicy). Bad input is refused naming the field before anything is sent; IAM's errors
 * come back as RoleHelperError with a message a person can act on (a name already taken...).
 */
import { CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import type { FieldIssue, RoleScope } from '../../contract/ipc';
import { AwsFaultError, classifyAwsError } from '../aws/errors';
import type { AwsSession } from '../aws/session';
import { InvalidInputsError } from '../engine/inputs';
import { checkField, roleNameIssue } from '../healthimaging/field-rules';
import { ROLE_POLICY_NAME, roleDescription, rolePoliciesFor, type RolePolicies, type RolePolicyScope } from '../preflight/role-policy';

/** Every issue with a role scope, one per field (nothing is sent while there is one). */
export function roleScopeIssues(scope: Partial<RoleScope>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const field of ['inputS3Uri', 'outputS3Uri'] as const) if (!scope[field]?.trim()) issues.push({ field, message: `${field} is required` });
  for (const field of ['inputS3Uri', 'outputS3Uri', 'kmsKeyArn', 'datastoreId'] as const) {
    if (issues.some((i) => i.field === field)) continue;
    const message = checkField(field, scope[field], field);
    if (message) issues.push({ field, message });
  }
  return issues;
}

export type RoleHelperStage = 'GetCallerIdentity' | 'CreateRole' | 'PutRolePolicy';

/** IAM (or STS) refused: `message` says what happened, `action` what to do; `created` when the role exists half-made. */
export class RoleHelperError extends Error {
  override name = 'RoleHelperError';
  constructor(
    readonly stage: RoleHelperStage,
    readonly code: string,
    message: string,
    readonly action?: string,
    readonly created = false,
  ) {
    super(action ? `${message} ${action}` : message);
  }
}

const ALREADY_EXISTS = new Set(['EntityAlreadyExists', 'EntityAlreadyExistsException']);

/** IAM's answer to one call of the helper, as a RoleHelperError a person can act on. */
export function roleHelperError(stage: RoleHelperStage, err: unknown, roleName?: string): RoleHelperError {
  const c = err instanceof AwsFaultError ? err.classification : classifyAwsError(err, { operation: stage });
  if (ALREADY_EXISTS.has(c.code)) {
    return new RoleHelperError(stage, c.code, `A role named ${roleName ?? 'like this'} already exists in this account.`, 'Choose another name, or enter that role\'s ARN and run the checks to see whether it fits.');
  }
  if (/AccessDenied|UnauthorizedOperation/.test(c.code)) {
    return new RoleHelperError(stage, c.code, `You are not allowed to ${stage === 'GetCallerIdentity' ? 'identify yourself' : `call iam:${stage}`}: ${c.message}`, 'Ask an administrator for iam:CreateRole and iam:PutRolePolicy, or to create the role with the policies shown.');
  }
  if (c.code === 'MalformedPolicyDocument' || c.code === 'MalformedPolicyDocumentException') {
    return new RoleHelperError(stage, c.code, `IAM refused the policy document: ${c.message}`, 'Check the input and output S3 URIs and the KMS key ARN.');
  }
  if (c.code === 'LimitExceeded' || c.code === 'LimitExceededException') {
    return new RoleHelperError(stage, c.code, `This account has reached an IAM quota: ${c.message}`, 'Delete roles you no longer use, or ask for a higher quota.');
  }
  return new RoleHelperError(stage, c.code, c.message, c.action);
}

/** The recommended role for this scope in the session's account and region. */
export async function recommendedRole(session: AwsSession, scope: RoleScope): Promise<{ account: string; scope: RolePolicyScope; policies: RolePolicies }> {
  const issues = roleScopeIssues(scope);
  if (issues.length > 0) throw new InvalidInputsError(issues);
  let account: string;
  try {
    account = (await session.identity()).accountId;
  } catch (e) {
    throw roleHelperError('GetCallerIdentity', e);
  }
  const full: RolePolicyScope = {
    account,
    region: session.region,
    inputS3Uri: scope.inputS3Uri.trim(),
    outputS3Uri: scope.outputS3Uri.trim(),
    ...(scope.kmsKeyArn?.trim() ? { kmsKeyArns: [scope.kmsKeyArn.trim()] } : {}),
    ...(scope.datastoreId?.trim() ? { datastoreId: scope.datastoreId.trim() } : {}),
  };
  return { account, scope: full, policies: rolePoliciesFor(full) };
}

export interface CreatedRole {
  roleArn: string;
  roleName: string;
  policyName: string;
}

/**
 * Creates the recommended role: CreateRole with the trust policy, then PutRolePolicy with the
 * permissions. A role created without its policy is said so (RoleHelperError.created): the user
 * must not take a role that cannot read their data for a finished one.
 */
export async function createDataAccessRole(session: AwsSession, roleName: string, scope: RolePolicyScope): Promise<CreatedRole> {
  const nameIssue = roleNameIssue(roleName, 'roleName');
  if (nameIssue) throw new InvalidInputsError([{ field: 'roleName', message: nameIssue }]);
  const policies = rolePoliciesFor(scope);
  let roleArn: string | undefined;
  try {
    const created = await session.iam.send(
      new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(policies.trustPolicy), Description: roleDescription(scope) }),
    );
    roleArn = created.Role?.Arn;
  } catch (e) {
    throw roleHelperError('CreateRole', e, roleName);
  }
  try {
    await session.iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: ROLE_POLICY_NAME, PolicyDocument: JSON.stringify(policies.permissionsPolicy) }));
  } catch (e) {
    const c = roleHelperError('PutRolePolicy', e, roleName);
    throw new RoleHelperError('PutRolePolicy', c.code, `Role ${roleName} was created, but its permissions policy was not attached: ${c.message.replace(/\.$/, '')}.`, c.action, true);
  }
  return { roleArn: roleArn ?? `arn:aws:iam::${scope.account}:role/${roleName}`, roleName, policyName: ROLE_POLICY_NAME };
}
