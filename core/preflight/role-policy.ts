/**
 * The data access role we recommend, as policy documents: a trust policy for
 * medical-imaging.amazonaws.com with the aws:SourceAccount / aws:SourceArn conditions AWS
 * recommends (SourceArn ...:datastore/* so a data store that does not exist yet matches, or the one
 * data store an import goes to), and a least-privilege permissions policy built from the very
 * pairs the role-permissions check simulates. Also as a CloudFormation template. PURE.
 */
import { anyDatastoreArn, datastoreArn } from './arns';
import { requiredPermissions, type PermissionScope } from './permissions';
import { HEALTHIMAGING_PRINCIPAL } from './trust-policy';

export interface RolePolicyScope extends PermissionScope {
  account: string;
  /** An import into this existing data store: the trust is narrowed to it. */
  datastoreId?: string;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: Array<Record<string, unknown>>;
}

export interface RolePolicies {
  trustPolicy: PolicyDocument;
  permissionsPolicy: PolicyDocument;
}

/** The inline policy's name on roles we create. */
export const ROLE_POLICY_NAME = 'HealthImagingImportAccess';

export function trustPolicyFor(s: RolePolicyScope): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'HealthImagingAssumesForImports',
        Effect: 'Allow',
        Principal: { Service: HEALTHIMAGING_PRINCIPAL },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': s.account },
          ArnLike: { 'aws:SourceArn': s.datastoreId ? datastoreArn(s.region, s.account, s.datastoreId) : anyDatastoreArn(s.region, s.account) },
        },
      },
    ],
  };
}

export function permissionsPolicyFor(s: RolePolicyScope): PolicyDocument {
  const required = requiredPermissions(s);
  // One statement per action: a reviewer sees at a glance which resource each action reaches.
  const byAction = new Map<string, string[]>();
  for (const p of required) byAction.set(p.action, [...(byAction.get(p.action) ?? []), p.resource]);
  const sid: Record<string, string> = {
    's3:ListBucket': 'ListInputPrefix',
    's3:GetObject': 'ReadInputFiles',
    's3:PutObject': 'WriteImportResults',
    'kms:Decrypt': 'DecryptWithKmsKeys',
    'kms:GenerateDataKey': 'EncryptWithKmsKeys',
  };
  return {
    Version: '2012-10-17',
    Statement: [...byAction].map(([action, resources]) => ({
      Sid: sid[action] ?? action.replace(/[^A-Za-z0-9]/g, ''),
      Effect: 'Allow',
      Action: action,
      Resource: resources.length === 1 ? resources[0] : resources,
    })),
  };
}

export function rolePoliciesFor(s: RolePolicyScope): RolePolicies {
  return { trustPolicy: trustPolicyFor(s), permissionsPolicy: permissionsPolicyFor(s) };
}

/** IAM's role name rule: 1-64 of letters, digits and + = , . @ _ -. Returns a message or undefined. */
export function checkRoleName(name: string): string | undefined {
  if (!/^[\w+=,.@-]{1,64}$/.test(name)) return `--name must be 1-64 characters of letters, digits and + = , . @ _ - (got "${name}")`;
  return undefined;
}

/** The CreateRole description of a role made for this scope (shown in the IAM console). */
export function roleDescription(s: Pick<RolePolicyScope, 'inputS3Uri' | 'outputS3Uri'>): string {
  return `AWS HealthImaging data access role: reads ${s.inputS3Uri}, writes ${s.outputS3Uri} (ahi-onboard).`;
}

/** The same role as a CloudFormation template (JSON, which CloudFormation reads as well as YAML). */
export function cloudFormationTemplate(roleName: string, s: RolePolicyScope): Record<string, unknown> {
  const p = rolePoliciesFor(s);
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `HealthImaging data access role ${roleName}: reads ${s.inputS3Uri}, writes ${s.outputS3Uri}.`,
    Resources: {
      DataAccessRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: roleName,
          Description: 'Lets AWS HealthImaging import DICOM files for this account.',
          AssumeRolePolicyDocument: p.trustPolicy,
          Policies: [{ PolicyName: ROLE_POLICY_NAME, PolicyDocument: p.permissionsPolicy }],
        },
      },
    },
    Outputs: { RoleArn: { Description: 'dataAccessRoleArn for the import', Value: { 'Fn::GetAtt': ['DataAccessRole', 'Arn'] } } },
  };
}
