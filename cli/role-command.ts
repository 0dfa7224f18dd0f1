/**
 * `ahi-onboard role policy|create`: the data access role helper. `policy` prints the trust and
 * permissions policies for the inputs' buckets, account and region (core/preflight/role-policy);
 * `create --name NAME` makes the role (IAM CreateRole + PutRolePolicy) and prints its ARN;
 * `--cloudformation` prints a template with the same role instead. Exit 0 done, 2 bad usage or
 * inputs (or no --yes without a terminal), 3 AWS error.
 */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { AwsFaultError, AwsSetupError, classifyAwsError } from '../core/aws/errors';
import { createAwsSession, type AwsSession } from '../core/aws/session';
import { createDataAccessRole, RoleHelperError } from '../core/app/roles';
import { demoImportInputs } from '../core/app/sandbox-host';
import { checkRoleName, cloudFormationTemplate, ROLE_POLICY_NAME, rolePoliciesFor, type RolePolicyScope } from '../core/preflight/role-policy';
import { sandboxDataDir } from './data-dir';
import { EXIT, UsageError, type ExitCode } from './exit-codes';
import { checkedPreflightInputs } from './preflight-command';
import { readInputsFile } from './run/files';
import type { CliIO } from './run/io';
import { startDemoSandbox, type DemoSandbox } from './sandbox';

export const ROLE_USAGE = `Usage:
  ahi-onboard role policy --inputs FILE.json [--profile NAME] [--region R] [--sandbox] [--cloudformation --name NAME]
      prints {"trustPolicy", "permissionsPolicy"} for the inputs' buckets, account and region
  ahi-onboard role create --name NAME --inputs FILE.json [--yes] [--profile NAME] [--region R] [--sandbox]
      creates the role (IAM CreateRole + PutRolePolicy ${ROLE_POLICY_NAME}) and prints its ARN
  --cloudformation prints a CloudFormation template with the same role and creates nothing.
  The inputs file is the one \`run\` takes (dataAccessRoleArn may be left out).`;

interface RoleArgs {
  action: 'policy' | 'create';
  inputs?: string;
  name?: string;
  profile?: string;
  region?: string;
  yes: boolean;
  sandbox: boolean;
  cloudformation: boolean;
}

