/**
 * Nothing leaks from the command, as users run it (bin/ahi-onboard.mjs in a child process): a
 * profile signs with a known secret and session token, and a local stand-in answers every request
 * the way AWS answers a bad signature, quoting the canonical request with that token. Neither the
 * token, the secret, the key id nor any signature sent appears in stdout, stderr, the run's files
 * (header and events) or the reports: the not-started one and the normal one.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoSecrets } from '../core/redaction/secrets-guard';
import { leakyProfile, LEAKY_TOKEN, startBadSignatureStandIn, STAND_IN_ACCOUNT, type BadSignatureStandIn } from '../core/testing/bad-signature-stand-in';
import type { RunEvent } from '../core/engine/events';
import { cleanEnv, runCli as runCliIn } from './testing/spawn-cli';

const tmp = mkdtempSync(join(tmpdir(), 'ahi-leaks-'));
let standIn: BadSignatureStandIn;

beforeAll(async () => {
  standIn = await startBadSignatureStandIn();
  const p = leakyProfile('leaky');
  writeFileSync(join(tmp, 'config'), p.config);
  writeFileSync(join(tmp, 'credentials'), p.credentials);
  writeFileSync(
    join(tmp, 'inputs.json'),
    JSON.stringify({
      datastoreName: 'leak-test',
      dataAccessRoleArn: `arn:aws:iam::${STAND_IN_ACCOUNT}:role/ImagingImport`,
      inputS3Uri: 's3://leak-test-bucket/in/',
      outputS3Uri: 's3://leak-test-bucket/out/',
    }),
  );
});
afterAll(async () => {
  await standIn?.close();
  rmSync(tmp, { recursive: true, force: true });
});

function env(): NodeJS.ProcessEnv {
  return cleanEnv(tmp, {
    AWS_CONFIG_FILE: join(tmp, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmp, 'credentials'),
    AWS_ENDPOINT_URL_STS: standIn.url,
    AWS_ENDPOINT_URL_MEDICAL_IMAGING: standIn.url,
    AWS_ENDPOINT_URL_S3: standIn.url,
  });
}

const runCli = (args: string[]) => runCliIn(args, { env: env() });

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));
}

/** The guard's own check (every secret, any 24-character slice of one, every credential marker), plus the header syntax. */
function expectClean(what: string, text: string): void {
  expect(text.length, `${what} is empty`).toBeGreaterThan(0);
  expect(() => assertNoSecrets(text, standIn.secrets()), what).not.toThrow();
  expect(text, what).not.toMatch(/x-amz-security-token/i);
}

describe('a bad-signature answer quoting the session token', () => {
  it('identity check refused: stderr and the not-started report hold no secret', async () => {
    standIn.identity = 'refuse';
    const report = join(tmp, 'not-started.json');
    const runsDir = join(tmp, 'runs-refused');
    const r = await runCli(['run', '--inputs', join(tmp, 'inputs.json'), '--profile', 'leaky', '--runs-dir', runsDir, '--report', report]);
    expect(r.code).toBe(3);
    expect(standIn.signatures.length).toBeGreaterThan(0); // the request was signed and sent
    expect(r.stderr).toMatch(/SignatureDoesNotMatch/);
    expect(r.stderr).toContain('Nothing was created.');
    expectClean('stderr', r.stderr);
    if (r.stdout) expectClean('stdout', r.stdout);
    const text = readFileSync(report, 'utf8');
    expectClean('not-started report', text);
    const json = JSON.parse(text) as { status: string; error: { code: string; message: string }; inputs: Record<string, unknown> };
    expect(json).toMatchObject({ status: 'error', error: { code: 'SignatureDoesNotMatch' }, inputs: { datastoreName: 'leak-test' } });
    expect(filesUnder(runsDir)).toEqual([]); // nothing ran, nothing recorded
  });

  it('inputs quoting a presigned URL: the not-started report and stderr redact the inputs too', async () => {
    const presigned = `https://leak-test-bucket.s3.amazonaws.com/in/?X-Amz-Security-Token=${encodeURIComponent(LEAKY_TOKEN)}&X-Amz-Signature=${'ab12'.repeat(16)}`;
    const file = join(tmp, 'presigned-inputs.json');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(join(tmp, 'inputs.json'), 'utf8')), inputS3Uri: presigned }));
    const report = join(tmp, 'not-started-inputs.json');
    const r = await runCli(['run', '--inputs', file, '--profile', 'leaky', '--report', report]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/inputS3Uri/);
    expectClean('stderr', r.stderr);
    const text = readFileSync(report, 'utf8');
    expectClean('not-started report', text);
    expect(() => assertNoSecrets(text, ['ab12'.repeat(16)])).not.toThrow();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'InvalidInputs' }, inputs: { datastoreName: 'leak-test', inputS3Uri: expect.stringContaining('leak-test-bucket') } });
  });

  it('a run refused by HealthImaging: stdout events, stderr, header, event log and the report hold no secret', async () => {
    standIn.identity = 'ok';
    const report = join(tmp, 'run-report.json');
    const runsDir = join(tmp, 'runs-started');
    // The stand-in speaks no IAM or S3 listing: the preflight is skipped, this is about redaction.
    const r = await runCli(['run', '--inputs', join(tmp, 'inputs.json'), '--profile', 'leaky', '--runs-dir', runsDir, '--json', '--report', report, '--skip-preflight']);
    // The credentials fault pauses the run; with no terminal to continue from it stops, resumable.
    expect(r.code).toBe(3);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
    expect(events[0]).toMatchObject({ type: 'run-started', context: { accountId: STAND_IN_ACCOUNT } });
    const refused = events.find((e) => e.type === 'response-received' && e.operationId === 'CreateDatastore');
    expect(refused).toMatchObject({ httpStatus: 403, error: { code: 'InvalidSignatureException' } });
    expect(events.some((e) => e.type === 'run-paused')).toBe(true);
    expectClean('stdout (events)', r.stdout);
    expectClean('stderr', r.stderr);
    expect(r.stderr).toMatch(/ahi-onboard resume/);

    const files = filesUnder(runsDir);
    expect(files.map((f) => f.slice(runsDir.length + 1).split('/')[1]).sort()).toEqual(expect.arrayContaining(['events.ndjson', 'header.json']));
    for (const f of files) expectClean(f.slice(runsDir.length + 1), readFileSync(f, 'utf8'));

    const text = readFileSync(report, 'utf8');
    expectClean('report', text);
    expect(JSON.parse(text)).toMatchObject({ runId: events[0]!.runId });
    expect(text).toMatch(/InvalidSignatureException/);
  });
});
