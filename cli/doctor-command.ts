/**
 * `ahi-onboard doctor [--profile NAME] [--region R] [--bucket NAME] [--json]`: is this network and
 * this profile ready? Proxy per endpoint, CA sources, one signed call per service (logic in
 * core/aws/network/connection-check.ts). Exit 0 when all calls succeed, 3 when one fails, 2 for
 * bad usage. Nothing secret is printed: proxies appear as host:port.
 */
import { parseArgs } from 'node:util';
import { AwsSetupError } from '../core/aws/errors';
import { checkConnection, type ConnectionReport } from '../core/aws/network/connection-check';
import { createAwsSession } from '../core/aws/session';
import type { OutgoingGuard } from '../core/redaction/outgoing';
import { EXIT, UsageError, type ExitCode } from './exit-codes';

export const DOCTOR_USAGE = `Usage: ahi-onboard doctor [--profile NAME] [--region R] [--bucket NAME] [--json]
  Shows which proxy each AWS endpoint goes through, which certificate authorities are trusted, and
  the result of one signed call per service (STS GetCallerIdentity, HealthImaging ListDatastores,
  S3 ListBuckets, or HeadBucket of --bucket). Exit 0 when all succeed, 3 when one fails.`;

export interface DoctorIO {
  out(s: string): void;
  err(s: string): void;
  env: NodeJS.ProcessEnv;
  /** The CLI's leak guard (cli/guarded-io): the session's secrets are added to it. */
  guard?: Pick<OutgoingGuard, 'addSecrets'>;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: false,
      strict: true,
      options: {
        profile: { type: 'string' },
        region: { type: 'string' },
        bucket: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    throw new UsageError(`doctor: ${(e as Error).message}`, 'Run "ahi-onboard doctor --help".');
  }
}

export function formatDoctor(r: ConnectionReport): string {
  const lines = [`Profile: ${r.profile ?? '(default credentials)'}   Region: ${r.region}`, '', 'Endpoints and proxies:'];
  for (const route of r.routes) lines.push(`  ${route.service.padEnd(13)} ${route.url}  via ${route.proxy}${route.source === 'none' ? '' : ` (from the ${route.source})`}`);
  lines.push('', 'Trusted certificate authorities:', ...r.trust.map((t) => `  - ${t}`), '', 'Signed calls:');
  for (const c of r.checks) lines.push(`  ${c.ok ? 'OK  ' : 'FAIL'} ${c.service} ${c.operation} (${c.ms} ms): ${c.message}`);
  lines.push('', r.ok ? 'All checks passed.' : 'At least one check failed; see above.');
  return lines.join('\n') + '\n';
}

export async function doctorCommand(argv: string[], io: DoctorIO): Promise<ExitCode> {
  const v = parse(argv);
  if (v.help) {
    io.out(DOCTOR_USAGE + '\n');
    return EXIT.completed;
  }
  for (const k of ['profile', 'region', 'bucket'] as const) {
    if (v[k] !== undefined && !v[k]!.trim()) throw new UsageError(`--${k} must not be empty.`);
  }
  let session;
  try {
    session = await createAwsSession({ ...(v.profile ? { profile: v.profile } : {}), ...(v.region ? { region: v.region } : {}), env: io.env });
  } catch (e) {
    if (e instanceof AwsSetupError) throw new UsageError(e.message, e.action);
    throw e;
  }
  const opened = session;
  io.guard?.addSecrets(() => opened.secretsInUse());
  try {
    const report = await checkConnection(session, v.bucket ? { bucket: v.bucket } : {});
    io.out(v.json ? JSON.stringify(report, null, 2) + '\n' : formatDoctor(report));
    return report.ok ? EXIT.completed : EXIT.awsError;
  } finally {
    session.close();
  }
}
