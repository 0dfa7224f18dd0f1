/** ARNs and S3 URIs the preflight reads and builds. PURE. */

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(arn: string): Arn | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(arn);
  if (!m) return undefined;
  return { partition: m[1]!, service: m[2]!, region: m[3]!, account: m[4]!, resource: m[5]! };
}

/** arn:aws:iam::123456789012:role/path/Name -> Name (GetRole takes the name, not the path). */
export function roleNameOf(roleArn: string): string {
  const resource = parseArn(roleArn)?.resource ?? '';
  const parts = resource.replace(/^role\//, '').split('/');
  return parts[parts.length - 1] ?? '';
}

export interface S3Location {
  bucket: string;
  /** The key prefix, '' for the whole bucket. */
  prefix: string;
}

export function parseS3Uri(uri: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`not an S3 URI: ${uri}`);
  return { bucket: m[1]!, prefix: m[2]! };
}

/** The partition of a region (aws, aws-cn, aws-us-gov). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function datastoreArn(region: string, account: string, datastoreId: string): string {
  return `arn:${partitionOf(region)}:medical-imaging:${region}:${account}:datastore/${datastoreId}`;
}

/** The ARN pattern that every data store of this account and region matches. */
export function anyDatastoreArn(region: string, account: string): string {
  return datastoreArn(region, account, '*');
}

/** Objects under a prefix as an IAM resource: arn:aws:s3:::bucket/prefix* */
export function s3ObjectsArn(loc: S3Location, partition = 'aws'): string {
  return `arn:${partition}:s3:::${loc.bucket}/${loc.prefix}*`;
}

export function s3BucketArn(bucket: string, partition = 'aws'): string {
  return `arn:${partition}:s3:::${bucket}`;
}

/** IAM's glob: `*` any run of characters, `?` one character; everything else literal. */
export function globMatches(pattern: string, value: string, ignoreCase = false): boolean {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const v = ignoreCase ? value.toLowerCase() : value;
  // Iterative wildcard match with backtracking to the last star: linear-ish, no regex building.
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === v[vi])) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}
