/**
 * `role-permissions`: iam:SimulatePrincipalPolicy on the role for exactly the action/resource
 * pairs the import needs (permissions.ts). One call per resource, so each answer is about the
 * pair asked; every failing action is named with its resource.
 */
import { SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { roleNameOf } from '../arns';
import { aborting, type CheckContext } from '../clients';
import { errorName, fail, fromCallError, pass, skipped, type CheckOutcome } from '../outcome';
import { deniedPermissions, requiredPermissions, type SimulationResult } from '../permissions';

export async function checkRolePermissions(ctx: CheckContext, kmsKeyArns: readonly string[]): Promise<CheckOutcome> {
  const roleArn = ctx.inputs.dataAccessRoleArn;
  const name = roleNameOf(roleArn);
  const required = requiredPermissions({ inputS3Uri: ctx.inputs.inputS3Uri, outputS3Uri: ctx.inputs.outputS3Uri, region: ctx.region, kmsKeyArns });
  const byResource = new Map<string, string[]>();
  for (const p of required) byResource.set(p.resource, [...(byResource.get(p.resource) ?? []), p.action]);

  const results: SimulationResult[] = [];
  try {
    await Promise.all(
      [...byResource].map(async ([resource, actions]) => {
        let marker: string | undefined;
        do {
          const out = await ctx.clients.iam.send(
            new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn, ActionNames: actions, ResourceArns: [resource], ...(marker ? { Marker: marker } : {}) }),
            aborting(ctx.signal),
          );
          for (const r of out.EvaluationResults ?? [])
            results.push({
              action: r.EvalActionName ?? '?',
              resource: r.EvalResourceName ?? resource,
              decision: r.EvalDecision ?? 'implicitDeny',
              ...(r.MissingContextValues?.length ? { missingContext: r.MissingContextValues } : {}),
            });
          marker = out.IsTruncated ? out.Marker : undefined;
        } while (marker);
      }),
    );
  } catch (e) {
    const code = errorName(e);
    if (code === 'NoSuchEntityException' || code === 'NoSuchEntity') return skipped('role-permissions', `Not checked: the role ${name} does not exist (see role-exists).`);
    return fromCallError('role-permissions', e, 'iam:SimulatePrincipalPolicy', ctx.signal);
  }

  const denied = deniedPermissions(results);
  if (denied.length > 0)
    return fail(
      'role-permissions',
      `Role ${name} is not allowed: ${denied.join('; ')}. The import job would fail.`,
      `Attach a policy to role ${name} that allows ${[...new Set(results.filter((r) => r.decision !== 'allowed').map((r) => r.action))].join(', ')} on those resources; "ahi-onboard role policy --inputs FILE.json" prints one (permissionsPolicy).`,
    );
  const missing = [...new Set(results.flatMap((r) => r.missingContext ?? []))];
  const allowed = required.map((p) => `${p.action} on ${p.resource}`).join(', ');
  return pass('role-permissions', `Role ${name} is allowed ${allowed}.${missing.length ? ` (Conditions on ${missing.join(', ')} were not evaluated by the simulation.)` : ''}`);
}
