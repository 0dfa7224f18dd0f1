/**
 * Field rules of the HealthImaging Smithy model (2023-07-19), checked the way the service does:
 * every violation is collected and reported in AWS's own ValidationException wording, which names
 * the field and the rule ("Value 'x' at 'datastoreName' failed to satisfy constraint: ...").
 */

export interface StringRule {
  kind: 'string';
  min?: number;
  max?: number;
  pattern?: RegExp;
  enum?: readonly string[];
}
export interface IntRule {
  kind: 'int';
  min: number;
  max: number;
}

export const RULES = {
  datastoreName: { kind: 'string', min: 1, max: 256, pattern: /^[A-Za-z0-9._/#-]+$/ },
  clientToken: { kind: 'string', min: 1, max: 64, pattern: /^[A-Za-z0-9._-]+$/ },
  datastoreId: { kind: 'string', min: 32, max: 32, pattern: /^[0-9a-z]{32}$/ },
  jobId: { kind: 'string', min: 1, max: 32, pattern: /^[0-9a-z]+$/ },
  jobName: { kind: 'string', min: 1, max: 64, pattern: /^[A-Za-z0-9._/#-]+$/ },
  dataAccessRoleArn: { kind: 'string', min: 20, max: 2048, pattern: /^arn:aws(-[^:]+)?:iam::[0-9]{12}:role\/.+$/ },
  s3Uri: { kind: 'string', min: 1, max: 1024, pattern: /^s3:\/\/[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9](\/.*)?$/ },
  kmsKeyArn: {
    kind: 'string',
    min: 1,
    max: 512,
    pattern:
      /^arn:aws[a-zA-Z-]{0,16}:kms:[a-z]{2}(-[a-z]{1,16}){1,3}-\d{1}:\d{12}:((key\/[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12})|(alias\/[a-zA-Z0-9:/_-]{1,256}))$/,
  },
  lambdaAuthorizerArn: {
    kind: 'string',
    pattern: /^arn:(aws[a-zA-Z-]*)?:lambda:[a-z]{2}((-gov)|(-iso(b?)))?-[a-z]+-\d{1}:\d{12}:function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?$/,
  },
  losslessStorageFormat: { kind: 'string', enum: ['HTJ2K', 'JPEG_2000_LOSSLESS'] },
  inputOwnerAccountId: { kind: 'string', min: 12, max: 12, pattern: /^\d+$/ },
  resourceArn: {
    kind: 'string',
    pattern: /^arn:aws((-us-gov)|(-iso)|(-iso-b)|(-cn))?:medical-imaging:[a-z0-9-]+:[0-9]{12}:datastore\/[0-9a-z]{32}(\/imageset\/[0-9a-z]{32})?$/,
  },
  tagKey: { kind: 'string', min: 1, max: 128, pattern: /^(?!aws:)[a-zA-Z+-=._:/]+$/ },
  tagValue: { kind: 'string', min: 0, max: 256 },
  datastoreStatus: { kind: 'string', enum: ['CREATING', 'CREATE_FAILED', 'ACTIVE', 'DELETING', 'DELETED'] },
  jobStatus: { kind: 'string', enum: ['SUBMITTED', 'IN_PROGRESS', 'COMPLETED', 'FAILED'] },
  nextToken: { kind: 'string', min: 1, max: 8192, pattern: /^[\x00-\x7F]{0,8192}$/ },
  maxResults: { kind: 'int', min: 1, max: 50 },
} as const satisfies Record<string, StringRule | IntRule>;

/** Collects violations; the handler throws one ValidationException listing them all. */
export class Violations {
  readonly list: string[] = [];

  get empty(): boolean {
    return this.list.length === 0;
  }

  required(field: string, value: unknown): boolean {
    if (value === undefined || value === null) {
      this.list.push(`Value null at '${field}' failed to satisfy constraint: Member must not be null`);
      return false;
    }
    return true;
  }

  /** Checks an optional string; returns it when it passed (undefined when absent or bad). */
  string(field: string, value: unknown, rule: StringRule): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.list.push(`Value at '${field}' failed to satisfy constraint: Member must be a string`);
      return undefined;
    }
    const shown = value.length > 100 ? `${value.slice(0, 100)}...` : value;
    const before = this.list.length;
    if (rule.min !== undefined && value.length < rule.min)
      this.list.push(`Value '${shown}' at '${field}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && value.length > rule.max)
      this.list.push(`Value '${shown}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`);
    if (rule.pattern && !rule.pattern.test(value))
      this.list.push(`Value '${shown}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${rule.pattern.source}`);
    if (rule.enum && !rule.enum.includes(value))
      this.list.push(`Value '${shown}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${rule.enum.join(', ')}]`);
    return this.list.length === before ? value : undefined;
  }

  int(field: string, raw: string | undefined, rule: IntRule): number | undefined {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n)) {
      this.list.push(`Value '${raw}' at '${field}' failed to satisfy constraint: Member must be an integer`);
      return undefined;
    }
    if (n < rule.min) {
      this.list.push(`Value '${n}' at '${field}' failed to satisfy constraint: Member must have value greater than or equal to ${rule.min}`);
      return undefined;
    }
    if (n > rule.max) {
      this.list.push(`Value '${n}' at '${field}' failed to satisfy constraint: Member must have value less than or equal to ${rule.max}`);
      return undefined;
    }
    return n;
  }

  /** A map of tag key -> value (TagMap). */
  tags(field: string, value: unknown): Record<string, string> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.list.push(`Value at '${field}' failed to satisfy constraint: Member must be a map of string to string`);
      return undefined;
    }
    const before = this.list.length;
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      this.string(`${field}.key`, k, RULES.tagKey);
      if (typeof v !== 'string') this.list.push(`Value at '${field}.${k}' failed to satisfy constraint: Member must be a string`);
      else this.string(`${field}.${k}`, v, RULES.tagValue);
      if (typeof v === 'string') out[k] = v;
    }
    return this.list.length === before ? out : undefined;
  }

  message(): string {
    const n = this.list.length;
    return `${n} validation error${n === 1 ? '' : 's'} detected: ${this.list.join('; ')}`;
  }
}
