/**
 * Command-line parsing (node:util parseArgs, strict): turns argv into one typed command or a
 * UsageError that names the offending option.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './exit-codes';
import { SSO_USAGE } from './sso-usage';
import { LISTS_USAGE } from './lists/usage';

export interface RunSettings {
  profile?: string;
  region?: string;
  workflow?: string;
  workflowId?: string;
  runsDir?: string;
  report?: string;
  /** Seconds before the first re-poll. */
  pollInterval?: number;
  /** Seconds: the cap of the growing poll delay. */
  pollMaxInterval?: number;
  /** Seconds: the run's deadline. */
  timeout?: number;
  json: boolean;
  sandbox: boolean;
  /** run/import: do not run the preflight first. */
  skipPreflight?: boolean;
}

export type Command =
  | { kind: 'run'; inputs?: string; settings: RunSettings }
  /** More data into an existing data store: the bundled import-into-datastore workflow. */
  | { kind: 'import'; datastoreId: string; inputs?: string; settings: RunSettings }
  | { kind: 'resume'; runId: string; settings: RunSettings }
  | { kind: 'profiles'; json: boolean }
  | { kind: 'report'; runId: string; runsDir?: string; format: ReportFormat; output?: string; sandbox: boolean }
  | { kind: 'repair'; runId: string; runsDir?: string; sandbox: boolean }
  | { kind: 'help'; topic?: string }
  | { kind: 'version' };

export type ReportFormat = 'json' | 'html' | 'md' | 'pdf';
const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'html', 'md', 'pdf'];

export const USAGE = `Usage:
  ahi-onboard run --inputs FILE.json [options]      run the onboarding workflow (creates a data store, imports)
  ahi-onboard run --sandbox [--inputs FILE.json]    run it against the embedded sandbox (no AWS account needed)
  ahi-onboard import --datastore-id ID --inputs FILE.json [options]
                                                    import more data into an existing, ACTIVE data store
  ahi-onboard import --sandbox --datastore-id ID [--inputs FILE.json]
                                                    the same into a data store of an earlier run --sandbox
  ahi-onboard resume RUN_ID [options]               finish an interrupted run (onboarding or import)
  ahi-onboard profiles [--json]                     list AWS profiles (name, region, kind; never secrets)
  ahi-onboard preflight --inputs FILE.json [--profile NAME] [--region R] [--json] [--sandbox]
                                                    check role, buckets, input and quota before anything is created
  ahi-onboard role policy|create --inputs FILE.json [--name NAME] [--yes] [--cloudformation]
                                                    print or create the data access role for those buckets
  ahi-onboard doctor [--profile NAME] [--region R] [--bucket NAME] [--json]
                                                    check proxies, certificates and one signed call per service
  ahi-onboard report RUN_ID --format json|html|md|pdf [-o FILE] [--runs-dir DIR]
  ahi-onboard batch plan|run|resume|report|list ...  import a whole S3 archive as many import jobs
                                                    within HealthImaging's limits (ahi-onboard batch --help)
${LISTS_USAGE}
  ahi-onboard repair RUN_ID [--runs-dir DIR]        cut a damaged run log at its first bad line (a backup
                                                    of the whole log is kept) so the run can be resumed
${SSO_USAGE}

Options for run, import and resume:
  --profile NAME             AWS profile from ~/.aws/config (default: AWS_PROFILE, else default)
  --region R                 AWS region (default: the profile's region, else AWS_REGION)
  --workflow FILE            Arazzo document (run only; default: the bundled document)
  --workflow-id ID           workflow in the document (run only; default: onboard-datastore-and-import
                             for the bundled document, else the document's only workflow)
  --runs-dir DIR             where run logs are kept
  --report FILE.json         write the run report (also on failure or interruption)
  --poll-interval SECONDS    first delay between status polls (fractions allowed)
  --poll-max-interval SECONDS  cap of the growing poll delay
  --timeout SECONDS          deadline for the whole run (exit 4, resumable)
  --json                     print events as NDJSON
  --sandbox                  start the embedded sandbox with demo data and use it
  --skip-preflight           run/import: start without the preflight (by default a failed check
                             stops the run before anything is created, exit 1)

import runs the bundled workflow import-into-datastore: GetDatastore once (anything but ACTIVE
ends the run, exit 1, before anything starts), then StartDICOMImportJob and GetDICOMImportJob.
Nothing is created but the import job. --datastore-id is the data store's id (32 lowercase
letters or digits). The inputs file holds the import's inputs only: dataAccessRoleArn, inputS3Uri,
outputS3Uri and optionally jobName and inputOwnerAccountId. Every import gets a new import client
token (an earlier one would be answered with the earlier job); \`resume\` re-sends the same one.
With --sandbox the demo role and locations are used for what the file leaves out.

Exit codes: 0 completed, 1 workflow failed, 2 bad usage or inputs (nothing sent),
3 AWS error that persisted or the runs folder's disk is full (resumable once freed),
4 deadline passed (resumable), 5 completed with errors (some files failed), 6 run in use by
another process, 130 interrupted (resumable).`;

