/** `ahi-onboard profiles`: names, regions and credential kinds. Never secrets (listProfiles returns none). */
import { listProfiles } from '../core/aws/profiles';
import { EXIT, type ExitCode } from './exit-codes';
import { stripControls } from './terminal-text';

const KIND_WORDS: Record<string, string> = {
  static: 'access keys',
  'assume-role': 'assume role',
  sso: 'SSO',
  process: 'credential process',
  'web-identity': 'web identity',
  unknown: 'no credentials',
};

export async function profilesCommand(opts: { json: boolean; out: (s: string) => void; env?: NodeJS.ProcessEnv }): Promise<ExitCode> {
  const profiles = await listProfiles(opts.env);
  if (opts.json) {
    opts.out(JSON.stringify(profiles, null, 2) + '\n');
    return EXIT.completed;
  }
  if (profiles.length === 0) {
    opts.out('No AWS profiles found. Create one with: aws configure (or aws configure sso)\n');
    return EXIT.completed;
  }
  // Names, regions and endpoints come from the config file: stripped, so the columns line up too.
  const rows = profiles.map((p) => [
    stripControls(p.name),
    stripControls(p.region ?? '-'),
    KIND_WORDS[p.kind] + (p.mfa ? ' + MFA' : ''),
    stripControls(p.customEndpoint ?? ''),
  ]);
  const head = ['PROFILE', 'REGION', 'CREDENTIALS', 'ENDPOINT'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd() + '\n';
  opts.out(line(head));
  for (const r of rows) opts.out(line(r));
  return EXIT.completed;
}