function parse(argv: string[]): RoleArgs | 'help' {
  const [action, ...rest] = argv;
  if (action === undefined || action === '--help' || action === '-h') return 'help';
  if (action !== 'policy' && action !== 'create') throw new UsageError(`Unknown role command "${action}".`, 'Use "ahi-onboard role policy" or "ahi-onboard role create".');
  let v;
  try {
    v = parseArgs({
      args: rest,
      allowPositionals: false,
      strict: true,
      options: {
        inputs: { type: 'string' },
        name: { type: 'string' },
        profile: { type: 'string' },
        region: { type: 'string' },
        yes: { type: 'boolean', default: false },
        sandbox: { type: 'boolean', default: false },
        cloudformation: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    throw new UsageError(`role ${action}: ${(e as Error).message}`, 'Run "ahi-onboard role --help".');
  }
  if (v.help) return 'help';
  for (const k of ['inputs', 'name', 'profile', 'region'] as const) if (v[k] !== undefined && !v[k]!.trim()) throw new UsageError(`--${k} needs a value.`);
  if (!v.inputs && !v.sandbox) throw new UsageError(`role ${action} needs --inputs FILE.json (the buckets the role is for).`);
  if (v.sandbox && v.profile) throw new UsageError('--sandbox and --profile exclude each other: the sandbox has its own credentials.');
  if ((action === 'create' || v.cloudformation) && !v.name) throw new UsageError(`role ${action}${v.cloudformation ? ' --cloudformation' : ''} needs --name NAME (the role's name).`);
  const nameIssue = v.name ? checkRoleName(v.name) : undefined;
  if (nameIssue) throw new UsageError(nameIssue);
  return {
    action,
    yes: v.yes === true,
    sandbox: v.sandbox === true,
    cloudformation: v.cloudformation === true,
    ...(v.inputs ? { inputs: v.inputs } : {}),
    ...(v.name ? { name: v.name } : {}),
    ...(v.profile ? { profile: v.profile } : {}),
    ...(v.region ? { region: v.region } : {}),
  };
}

function confirm(question: string): Promise<boolean> {
  return new Promise((done) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    rl.question(question, (answer) => {
      rl.close();
      done(/^y(es)?$/i.test(answer.trim()));
    });
  });
}

/** IAM refused (core/app/roles worded it): the message, and what to do in terms of this command. */
function helperFailure(e: RoleHelperError, io: CliIO): ExitCode {
  const exists = e.code === 'EntityAlreadyExistsException' || e.code === 'EntityAlreadyExists';
  io.err(exists ? `${e.stage}: a role with this name already exists.\nChoose another --name, or check that role with: ahi-onboard preflight --inputs FILE.json\n` : `${e.message}\n`);
  return EXIT.awsError;
}

function awsFailure(e: unknown, operation: string, io: CliIO): ExitCode {
  const c = e instanceof AwsFaultError ? e.classification : classifyAwsError(e, { operation });
  const exists = c.code === 'EntityAlreadyExistsException' || c.code === 'EntityAlreadyExists';
  io.err(`${exists ? `${operation}: a role with this name already exists (${c.message}).` : c.message}\n${exists ? 'Choose another --name, or check that role with: ahi-onboard preflight --inputs FILE.json\n' : c.action ? `${c.action}\n` : ''}`);
  return EXIT.awsError;
}

export async function roleCommand(argv: string[], io: CliIO): Promise<ExitCode> {
  const a = parse(argv);
  if (a === 'help') {
    io.out(ROLE_USAGE + '\n');
    return EXIT.completed;
  }
  let sandbox: DemoSandbox | undefined;
  let session: AwsSession | undefined;
  try {
    const file = a.inputs ? await readInputsFile(resolve(a.inputs)) : {};
    if (a.sandbox) sandbox = await startDemoSandbox({ dataDir: sandboxDataDir(io.env) });
    const raw = { ...(sandbox ? demoImportInputs(sandbox.sandbox.demo) : {}), ...file };
    // The role does not exist yet: a placeholder satisfies the role field's rule, nothing else reads it.
    const inputs = checkedPreflightInputs({ dataAccessRoleArn: 'arn:aws:iam::000000000000:role/placeholder', ...raw }, a.inputs ?? 'the demo inputs');
    try {
      session = await createAwsSession({ ...(sandbox ? { sandbox: sandbox.target } : {}), ...(a.profile ? { profile: a.profile } : {}), ...(a.region ? { region: a.region } : {}), env: io.env });
    } catch (e) {
      if (e instanceof AwsSetupError) throw new UsageError(e.message, e.action);
      throw e;
    }
    let account: string;
    try {
      account = (await session.identity()).accountId;
    } catch (e) {
      return awsFailure(e, 'GetCallerIdentity', io);
    }
    const scope: RolePolicyScope = {
      account,
      region: session.region,
      inputS3Uri: inputs.inputS3Uri,
      outputS3Uri: inputs.outputS3Uri,
      ...(inputs.kmsKeyArn ? { kmsKeyArns: [inputs.kmsKeyArn] } : {}),
      ...(inputs.datastoreId ? { datastoreId: inputs.datastoreId } : {}),
    };
    if (a.cloudformation) {
      io.out(JSON.stringify(cloudFormationTemplate(a.name!, scope), null, 2) + '\n');
      return EXIT.completed;
    }
    const policies = rolePoliciesFor(scope);
    if (a.action === 'policy') {
      io.out(JSON.stringify(policies, null, 2) + '\n');
      return EXIT.completed;
    }

    const name = a.name!;
    if (!a.yes) {
      if (!io.stdinIsTTY) throw new UsageError(`role create changes account ${account}: pass --yes to create role ${name} without a question (no terminal to ask on).`);
      io.err(`Trust policy:\n${JSON.stringify(policies.trustPolicy, null, 2)}\nPermissions policy (${ROLE_POLICY_NAME}):\n${JSON.stringify(policies.permissionsPolicy, null, 2)}\n`);
      if (!(await confirm(`Create role ${name} in account ${account}? [y/N] `))) {
        io.err('Nothing was created.\n');
        return EXIT.completed;
      }
    }
    let arn: string;
    try {
      arn = (await createDataAccessRole(session, name, scope)).roleArn;
    } catch (e) {
      if (!(e instanceof RoleHelperError)) throw e;
      return helperFailure(e, io);
    }
    io.out(`${arn}\n`);
    io.err(`Created role ${name} with policy ${ROLE_POLICY_NAME}. Use it as dataAccessRoleArn (IAM can take a few seconds before HealthImaging may assume a new role).\n`);
    return EXIT.completed;
  } finally {
    session?.close();
    await sandbox?.sandbox.close();
  }
}