const RUN_OPTIONS = {
  inputs: { type: 'string' },
  profile: { type: 'string' },
  region: { type: 'string' },
  workflow: { type: 'string' },
  'workflow-id': { type: 'string' },
  'runs-dir': { type: 'string' },
  report: { type: 'string' },
  'poll-interval': { type: 'string' },
  'poll-max-interval': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean', default: false },
  sandbox: { type: 'boolean', default: false },
  'skip-preflight': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** import runs one fixed workflow: no --workflow or --workflow-id. */
const { workflow: _workflow, 'workflow-id': _workflowId, ...IMPORT_RUN_OPTIONS } = RUN_OPTIONS;
const IMPORT_OPTIONS = { ...IMPORT_RUN_OPTIONS, 'datastore-id': { type: 'string' } } as const;

function seconds(name: string, raw: string | undefined, { allowZero = false } = {}): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new UsageError(`--${name} must be a positive number of seconds (fractions allowed), got "${raw}".`);
  }
  return n;
}

function nonEmpty(name: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (v.trim() === '') throw new UsageError(`--${name} needs a value.`);
  return v;
}

type Values = Record<string, string | boolean | undefined>;

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Values, positionals };
  } catch (e) {
    // parseArgs says e.g. "Unknown option '--foo'"; keep its words, add where to look.
    throw new UsageError((e as Error).message, 'Run "ahi-onboard --help" for the options.');
  }
}

function runSettings(v: Values): RunSettings {
  const settings: RunSettings = {
    json: v.json === true,
    sandbox: v.sandbox === true,
    ...(v['skip-preflight'] === true ? { skipPreflight: true } : {}),
  };
  const str = (k: string) => nonEmpty(k, v[k] as string | undefined);
  const set = <K extends keyof RunSettings>(key: K, value: RunSettings[K] | undefined) => {
    if (value !== undefined) settings[key] = value;
  };
  set('profile', str('profile'));
  set('region', str('region'));
  set('workflow', str('workflow'));
  set('workflowId', str('workflow-id'));
  set('runsDir', str('runs-dir'));
  set('report', str('report'));
  set('pollInterval', seconds('poll-interval', v['poll-interval'] as string | undefined));
  set('pollMaxInterval', seconds('poll-max-interval', v['poll-max-interval'] as string | undefined));
  set('timeout', seconds('timeout', v.timeout as string | undefined));
  if (settings.pollInterval !== undefined && settings.pollMaxInterval !== undefined && settings.pollMaxInterval < settings.pollInterval) {
    throw new UsageError(`--poll-max-interval (${settings.pollMaxInterval}) must not be smaller than --poll-interval (${settings.pollInterval}).`);
  }
  if (settings.sandbox && settings.profile) {
    throw new UsageError('--sandbox and --profile exclude each other: the sandbox has its own credentials.');
  }
  return settings;
}

