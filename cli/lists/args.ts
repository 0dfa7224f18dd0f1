/**
 * Options of the commands that look at what is in the account (datastores, jobs, results, watch):
 * node:util parseArgs, strict, each error naming the option and the rule.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../exit-codes';

import type { ListCommandName } from './names';

export type { ListCommandName };

export interface ListTarget {
  profile?: string;
  region?: string;
  sandbox: boolean;
  json: boolean;
}

export type ListCommand =
  | { kind: 'datastores'; status?: string; target: ListTarget }
  | { kind: 'jobs'; datastoreId: string; status?: string; target: ListTarget }
  | { kind: 'results'; datastoreId: string; jobId: string; target: ListTarget }
  | { kind: 'watch'; datastoreId: string; jobId: string; pollInterval?: number; pollMaxInterval?: number; target: ListTarget }
  | { kind: 'help'; topic: ListCommandName };

export { LISTS_USAGE } from './usage';

const ID = /^[0-9a-z]{32}$/;
const JOB_ID = /^[0-9a-z]{1,32}$/;

function id(name: string, v: unknown, rule: RegExp, what: string): string {
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} is required: ${what}.`, `Run "ahi-onboard datastores" to list the data stores, "ahi-onboard jobs --datastore-id ID" for their jobs.`);
  const s = v.trim();
  if (!rule.test(s)) throw new UsageError(`--${name} "${s}" is not valid: ${rule === ID ? '32 lowercase letters or digits' : '1 to 32 lowercase letters or digits'}.`);
  return s;
}

function seconds(name: string, raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (String(raw).trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number of seconds (fractions allowed), got "${String(raw)}".`);
  return n;
}

export function parseListCommand(name: ListCommandName, args: string[]): ListCommand {
  const STR = { type: 'string' } as const;
  const options: NonNullable<ParseArgsConfig['options']> = {
    profile: STR,
    region: STR,
    sandbox: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
    ...(name === 'datastores' || name === 'jobs' ? { status: STR } : {}),
    ...(name !== 'datastores' ? { 'datastore-id': STR } : {}),
    ...(name === 'results' || name === 'watch' ? { 'job-id': STR } : {}),
    ...(name === 'watch' ? { 'poll-interval': STR, 'poll-max-interval': STR } : {}),
  };
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true }) as { values: Record<string, string | boolean | undefined>; positionals: string[] });
  } catch (e) {
    throw new UsageError((e as Error).message, `Run "ahi-onboard ${name} --help" for its options.`);
  }
  if (values.help) return { kind: 'help', topic: name };
  if (positionals.length > 0) throw new UsageError(`"${name}" takes no positional arguments (got "${positionals[0]}").`, `Run "ahi-onboard ${name} --help" for its options.`);
  const str = (k: string) => {
    const v = values[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${k} needs a value.`);
    return v.trim();
  };
  if (values.sandbox && values.profile) throw new UsageError('--sandbox and --profile exclude each other: the sandbox has its own credentials.');
  const profile = str('profile');
  const region = str('region');
  const target: ListTarget = { sandbox: values.sandbox === true, json: values.json === true, ...(profile ? { profile } : {}), ...(region ? { region } : {}) };
  const status = str('status');
  const datastoreId = () => id('datastore-id', values['datastore-id'], ID, 'the data store (32 lowercase letters or digits)');
  const jobId = () => id('job-id', values['job-id'], JOB_ID, 'the import job');
  switch (name) {
    case 'datastores':
      return { kind: 'datastores', ...(status ? { status } : {}), target };
    case 'jobs':
      return { kind: 'jobs', datastoreId: datastoreId(), ...(status ? { status } : {}), target };
    case 'results':
      return { kind: 'results', datastoreId: datastoreId(), jobId: jobId(), target };
    case 'watch': {
      const pollInterval = seconds('poll-interval', values['poll-interval']);
      const pollMaxInterval = seconds('poll-max-interval', values['poll-max-interval']);
      if (pollInterval !== undefined && pollMaxInterval !== undefined && pollMaxInterval < pollInterval)
        throw new UsageError(`--poll-max-interval (${pollMaxInterval}) must not be smaller than --poll-interval (${pollInterval}).`);
      return { kind: 'watch', datastoreId: datastoreId(), jobId: jobId(), ...(pollInterval !== undefined ? { pollInterval } : {}), ...(pollMaxInterval !== undefined ? { pollMaxInterval } : {}), target };
    }
  }
}
