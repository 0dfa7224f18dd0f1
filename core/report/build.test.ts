/**
 * buildReport and the renderers on logs the goldens do not cover: a pause for credentials, a
 * resume after a run-ended, a status that oscillates thousands of times, hostile text from the
 * service, a log without run-started.
 */
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../engine/events';
import { DATASTORE_ID, JOB_ID, LogBuilder, seedInputs } from './__fixtures__/scenarios';
import { buildReport, ReportInputError } from './build';
import { formatDuration } from './format';
import { renderHtml } from './render-html';
import { renderJson } from './render-json';
import { mdCode, mdText, renderMarkdown } from './render-markdown';
import schema from './report.schema.json';

const NOW = new Date('2026-04-01T12:00:00.000Z');
const CONTEXT = { region: 'eu-west-2', sandbox: false, profile: 'ops' };
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);
const valid = (events: RunEvent[]) => {
  const ok = validate(JSON.parse(renderJson(buildReport(events, { now: NOW }))));
  expect(validate.errors ?? []).toEqual([]);
  return ok;
};

function started(name = 'edge-cases') {
  const inputs = seedInputs(name);
  return { b: new LogBuilder('run-edge', '2026-03-20T10:00:00.000Z').runStarted(inputs, CONTEXT).create(inputs), inputs };
}

describe('buildReport on unusual logs', () => {
  it('refuses a log without run-started, naming the problem', () => {
    expect(() => buildReport([])).toThrow(ReportInputError);
    expect(() => buildReport([])).toThrow(/no run-started event/);
  });

  it('a run paused for credentials and never continued is interrupted, and says why', () => {
    const { b } = started();
    b.pollDatastore(2, 'CREATING').emit(
      {
        type: 'run-paused',
        stepId: 'pollDatastore',
        reason: 'credentials-expired',
        error: { code: 'CredentialsExpired', message: 'The SSO session for profile ops has expired.', action: 'Run: aws sso login --profile ops' },
      },
      5,
    );
    const r = buildReport(b.events, { now: NOW });
    expect(r.status).toBe('interrupted');
    expect(r.outcome.summary).toContain('paused at step pollDatastore');
    expect(r.error).toMatchObject({ code: 'CredentialsExpired', action: 'Run: aws sso login --profile ops' });
    expect(r.pauses).toEqual([{ at: expect.any(String), stepId: 'pollDatastore', reason: 'credentials-expired', message: 'The SSO session for profile ops has expired.' }]);
    expect(valid(b.events)).toBe(true);
  });

  it('a pause that was continued is listed with its continuation and does not make the run interrupted', () => {
    const { b } = started();
    b.pollDatastore(1, 'CREATING')
      .emit({ type: 'run-paused', stepId: 'pollDatastore', reason: 'credentials-expired', error: { code: 'CredentialsExpired', message: 'expired' } }, 5)
      .emit({ type: 'run-continued', stepId: 'pollDatastore' }, 60_000)
      .call('pollDatastore', 'GetDatastore', { datastoreId: DATASTORE_ID }, { observedStatus: 'ACTIVE' })
      .stepEnded('pollDatastore', 'succeeded', { action: { type: 'goto', name: 'datastoreActive', stepId: 'startImportJob' } })
      .runEnded('cancelled', { datastoreId: DATASTORE_ID }, true);
    const r = buildReport(b.events, { now: NOW });
    expect(r.status).toBe('cancelled');
    expect(r.pauses[0]!.continuedAt).toBeDefined();
    expect(r.steps.find((s) => s.stepId === 'startImportJob')!.status).toBe('not_run');
  });

  it('a resume after a run-ended reopens the run: the earlier end is not the result', () => {
    const { b } = started();
    b.pollDatastore(1, 'CREATING')
      .runEnded('timed_out', { datastoreId: DATASTORE_ID }, true, { code: 'DeadlineExceeded', message: 'pollDatastore passed its deadline' })
      .emit({ type: 'run-resumed', stepId: 'pollDatastore', reason: 'resume requested' }, 1000);
    const resumed = buildReport(b.events, { now: NOW });
    expect(resumed.status).toBe('interrupted');
    expect(resumed.endedAt).toBeUndefined();
    b.stepStarted('pollDatastore', 'GetDatastore')
      .call('pollDatastore', 'GetDatastore', { datastoreId: DATASTORE_ID }, { observedStatus: 'ACTIVE' })
      .stepEnded('pollDatastore', 'succeeded', { action: { type: 'goto', stepId: 'startImportJob' } })
      .startImport(seedInputs('edge-cases'))
      .pollJob([['COMPLETED', 1]])
      .stepEnded('pollImportJob', 'succeeded', { action: { type: 'end', name: 'jobCompleted' } })
      .runEnded('succeeded', { datastoreId: DATASTORE_ID, jobId: JOB_ID, jobStatus: 'COMPLETED' }, false);
    const done = buildReport(b.events, { now: NOW });
    expect(done.status).toBe('succeeded');
    expect(done.resumes).toHaveLength(1);
    expect(done.steps.find((s) => s.stepId === 'pollDatastore')!.observedStatusesText).toBe('CREATING x2 -> ACTIVE');
  });

  it('bounds a status sequence that flips thousands of times, and says how much was left out', () => {
    const { b } = started();
    b.stepStarted('pollDatastore', 'GetDatastore');
    for (let i = 0; i < 3000; i++) b.call('pollDatastore', 'GetDatastore', { datastoreId: DATASTORE_ID }, { observedStatus: i % 2 ? 'CREATING' : 'UPDATING' });
    const r = buildReport(b.events, { now: NOW });
    const step = r.steps.find((s) => s.stepId === 'pollDatastore')!;
    expect(step.observedStatuses).toHaveLength(24);
    expect(step.observedStatusesOmitted).toBe(3000 - 24);
    expect(step.observedStatusesText).toContain(`... (${3000 - 24} more changes) ...`);
    expect(r.apiCalls.notable.length).toBeLessThanOrEqual(60);
    expect(Buffer.byteLength(renderHtml(r))).toBeLessThan(200 * 1024);
    expect(valid(b.events)).toBe(true);
  });

  it('counts network failures (HTTP 0) as transient errors with their own code', () => {
    const { b } = started();
    b.stepStarted('pollDatastore', 'GetDatastore')
      .call('pollDatastore', 'GetDatastore', { datastoreId: DATASTORE_ID }, { httpStatus: 0, error: { code: 'NetworkError', message: 'socket hang up' }, noRequestId: true })
      .call('pollDatastore', 'GetDatastore', { datastoreId: DATASTORE_ID }, { httpStatus: 500, error: { code: 'InternalServerException', message: 'oops' } });
    const step = buildReport(b.events, { now: NOW }).steps.find((s) => s.stepId === 'pollDatastore')!;
    expect(step.transientErrors).toBe(2);
    expect(step.errors.map((e) => [e.code, e.count])).toEqual([
      ['NetworkError', 1],
      ['InternalServerException', 1],
    ]);
    expect(step.requestIds.total).toBe(1);
  });
});

