/**
 * No secret ever reaches a report. Three layers of proof:
 * 1. A real run: the seed workflow through the real engine and the real SDK against the sandbox,
 *    signed with known test keys and a known session token, every SigV4 signature captured on the
 *    wire. The run log and every report format built from it hold none of them.
 * 2. Logs that WOULD leak (a presigned URL pasted as an input, a SignatureDoesNotMatch message
 *    quoting the canonical request, a stray secret setting): build + render redact them all.
 * 3. The redaction rules and the leak guard themselves.
 */
import { FAKE_ACCESS_KEY_ID } from '../testing/fake-aws-credentials';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpRequest } from '@smithy/protocol-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { createAwsSession, type AwsSession } from '../aws/session';
import { writeTempAwsConfig, type TempAwsConfig } from '../aws/test-config';
import { loadWorkflowDocument } from '../arazzo/document';
import type { RunEvent } from '../engine/events';
import { startRun } from '../engine/run';
import { ONBOARD_WORKFLOW_ID } from '../healthimaging/workflows';
import { tempStore } from '../engine/test-support/harness';
import { LogBuilder, seedInputs, successRun } from './__fixtures__/scenarios';
import { buildReport } from './build';
import { readImportResults } from './import-results';
import { REDACTED, redactText, redactValue } from '../redaction/redact';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { renderMarkdown } from './render-markdown';
import { assertNoSecrets, SecretLeakError } from '../redaction/secrets-guard';

const NOW = new Date('2026-04-01T12:00:00.000Z');
const SEED_TEXT = readFileSync(new URL('../../assets/amazon-healthimaging-onboard-datastore-and-import-workflow.yml', import.meta.url), 'utf8');

/** Known test secrets, shaped like the real thing. */
const SESSION_TOKEN =
  'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDx7kV3k1Tq9mZp+example+session+token+that+is+long+AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/AbCdEfGhIjKlMnOpQ==';

function allFormats(events: RunEvent[]): string[] {
  const report = buildReport(events, { now: NOW });
  return [renderJson(report), renderMarkdown(report), renderHtml(report)];
}

/** Records what actually went over the wire: every signature and security token. */
class CapturingHandler extends NodeHttpHandler {
  readonly signatures = new Set<string>();
  readonly tokens = new Set<string>();
  override async handle(request: HttpRequest, options?: Parameters<NodeHttpHandler['handle']>[1]) {
    const auth = request.headers['authorization'] ?? request.headers['Authorization'] ?? '';
    const sig = /Signature=([0-9a-f]{64})/.exec(auth)?.[1];
    if (sig) this.signatures.add(sig);
    const token = request.headers['x-amz-security-token'];
    if (token) this.tokens.add(token);
    return super.handle(request, options);
  }
}

describe('a real run signed with known keys', () => {
  let sandbox: Sandbox;
  let cfg: TempAwsConfig;
  let session: AwsSession;
  let handler: CapturingHandler;
  let events: RunEvent[];
  let rawLog: string;
  const stores: Array<() => void> = [];

  beforeAll(async () => {
    sandbox = await startSandbox({ timeScale: 2000, demoData: true });
    const { accessKeyId, secretAccessKey } = sandbox.credentials;
    cfg = writeTempAwsConfig(
      `[profile proof]\nregion = ${sandbox.region}\nendpoint_url = ${sandbox.url}\n`,
      `[proof]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\naws_session_token = ${SESSION_TOKEN}\n`,
    );
    handler = new CapturingHandler();
    session = await createAwsSession({ profile: 'proof', env: cfg.env, requestHandler: handler });
    await session.identity();

    const { store, dir, cleanup } = tempStore();
    stores.push(cleanup);
    const inputs = {
      datastoreName: 'secrets-proof',
      datastoreClientToken: 'proof-ds-token-1',
      dataAccessRoleArn: sandbox.demo.dataAccessRoleArn,
      importClientToken: 'proof-import-token-1',
      inputS3Uri: sandbox.demo.withErrorsInputS3Uri,
      outputS3Uri: sandbox.demo.outputS3Uri,
    };
    const run = startRun({
      document: loadWorkflowDocument(SEED_TEXT, { binding: session.binding }),
      documentText: SEED_TEXT,
      workflowId: ONBOARD_WORKFLOW_ID,
      inputs,
      binding: session.binding,
      store,
      context: session.describe(),
      polling: { initialDelayMs: 40, multiplier: 1.5, maxDelayMs: 200, stepTimeoutMs: 60_000, errorBudgetMs: 10_000, fastPhaseMs: 0 },
    });
    const ended = await run.done;
    expect(ended.status).toBe('succeeded');
    const results = await readImportResults(
      session.s3,
      { outputS3Uri: inputs.outputS3Uri, datastoreId: String(ended.outputs.datastoreId), jobId: String(ended.outputs.jobId) },
      { delayMs: 100 },
    );
    const logged = await store.read(run.runId);
    await store.append(run.runId, { type: 'import-results', runId: run.runId, seq: logged.length + 1, at: new Date().toISOString(), results });
    events = await store.read(run.runId);
    rawLog = readFileSync(join(dir, run.runId, 'events.ndjson'), 'utf8');
  }, 120_000);

  afterAll(async () => {
    session?.close();
    handler?.destroy();
    await sandbox?.close();
    cfg?.cleanup();
    stores.forEach((f) => f());
  });

  it('really sent signed requests with the session token', () => {
    expect(handler.signatures.size).toBeGreaterThan(5);
    expect([...handler.tokens]).toEqual([SESSION_TOKEN]);
    expect(events.some((e) => e.type === 'import-results' && e.results.state === 'read')).toBe(true);
  });

  it('the report says completed with errors and carries the client tokens', () => {
    const report = buildReport(events, { now: NOW });
    expect(report.outcome.code).toBe('completed_with_errors');
    expect(report.inputs.datastoreClientToken).toBe('proof-ds-token-1');
    expect(report.steps.find((s) => s.stepId === 'startImportJob')?.clientToken).toBe('proof-import-token-1');
  });

  it('neither the run log nor any report format holds the secret key, the session token or a signature', () => {
    const known = [sandbox.credentials.secretAccessKey, SESSION_TOKEN, ...handler.signatures];
    assertNoSecrets(rawLog, known);
    for (const text of allFormats(events)) assertNoSecrets(text, known);
  });
});

