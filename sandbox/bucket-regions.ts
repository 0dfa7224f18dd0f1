/**
 * Which region each sandbox bucket lives in, and S3's CreateBucket LocationConstraint rules. The
 * sandbox endpoint stands for its own region's S3 endpoint, except that in us-east-1 it accepts any
 * location constraint, as the us-east-1 endpoint does.
 */
import type { SandboxCore } from './core';
import { ApiError } from './errors';

export const S3_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'sa-east-1', 'mx-central-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'ap-south-1', 'ap-south-2', 'ap-east-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1',
  'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7', 'me-south-1', 'me-central-1',
  'il-central-1', 'af-south-1',
];

export class BucketRegions {
  constructor(private readonly core: SandboxCore) {}

  /** The region this endpoint serves. */
  get endpointRegion(): string {
    return this.core.region;
  }

  of(bucket: string): string {
    return this.core.state.bucketRegions[bucket] ?? this.core.region;
  }

  record(bucket: string, region: string): void {
    if (region === this.core.region) delete this.core.state.bucketRegions[bucket];
    else this.core.state.bucketRegions[bucket] = region;
    this.core.save();
  }

  /** The region a CreateBucket body asks for, or S3's error for a constraint this endpoint refuses. */
  requested(body: Buffer): string {
    const text = body.toString('utf8').trim();
    let constraint: string | undefined;
    if (text) {
      if (!/^(<\?xml[^>]*\?>\s*)?<CreateBucketConfiguration[\s>][\s\S]*<\/CreateBucketConfiguration>$|^(<\?xml[^>]*\?>\s*)?<CreateBucketConfiguration[^>]*\/>$/.test(text))
        throw new ApiError('MalformedXML', 400, 'The XML you provided was not well-formed or did not validate against our published schema');
      constraint = /<LocationConstraint>([^<]*)<\/LocationConstraint>/.exec(text)?.[1];
    }
    const here = this.core.region;
    if (constraint === undefined || constraint === '') {
      if (here === 'us-east-1') return here;
      throw new ApiError('IllegalLocationConstraintException', 400, 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.');
    }
    const region = constraint === 'EU' ? 'eu-west-1' : constraint;
    if (constraint === 'us-east-1' || !S3_REGIONS.includes(region))
      throw new ApiError('InvalidLocationConstraint', 400, 'The specified location-constraint is not valid', { LocationConstraint: constraint });
    if (here !== 'us-east-1' && region !== here)
      throw new ApiError('IllegalLocationConstraintException', 400, `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`);
    return region;
  }
}
