/**
 * `ahi-onboard login`, `logout` and `configure sso`: IAM Identity Center sign-in without the AWS
 * CLI, sharing its token cache. Parsed here (not in args.ts) so the run commands' parser stays as
 * it is. Output names URLs, user codes, accounts and roles; never a token or a client secret.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { configFilePaths, effectiveProfileName, readSharedConfig } from '../core/aws/shared-config';
import { writeConfigSections } from '../core/aws/sso/config-writer';
import { ssoLogin, SsoLoginError } from '../core/aws/sso/login';
import { listAccounts, listRoles, ssoLogout } from '../core/aws/sso/portal';
import { resolveSsoSettings, SsoConfigError, type SsoSettings } from '../core/aws/sso/settings';
import { EXIT, UsageError, type ExitCode } from './exit-codes';
import { openInBrowser } from './open-url';
import type { CliIO } from './run/io';

export interface SsoDeps {
  /** How the URL is opened when --no-browser is not given; tests play the browser here. */
  openUrl?: (url: string) => Promise<boolean>;
  ask?: (question: string) => Promise<string>;
}

const OPTIONS = {
  profile: { type: 'string' },
  'use-device-code': { type: 'boolean' },
  'no-browser': { type: 'boolean' },
  'start-url': { type: 'string' },
  region: { type: 'string' },
  'session-name': { type: 'string' },
  'account-id': { type: 'string' },
  'role-name': { type: 'string' },
} as const;

function parse(argv: string[], allowed: (keyof typeof OPTIONS)[]) {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
    const extra = Object.keys(values).find((k) => !allowed.includes(k as keyof typeof OPTIONS));
    if (extra) throw new UsageError(`--${extra} is not an option of this command.`);
    if (positionals.length) throw new UsageError(`Unexpected argument: ${positionals[0]}`);
    return values;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError((e as Error).message, 'Run ahi-onboard --help for the options.');
  }
}

async function signIn(s: SsoSettings, v: { 'use-device-code'?: boolean; 'no-browser'?: boolean }, io: CliIO, deps: SsoDeps): Promise<void> {
  const open = deps.openUrl ?? openInBrowser;
  const result = await ssoLogin(s, {
    env: io.env,
    useDeviceCode: Boolean(v['use-device-code']),
    onDeviceCode: (p) =>
      io.out(`To sign in, open ${p.verificationUri} and enter the code ${p.userCode} (it expires in ${Math.round(p.expiresInSeconds / 60)} minutes).\n`),
    openUrl: async (url) => {
      if (v['no-browser']) {
        if (!v['use-device-code']) io.out(`Open this URL in a browser to sign in:\n  ${url}\n`);
        return;
      }
      if (!(await open(url))) io.out(`Could not open a browser. Open this URL to sign in:\n  ${url}\n`);
      else io.out('A browser window was opened to sign in; waiting for it...\n');
    },
  });
  io.out(`Signed in to ${s.startUrl}${s.sessionName ? ` (sso-session ${s.sessionName})` : ''}; the sign-in is valid until ${result.expiresAt}.\n`);
}

async function loginCommand(argv: string[], io: CliIO, deps: SsoDeps): Promise<ExitCode> {
  const v = parse(argv, ['profile', 'use-device-code', 'no-browser']);
  const s = resolveSsoSettings(await readSharedConfig(io.env), effectiveProfileName(v.profile, io.env));
  await signIn(s, v, io, deps);
  if (s.accountId && s.roleName) io.out(`Profile ${s.profile} now works as role ${s.roleName} in account ${s.accountId}.\n`);
  return EXIT.completed;
}

async function logoutCommand(argv: string[], io: CliIO): Promise<ExitCode> {
  const v = parse(argv, ['profile']);
  const s = resolveSsoSettings(await readSharedConfig(io.env), effectiveProfileName(v.profile, io.env));
  const r = await ssoLogout(s, io.env);
  io.out(r === 'signed-out' ? `Signed out of ${s.startUrl}.\n` : `Profile ${s.profile} was not signed in.\n`);
  return EXIT.completed;
}

/** A flag's value, else the answer typed at a terminal, else exit 2 naming the flag. */
async function valueOf(flag: string, given: string | undefined, io: CliIO, deps: SsoDeps, question: string, fallback?: string): Promise<string> {
  if (given) return given;
  const ask = deps.ask ?? (io.stdinIsTTY ? askTerminal : undefined);
  if (!ask) throw new UsageError(`--${flag} is required when there is no terminal to ask on.`);
  const answer = (await ask(`${question}${fallback ? ` [${fallback}]` : ''}: `)).trim() || fallback || '';
  if (!answer) throw new UsageError(`--${flag} is required.`);
  return answer;
}

