/** The preflight: know before anything is created. See runner.ts for the order of the checks. */
export { runPreflight, type PreflightOptions } from './runner';
export { preflightInputsFrom, type InputIssue } from './inputs';
export type { PreflightClients } from './clients';
export * from './types';
export { evaluateTrustPolicy, decodePolicyDocument, HEALTHIMAGING_PRINCIPAL, type TrustTarget, type TrustVerdict } from './trust-policy';
export { InputScan, type LimitBreach, type ListedObject, type ScanTotals } from './input-limits';
export { hasDicmPrefix, DICOM_SNIFF_RANGE } from './dicom-sniff';
export { requiredPermissions, deniedPermissions, type RequiredPermission, type SimulationResult } from './permissions';
export { rolePoliciesFor, trustPolicyFor, permissionsPolicyFor, cloudFormationTemplate, checkRoleName, ROLE_POLICY_NAME, type RolePolicies, type RolePolicyScope } from './role-policy';
