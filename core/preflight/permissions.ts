/**
 * What the data access role must be allowed to do for one import, as IAM action/resource pairs,
 * and how a simulation's answer reads. PURE: shared by the role-permissions check (which asks
 * iam:SimulatePrincipalPolicy about exactly these pairs) and the role policy generator, so the
 * policy we offer is the policy we check.
 */
import { parseS3Uri, partitionOf, s3BucketArn, s3ObjectsArn } from './arns';

export interface RequiredPermission {
  action: string;
  resource: string;
  /** Why, in words, for messages. */
  purpose: string;
}

export interface PermissionScope {
  inputS3Uri: string;
  outputS3Uri: string;
  region: string;
  /** KMS keys the role must use: the data store's key and the buckets' SSE-KMS keys. */
  kmsKeyArns?: readonly string[];
}

export function requiredPermissions(s: PermissionScope): RequiredPermission[] {
  const partition = partitionOf(s.region);
  const input = parseS3Uri(s.inputS3Uri);
  const output = parseS3Uri(s.outputS3Uri);
  const out: RequiredPermission[] = [
    { action: 's3:ListBucket', resource: s3BucketArn(input.bucket, partition), purpose: 'list the input prefix' },
    { action: 's3:GetObject', resource: s3ObjectsArn(input, partition), purpose: 'read the input files' },
    { action: 's3:PutObject', resource: s3ObjectsArn(output, partition), purpose: 'write the import results' },
  ];
  for (const key of new Set(s.kmsKeyArns ?? [])) {
    out.push({ action: 'kms:Decrypt', resource: key, purpose: 'read data encrypted with this key' });
    out.push({ action: 'kms:GenerateDataKey', resource: key, purpose: 'write data encrypted with this key' });
  }
  return out;
}

export interface SimulationResult {
  action: string;
  resource: string;
  decision: string;
  /** Context keys the simulation could not evaluate. */
  missingContext?: string[];
}

const DECISION_WORDS: Record<string, string> = {
  implicitDeny: 'no statement allows it',
  explicitDeny: 'a statement denies it',
};

/** The failing pairs, each named with its resource and why, e.g. "s3:GetObject on arn:aws:s3:::b/in/* (no statement allows it)". */
export function deniedPermissions(results: readonly SimulationResult[]): string[] {
  return results
    .filter((r) => r.decision !== 'allowed')
    .map((r) => `${r.action} on ${r.resource} (${DECISION_WORDS[r.decision] ?? r.decision})`);
}