export function parseCommand(argv: string[]): Command {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') return { kind: 'help', ...(rest[0] ? { topic: rest[0] } : {}) };
  if (sub === '--version' || sub === '-v') return { kind: 'version' };

  switch (sub) {
    case 'run': {
      const { values, positionals } = parse(rest, RUN_OPTIONS);
      if (values.help) return { kind: 'help', topic: 'run' };
      if (positionals.length > 0) throw new UsageError(`"run" takes no positional arguments (got "${positionals[0]}").`, 'Inputs go in a JSON file: --inputs FILE.json');
      const settings = runSettings(values);
      const inputs = nonEmpty('inputs', values.inputs as string | undefined);
      if (!inputs && !settings.sandbox) {
        throw new UsageError('run needs --inputs FILE.json (or --sandbox to use the demo inputs).');
      }
      return { kind: 'run', ...(inputs ? { inputs } : {}), settings };
    }
    case 'import': {
      if (rest.some((a) => /^--workflow(-id)?(=|$)/.test(a)))
        throw new UsageError('import runs the bundled import-into-datastore workflow; --workflow and --workflow-id do not apply.', 'For another document use: ahi-onboard run --workflow FILE --workflow-id ID --inputs FILE.json');
      const { values, positionals } = parse(rest, IMPORT_OPTIONS);
      if (values.help) return { kind: 'help', topic: 'import' };
      if (positionals.length > 0) throw new UsageError(`"import" takes no positional arguments (got "${positionals[0]}").`, 'The data store goes in --datastore-id ID, the inputs in --inputs FILE.json.');
      const datastoreId = nonEmpty('datastore-id', values['datastore-id'] as string | undefined);
      if (!datastoreId) throw new UsageError('import needs --datastore-id ID: the existing data store to import into.', 'Its id is printed by the run that created it (datastoreId=...) and listed in the AWS console.');
      const settings = runSettings(values);
      const inputs = nonEmpty('inputs', values.inputs as string | undefined);
      if (!inputs && !settings.sandbox) throw new UsageError('import needs --inputs FILE.json (or --sandbox to use the demo locations).');
      return { kind: 'import', datastoreId: datastoreId.trim(), ...(inputs ? { inputs } : {}), settings };
    }
    case 'resume': {
      const { values, positionals } = parse(rest, RUN_OPTIONS);
      if (values.help) return { kind: 'help', topic: 'resume' };
      if (values.inputs !== undefined) throw new UsageError('resume takes its inputs from the run log; --inputs is not allowed.');
      const runId = positionals[0];
      if (!runId) throw new UsageError('resume needs a RUN_ID (printed when the run started, and in the run report).');
      if (positionals.length > 1) throw new UsageError(`resume takes one RUN_ID (got ${positionals.length}).`);
      return { kind: 'resume', runId, settings: runSettings(values) };
    }
    case 'profiles': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } });
      if (values.help) return { kind: 'help', topic: 'profiles' };
      if (positionals.length > 0) throw new UsageError(`"profiles" takes no arguments (got "${positionals[0]}").`);
      return { kind: 'profiles', json: values.json === true };
    }
    case 'report': {
      const { values, positionals } = parse(rest, {
        'runs-dir': { type: 'string' },
        format: { type: 'string', default: 'json' },
        output: { type: 'string', short: 'o' },
        sandbox: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      });
      if (values.help) return { kind: 'help', topic: 'report' };
      const runId = positionals[0];
      if (!runId) throw new UsageError('report needs a RUN_ID.');
      const format = values.format as string;
      if (!REPORT_FORMATS.includes(format as ReportFormat)) {
        throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')} (got "${format}").`);
      }
      if (format === 'pdf' && !values.output) throw new UsageError('--format pdf needs -o FILE.pdf (PDF is not printed to the terminal).');
      const runsDir = nonEmpty('runs-dir', values['runs-dir'] as string | undefined);
      const output = nonEmpty('output', values.output as string | undefined);
      return {
        kind: 'report',
        runId,
        format: format as ReportFormat,
        sandbox: values.sandbox === true,
        ...(runsDir ? { runsDir } : {}),
        ...(output ? { output } : {}),
      };
    }
    case 'repair': {
      const { values, positionals } = parse(rest, {
        'runs-dir': { type: 'string' },
        sandbox: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      });
      if (values.help) return { kind: 'help', topic: 'repair' };
      const runId = positionals[0];
      if (!runId) throw new UsageError('repair needs a RUN_ID (the run whose log is damaged).');
      if (positionals.length > 1) throw new UsageError(`repair takes one RUN_ID (got ${positionals.length}).`);
      const runsDir = nonEmpty('runs-dir', values['runs-dir'] as string | undefined);
      return { kind: 'repair', runId, sandbox: values.sandbox === true, ...(runsDir ? { runsDir } : {}) };
    }
    default:
      throw new UsageError(`Unknown command "${sub}".`, 'Commands: run, import, resume, preflight, role, datastores, jobs, results, watch, profiles, report, repair, doctor, batch. Run "ahi-onboard --help".');
  }
}
