/**
 * What HealthImaging does with an import job's data-access role before it touches a file: assume
 * it (the role must exist and trust medical-imaging.amazonaws.com for this account and data store)
 * and act as it on S3 (s3:ListBucket on the input bucket for the prefix, s3:GetObject on each
 * input object, s3:PutObject on the job's output folder). Any refusal ends the job FAILED with a
 * message naming the role, as the service does; buckets must also be in the data store's region.
 */
import type { SandboxCore } from './core';
import { roleByArn, rolePolicies } from './iam-api';
import { evaluate, parsePolicy, trustAllowsService, type EvalContext } from './iam-policy';
import type { DatastoreRecord, JobRecord, RoleRecord } from './state';
import { parseS3Uri } from './s3-store';

export const SERVICE_PRINCIPAL = 'medical-imaging.amazonaws.com';

export interface DataAccess {
  /** Why the job cannot start at all, if it cannot. */
  problem(): string | undefined;
  /** Why one input object cannot be read, if it cannot. */
  cannotRead(key: string): string | undefined;
}

export function dataAccessFor(core: SandboxCore, job: JobRecord, outputFolderUri: string): DataAccess {
  const arn = job.dataAccessRoleArn;
  const input = parseS3Uri(job.inputS3Uri);
  const output = parseS3Uri(outputFolderUri);
  const ds: DatastoreRecord | undefined = core.state.datastores[job.datastoreId];
  const role: RoleRecord | undefined = roleByArn(core, arn);
  const policies = role ? rolePolicies(role) : [];
  const denied = (action: string, resource: string, context: EvalContext = {}) =>
    evaluate(policies, { action, resource, context }).decision === 'allowed' ? undefined : `${action} on ${resource}`;
  const readFailure = (what: string) => `The data access role ${arn} is not authorized to perform ${what}: unable to read input S3 location ${job.inputS3Uri}`;

  return {
    problem() {
      const context: EvalContext = { 'aws:sourceaccount': [core.accountId], 'aws:sourcearn': ds ? [ds.arn] : [] };
      if (!role || !trustAllowsService(parsePolicy(role.assumeRolePolicyDocument, 'trust'), SERVICE_PRINCIPAL, context))
        return `Failed to assume the data access role ${arn}. Check that the role exists and that its trust policy allows ${SERVICE_PRINCIPAL} to call sts:AssumeRole for this account and data store.`;
      for (const [what, bucket] of [
        ['Input', input.bucket],
        ['Output', output.bucket],
      ] as const) {
        const region = core.state.bucketRegions[bucket];
        if (region && region !== core.region && core.store.bucketExists(bucket))
          return `${what} S3 bucket ${bucket} is in ${region}: HealthImaging in ${core.region} reads and writes buckets of its own region only`;
      }
      const list = denied('s3:ListBucket', `arn:aws:s3:::${input.bucket}`, { 's3:prefix': [input.prefix] });
      if (list) return readFailure(list);
      const put = denied('s3:PutObject', `arn:aws:s3:::${output.bucket}/${output.prefix}job-output-manifest.json`);
      if (put) return `The data access role ${arn} is not authorized to perform ${put}: unable to write to output S3 location ${job.outputS3Uri}`;
      return undefined;
    },
    cannotRead(key) {
      const get = denied('s3:GetObject', `arn:aws:s3:::${input.bucket}/${key}`);
      return get ? readFailure(get) : undefined;
    },
  };
}