async function askTerminal(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

async function configureCommand(argv: string[], io: CliIO, deps: SsoDeps): Promise<ExitCode> {
  const v = parse(argv.slice(1), ['start-url', 'region', 'profile', 'session-name', 'account-id', 'role-name', 'use-device-code', 'no-browser']);
  if (!v['start-url']) throw new UsageError('--start-url is required (the AWS access portal URL, e.g. https://example.awsapps.com/start).');
  if (!/^https:\/\/[^\s/]+/.test(v['start-url'])) throw new UsageError(`--start-url must be an https URL, got ${v['start-url']}.`);
  if (!v.region) throw new UsageError('--region is required (the region of IAM Identity Center, e.g. us-east-1).');
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(v.region)) throw new UsageError(`--region does not look like an AWS region: ${v.region}.`);
  const sessionName = await valueOf('session-name', v['session-name'], io, deps, 'SSO session name', new URL(v['start-url']).hostname.split('.')[0]);
  if (!/^[\w.-]+$/.test(sessionName)) throw new UsageError(`--session-name may hold letters, digits, '.', '_' and '-' only, got ${sessionName}.`);
  const profile = await valueOf('profile', v.profile, io, deps, 'Profile name', sessionName);
  if (!/^[\w.-]+$/.test(profile)) throw new UsageError(`--profile may hold letters, digits, '.', '_' and '-' only, got ${profile}.`);
  // Ask everything a terminal-less run would lack before anything is sent.
  if (!io.stdinIsTTY && !deps.ask) for (const f of ['account-id', 'role-name'] as const) if (!v[f]) throw new UsageError(`--${f} is required when there is no terminal to ask on.`);
  const s: SsoSettings = { profile, sessionName, startUrl: v['start-url'], region: v.region, scopes: ['sso:account:access'], cacheKey: createHash('sha1').update(sessionName).digest('hex') };
  await signIn(s, v, io, deps);

  const accounts = await listAccounts(s, io.env);
  if (!v['account-id'] && accounts.length) io.out(`Accounts: ${accounts.map((a) => `${a.accountId}${a.accountName ? ` (${a.accountName})` : ''}`).join(', ')}\n`);
  const accountId = await valueOf('account-id', v['account-id'], io, deps, 'Account id', accounts.length === 1 ? accounts[0]!.accountId : undefined);
  if (!accounts.some((a) => a.accountId === accountId)) throw new UsageError(`--account-id ${accountId} is not an account this sign-in can use (${accounts.map((a) => a.accountId).join(', ') || 'none'}).`);
  const roles = await listRoles(s, accountId, io.env);
  if (!v['role-name'] && roles.length) io.out(`Roles in ${accountId}: ${roles.join(', ')}\n`);
  const roleName = await valueOf('role-name', v['role-name'], io, deps, 'Role name', roles.length === 1 ? roles[0] : undefined);
  if (!roles.includes(roleName)) throw new UsageError(`--role-name ${roleName} is not a role of account ${accountId} (${roles.join(', ') || 'none'}).`);

  const file = configFilePaths(io.env).configFilepath;
  writeConfigSections(file, [
    { header: `sso-session ${sessionName}`, entries: [['sso_start_url', s.startUrl], ['sso_region', s.region], ['sso_registration_scopes', 'sso:account:access']] },
    { header: profile === 'default' ? 'default' : `profile ${profile}`, entries: [['sso_session', sessionName], ['sso_account_id', accountId], ['sso_role_name', roleName], ['region', v.region]] },
  ]);
  io.out(`Wrote [profile ${profile}] and [sso-session ${sessionName}] to ${file}. Use it with: ahi-onboard run --profile ${profile}\n`);
  return EXIT.completed;
}

export async function ssoCommand(argv: string[], io: CliIO, deps: SsoDeps = {}): Promise<ExitCode> {
  try {
    if (argv[0] === 'login') return await loginCommand(argv.slice(1), io, deps);
    if (argv[0] === 'logout') return await logoutCommand(argv.slice(1), io);
    return await configureCommand(argv.slice(1), io, deps);
  } catch (e) {
    if (e instanceof UsageError || e instanceof SsoConfigError) {
      io.err(`${e.message}\n${e instanceof UsageError && e.hint ? `${e.hint}\n` : ''}`);
      return EXIT.usage;
    }
    // Sign-in refused, expired or unreachable: an AWS-side problem that persisted (exit 3).
    const name = (e as Error)?.name;
    io.err(`ahi-onboard: ${e instanceof SsoLoginError ? e.message : `${name ? `${name}: ` : ''}${(e as Error)?.message ?? String(e)}`}\n`);
    return EXIT.awsError;
  }
}