describe('logs that would leak are redacted by build and render', () => {
  const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const SIGNATURE = 'fe5f80f77d5fa3beca038a248ff027d0445342fe2855ddc963176630326f1024';
  const presigned = `https://radiology-dicom-input.s3.amazonaws.com/batch.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${FAKE_ACCESS_KEY_ID}%2F20260312%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260312T091500Z&X-Amz-Expires=3600&X-Amz-Security-Token=${encodeURIComponent(SESSION_TOKEN)}&X-Amz-Signature=${SIGNATURE}`;
  const canonicalMessage =
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. ' +
    `The Canonical String for this request should have been\n'POST\n/datastore\n\ncontent-type:application/json\nhost:medical-imaging.us-east-1.amazonaws.com\nx-amz-date:20260312T091500Z\nx-amz-security-token:${SESSION_TOKEN}\n\ncontent-type;host;x-amz-date;x-amz-security-token\n'\n` +
    `The String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20260312T091500Z\n20260312/us-east-1/medical-imaging/aws4_request\n${SIGNATURE}'`;

  function leakyLog(): RunEvent[] {
    const inputs = {
      ...seedInputs('leaky'),
      inputS3Uri: presigned,
      aws_secret_access_key: SECRET,
      sessionToken: SESSION_TOKEN,
      notes: `copied from my shell: export AWS_SECRET_ACCESS_KEY=${SECRET} aws_session_token=${SESSION_TOKEN}`,
    };
    const b = new LogBuilder('run-leaky', '2026-03-12T09:15:00.000Z').runStarted(inputs, { region: 'us-east-1', sandbox: false, profile: 'dev' });
    b.stepStarted('createDatastore', 'CreateDatastore')
      .call('createDatastore', 'CreateDatastore', { datastoreName: 'leaky', clientToken: 'ds-1' }, {
        httpStatus: 403,
        error: { code: 'SignatureDoesNotMatch', message: canonicalMessage },
        clientToken: 'ds-1',
      })
      .stepEnded('createDatastore', 'failed', {
        error: {
          code: 'SignatureDoesNotMatch',
          message: `Authorization: AWS4-HMAC-SHA256 Credential=${FAKE_ACCESS_KEY_ID}/20260312/us-east-1/medical-imaging/aws4_request, SignedHeaders=host;x-amz-date, Signature=${SIGNATURE}`,
          action: `Check aws_secret_access_key = ${SECRET} in ~/.aws/credentials`,
        },
      })
      .runEnded('error', {}, false, { code: 'SignatureDoesNotMatch', message: canonicalMessage })
      .importResults({
        state: 'read',
        numberOfScannedFiles: 1,
        numberOfImportedFiles: 0,
        numberOfFilesWithCustomerError: 1,
        numberOfFilesWithServerError: 0,
        failures: [{ inputFile: presigned, exceptionType: 'X', message: `denied for ${SECRET} with token ${SESSION_TOKEN}` }],
      });
    return b.events;
  }

  it('none of the secrets, tokens or signatures survive, in any format', () => {
    const texts = allFormats(leakyLog());
    for (const text of texts) {
      expect(() => assertNoSecrets(text, [SECRET, SESSION_TOKEN, SIGNATURE])).not.toThrow();
      expect(text).not.toMatch(/Signature=|X-Amz-Security-Token|aws_secret/i);
      expect(text).not.toContain(FAKE_ACCESS_KEY_ID);
    }
  });

  it('keeps what is not secret: client tokens, ids, the readable part of messages', () => {
    const report = buildReport(leakyLog(), { now: NOW });
    expect(report.inputs.datastoreClientToken).toBe(seedInputs().datastoreClientToken);
    expect('aws_secret_access_key' in report.inputs).toBe(false);
    expect('sessionToken' in report.inputs).toBe(false);
    expect(report.error?.message).toContain('The request signature we calculated does not match');
    expect(report.steps[0]!.clientToken).toBe('ds-1');
    expect(String(report.inputs.inputS3Uri)).toContain('https://radiology-dicom-input.s3.amazonaws.com/batch.zip?');
  });

  it('a clean recorded run passes the guard untouched (no false alarms)', () => {
    for (const text of allFormats(successRun())) assertNoSecrets(text, [SECRET, SESSION_TOKEN, SIGNATURE]);
  });
});

