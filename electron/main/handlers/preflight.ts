/**
 * The preflight and the data access role helper: the Review step's checks, and "Create a role for
 * me" on the Import step. The use cases are core/app/preflight.ts and core/app/roles.ts (the CLI's
 * too); these only translate the window's requests.
 */
import type { HandlersFor } from '../../../contract/ipc';
import { runInputIssues, workflowRun } from '../../../core/app/inputs';
import { preflightOfRun, preflightResult } from '../../../core/app/preflight';
import { createDataAccessRole, recommendedRole } from '../../../core/app/roles';
import { InvalidInputsError } from '../../../core/engine/index';
import { roleNameIssue } from '../../../core/healthimaging/field-rules';
import { ROLE_POLICY_NAME } from '../../../core/preflight/role-policy';
import type { HandlerContext } from './context';

export type PreflightHandlers = HandlersFor<'preflight:run' | 'preflight:cancel' | 'role:policy' | 'role:create'>;

export function preflightHandlers({ sessions, preflights, loadWorkflow, assertOpen }: HandlerContext): PreflightHandlers {
  return {
    async 'preflight:run'(request) {
      assertOpen();
      // Registered at once, so a 'preflight:cancel' right after this request finds it.
      const report = await preflights.run(request.requestId, async (signal) => {
        // The same rules as run:start, so nothing is sent for inputs the run would refuse.
        const { document } = await loadWorkflow();
        const issues = runInputIssues(document, request, undefined);
        if (issues.length > 0) throw new InvalidInputsError(issues);
        const session = await sessions.sessionFor(request);
        signal.throwIfAborted();
        return preflightOfRun(session, workflowRun(request).inputs, { signal });
      });
      return preflightResult(report);
    },

    async 'preflight:cancel'({ requestId }) {
      preflights.cancel(requestId);
    },

    async 'role:policy'(request) {
      assertOpen();
      const { account, policies } = await recommendedRole(await sessions.sessionFor(request), request.scope);
      return {
        account,
        trustPolicy: JSON.stringify(policies.trustPolicy, null, 2),
        permissionsPolicy: JSON.stringify(policies.permissionsPolicy, null, 2),
        policyName: ROLE_POLICY_NAME,
      };
    },

    async 'role:create'(request) {
      assertOpen();
      // The name is checked before any call: a bad one sends nothing, not even GetCallerIdentity.
      const nameIssue = roleNameIssue(request.roleName, 'roleName');
      if (nameIssue) throw new InvalidInputsError([{ field: 'roleName', message: nameIssue }]);
      const session = await sessions.sessionFor(request);
      const { scope } = await recommendedRole(session, request.scope);
      return createDataAccessRole(session, request.roleName, scope);
    },
  };
}
