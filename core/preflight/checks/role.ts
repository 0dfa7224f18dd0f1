/** `role-exists` (iam:GetRole) and `role-trust` (its trust policy, evaluated by trust-policy.ts). */
import { GetRoleCommand, type Role } from '@aws-sdk/client-iam';
import { parseArn, roleNameOf } from '../arns';
import { aborting, type CheckContext } from '../clients';
import { errorName, fail, fromCallError, pass, skipped, type CheckOutcome } from '../outcome';
import { decodePolicyDocument, evaluateTrustPolicy } from '../trust-policy';
import { CHECK_TITLES } from '../types';

const createHint = (name: string) => `Create it with: ahi-onboard role create --name ${name} --inputs FILE.json --yes (or correct dataAccessRoleArn).`;

export async function checkRole(ctx: CheckContext): Promise<{ exists: CheckOutcome; trust: CheckOutcome; found: boolean }> {
  const arn = ctx.inputs.dataAccessRoleArn;
  const name = roleNameOf(arn);
  const roleAccount = parseArn(arn)?.account;
  if (roleAccount && roleAccount !== ctx.account) {
    return {
      exists: fail('role-exists', `Role ${name} is in account ${roleAccount}, but you are signed in to account ${ctx.account}, where the data store is; HealthImaging needs a data access role of the data store's account.`, `Use a role of account ${ctx.account}, or sign in to account ${roleAccount} (--profile).`),
      trust: skipped('role-trust', 'Not checked: the role is in another account (see role-exists).'),
      found: false,
    };
  }
  let role: Role | undefined;
  try {
    role = (await ctx.clients.iam.send(new GetRoleCommand({ RoleName: name }), aborting(ctx.signal))).Role;
  } catch (e) {
    if (errorName(e) === 'NoSuchEntityException' || errorName(e) === 'NoSuchEntity') {
      return {
        exists: fail('role-exists', `The role ${name} does not exist in account ${ctx.account}, so the import job would fail.`, createHint(name)),
        trust: skipped('role-trust', 'Not checked: the role does not exist (see role-exists).'),
        found: false,
      };
    }
    const exists = fromCallError('role-exists', e, 'iam:GetRole', ctx.signal);
    const why = exists.result.status === 'skipped' ? 'you are not allowed iam:GetRole, which reads the trust policy' : 'iam:GetRole failed (see role-exists)';
    return { exists, trust: skipped('role-trust', `Not checked: ${why}.`), found: false };
  }
  if (!role) return { exists: fail('role-exists', `IAM returned no role for ${name}.`, createHint(name)), trust: skipped('role-trust', 'Not checked: no role.'), found: false };

  if (role.Arn && role.Arn !== arn) {
    return {
      exists: fail('role-exists', `The role ${name} exists as ${role.Arn}, not as ${arn} (the path differs).`, `Set dataAccessRoleArn to ${role.Arn}.`),
      trust: skipped('role-trust', 'Not checked: dataAccessRoleArn does not name the role exactly (see role-exists).'),
      found: false,
    };
  }
  const exists = pass('role-exists', `Role ${name} exists${role.CreateDate ? ` (created ${role.CreateDate.toISOString().slice(0, 10)})` : ''}.`);
  const doc = role.AssumeRolePolicyDocument;
  if (!doc) return { exists, trust: fail('role-trust', `Role ${name} has no trust policy.`, `Give role ${name} a trust policy for medical-imaging.amazonaws.com.`), found: true };
  const verdict = evaluateTrustPolicy(decodePolicyDocument(doc), { account: ctx.account, region: ctx.region, ...(ctx.inputs.datastoreId ? { datastoreId: ctx.inputs.datastoreId } : {}) }, name);
  const trust: CheckOutcome = { result: { id: 'role-trust', title: CHECK_TITLES['role-trust'], ...verdict } };
  return { exists, trust, found: true };
}
