/** The arguments every batch subcommand shares, parsed and checked before anything is sent. */
import { parseArgs } from 'node:util';
import type { BatchLimits } from '../../core/batch/plan';
import { checkField } from '../../core/healthimaging/field-rules';
import { UsageError } from '../exit-codes';

export function parseBatchArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'datastore-id': { type: 'string' },
        input: { type: 'string' },
        output: { type: 'string' },
        role: { type: 'string' },
        'max-files': { type: 'string' },
        'max-gb': { type: 'string' },
        json: { type: 'boolean', default: false },
        profile: { type: 'string' },
        region: { type: 'string' },
        sandbox: { type: 'boolean', default: false },
        concurrency: { type: 'string' },
        'stage-to': { type: 'string' },
        'runs-dir': { type: 'string' },
        report: { type: 'string' },
        'retry-failed': { type: 'boolean', default: false },
        'skip-preflight': { type: 'boolean', default: false },
        'poll-interval': { type: 'string' },
        format: { type: 'string' },
        'out-file': { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (e) {
    throw new UsageError(`batch: ${(e as Error).message}`, 'Run "ahi-onboard batch --help".');
  }
}

export type BatchValues = ReturnType<typeof parseBatchArgs>['values'];

export function positiveNumber(flag: string, raw: string | undefined, max?: number): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || !(n > 0)) throw new UsageError(`--${flag} must be a positive number (got ${JSON.stringify(raw)}).`);
  if (max !== undefined && n > max) throw new UsageError(`--${flag} cannot be more than ${max}: HealthImaging takes at most 10 GB per import job, and that limit is not adjustable.`);
  return n;
}

export function wholeNumber(flag: string, raw: string | undefined, max?: number): number | undefined {
  const n = positiveNumber(flag, raw);
  if (n === undefined) return undefined;
  if (!Number.isInteger(n)) throw new UsageError(`--${flag} must be a whole number (got ${JSON.stringify(raw)}).`);
  if (max !== undefined && n > max) throw new UsageError(`--${flag} cannot be more than ${max}.`);
  return n;
}

/** The plan's arguments (batch plan and batch run): required fields by HealthImaging's rules, limits. */
export function checkPlanArgs(sub: string, v: BatchValues): { limits: Partial<BatchLimits> } {
  const required = { 'datastore-id': 'datastoreId', input: 'inputS3Uri', output: 'outputS3Uri', role: 'dataAccessRoleArn' } as const;
  for (const [flag, field] of Object.entries(required)) {
    const value = v[flag as keyof typeof required];
    if (value === undefined) throw new UsageError(`batch ${sub}: --${flag} is required.`, 'Run "ahi-onboard batch --help".');
    const problem = checkField(field, value, `--${flag}`);
    if (problem) throw new UsageError(`batch ${sub}: ${problem}.`);
  }
  if (v.sandbox && v.profile) throw new UsageError(`batch ${sub}: --sandbox and --profile do not go together.`);
  const maxFiles = wholeNumber('max-files', v['max-files']);
  const maxGb = positiveNumber('max-gb', v['max-gb'], 10);
  return { limits: { ...(maxFiles ? { maxFiles } : {}), ...(maxGb ? { maxBytes: Math.floor(maxGb * 1e9) } : {}) } };
}