describe('hostile text from the service or the user', () => {
  const evil = `<script>alert(1)</script><img src=x onerror=alert(2)> [click](https://evil.example/) "quotes" & 'apostrophes' | pipes \`ticks\``;

  function evilLog(): RunEvent[] {
    const inputs = { ...seedInputs('evil'), datastoreName: `x"><svg onload=alert(3)>`, jobName: evil };
    const b = new LogBuilder('run-evil', '2026-03-20T10:00:00.000Z').runStarted(inputs, CONTEXT);
    b.stepStarted('createDatastore', 'CreateDatastore')
      .call('createDatastore', 'CreateDatastore', {}, { httpStatus: 400, error: { code: `Validation<b>`, message: evil } })
      .stepEnded('createDatastore', 'failed', { error: { code: 'ValidationException', message: evil, action: evil } })
      .runEnded('failed', {}, false, { code: 'ValidationException', message: evil, action: evil })
      .importResults({ state: 'read', numberOfFilesWithCustomerError: 1, failures: [{ inputFile: evil, exceptionType: evil, message: evil }] });
    return b.events;
  }

  it('HTML escapes everything: no tag, attribute or link can be injected', () => {
    const html = renderHtml(buildReport(evilLog(), { now: NOW }));
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<svg onload/i);
    expect(html).not.toContain('href="https://evil.example');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('x&quot;&gt;&lt;svg onload=alert(3)&gt;');
  });

  it('Markdown escapes free text so it cannot become a link, an image or a table cell break', () => {
    const md = renderMarkdown(buildReport(evilLog(), { now: NOW }));
    // Code spans show their text literally; outside them nothing may be live Markdown or HTML.
    const outsideCode = md.replace(/(`+)[\s\S]*?\1/g, '');
    expect(outsideCode).not.toContain('[click](');
    expect(outsideCode).not.toMatch(/(^|[^\\])<(script|img)/);
    expect(md).toContain('\\[click\\]');
    // Every table row keeps its number of cells despite the pipes in the text.
    for (const row of md.split('\n').filter((l) => l.startsWith('| Import job name'))) {
      expect(row.replace(/\\\|/g, '').split('|').length).toBe(4);
    }
    expect(mdText('a | b')).toBe('a \\| b');
    expect(mdCode('has `tick` | pipe')).toBe('``has `tick` \\| pipe``');
  });
});

describe('formatDuration', () => {
  it.each([
    [412, '412 ms'],
    [2400, '2.4 s'],
    [42_000, '42 s'],
    [162_244, '2 min 42 s'],
    [360_000, '6 min'],
    [88_620_000, '24 h 37 min'],
    [4 * 86_400_000 + 3_600_000, '4 d 1 h 0 min'],
  ])('%d ms -> %s', (msec, text) => expect(formatDuration(msec)).toBe(text));
});

describe('console links', () => {
  const withContext = (context: typeof CONTEXT & { endpoint?: string }) => {
    const inputs = seedInputs('links');
    const b = new LogBuilder('run-links', '2026-03-20T10:00:00.000Z').runStarted(inputs, context).create(inputs);
    return buildReport(b.events, { now: NOW }).links;
  };

  it('links the data store in the AWS console for an AWS endpoint, VPC endpoints included', () => {
    expect(withContext(CONTEXT).datastoreConsole).toContain(`eu-west-2.console.aws.amazon.com/medical-imaging/home?region=eu-west-2#/data-stores/${DATASTORE_ID}`);
    expect(withContext({ ...CONTEXT, endpoint: 'https://vpce-1.medical-imaging.eu-west-2.vpce.amazonaws.com' }).datastoreConsole).toBeDefined();
  });

  it('gives no console links for a run behind a custom non-AWS endpoint: the console would not know it', () => {
    const links = withContext({ ...CONTEXT, endpoint: 'http://127.0.0.1:4566' });
    expect(links.datastoreConsole).toBeUndefined();
    expect(links.docs.length).toBeGreaterThan(0);
  });
});