describe('redaction rules', () => {
  it.each([
    ['X-Amz-Signature=abcdef0123&x=1', `${REDACTED}&x=1`],
    [`Credential=${FAKE_ACCESS_KEY_ID}/20260312/us-east-1/s3/aws4_request, SignedHeaders=host`, `${REDACTED}, SignedHeaders=host`],
    ['Authorization: AWS4-HMAC-SHA256 whatever\nnext line', `Authorization ${REDACTED}\nnext line`],
    ['aws_secret_access_key = abc/DEF+ghi', REDACTED],
    ['"sessionToken": "FwoGZXIvYXdzE"', `"${REDACTED}"`],
    [`key ${FAKE_ACCESS_KEY_ID} used`, 'key [redacted key id] used'],
    ['secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY here', `secret ${REDACTED} here`],
  ])('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('leaves ordinary report text alone', () => {
    for (const s of [
      's3://radiology-dicom-output/import-results/1b2c3d4e5f60718293a4b5c6d7e8f901-DicomImport-9f8e7d6c5b4a39281706f5e4d3c2b1a0/job-output-manifest.json',
      'arn:aws:iam::123456789012:role/HealthImagingImportRole',
      'c92646e48aa4220b36b2c2c27580c7d0305c44256d26edc6a9d8e728369b9c24',
      '5e0c1a2b-7d3f-4e6a-9b8c-000000000001',
      'Check your AWS Secret Access Key and signing method.',
      `s3://bucket/${'deep/'.repeat(30)}file.dcm`,
    ]) {
      expect(redactText(s)).toBe(s);
    }
  });

  it('drops secret-named keys at any depth but keeps client tokens', () => {
    expect(
      redactValue({ a: { secretAccessKey: 'x', 'X-Amz-Security-Token': 'y', Authorization: 'z', ok: 1 }, importClientToken: 'imp-1', password: 'p' }),
    ).toEqual({ a: { ok: 1 }, importClientToken: 'imp-1' });
  });
});

describe('assertNoSecrets', () => {
  it('finds a known secret, its URL-encoded form and a slice of a long token', () => {
    expect(() => assertNoSecrets('x wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY y', ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'])).toThrow(SecretLeakError);
    expect(() => assertNoSecrets(`q=${encodeURIComponent('a/b+c=d/e+f=g/h')}`, ['a/b+c=d/e+f=g/h'])).toThrow(SecretLeakError);
    expect(() => assertNoSecrets(`…${SESSION_TOKEN.slice(40, 80)}…`, [SESSION_TOKEN])).toThrow(SecretLeakError);
  });

  it('finds credential markers without known secrets, and never echoes the secret', () => {
    expect(() => assertNoSecrets('GET /?X-Amz-Security-Token=abc', [])).toThrow(/session token header/);
    expect(() => assertNoSecrets('..., Signature=00ff', [])).toThrow(/Signature=/);
    expect(() => assertNoSecrets('aws_secret_access_key', [])).toThrow(/aws_secret/);
    try {
      assertNoSecrets('the key is sup3r-s3cret-value', ['sup3r-s3cret-value']);
    } catch (e) {
      expect(String(e)).not.toContain('sup3r-s3cret-value');
    }
  });
});

describe('report keeps HealthImaging values that pass their field rule', () => {
  it('shows a 40-character mixed-case data store name as it is, but still masks markers inside a URI', async () => {
    const { redactValue: rv } = await import('../redaction/redact');
    const name = 'Radiology2026Research4TeamArchive8Xyz123';
    expect(name).toHaveLength(40);
    expect(rv({ datastoreName: name })).toEqual({ datastoreName: name });
    // The same string under a free-text key is treated as a possible secret key.
    expect(rv({ note: name })).toEqual({ note: '[redacted]' });
    const presigned = 's3://bucket/in/?X-Amz-Signature=abcdef0123';
    expect(JSON.stringify(rv({ inputS3Uri: presigned }))).not.toContain('abcdef0123');
  });
});
