import { describe, expect, it } from 'vitest';
import { parseCommand } from './args';
import { UsageError } from './exit-codes';

const usage = (argv: string[]) => {
  try {
    parseCommand(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('parseCommand', () => {
  it('run with every option', () => {
    expect(
      parseCommand(['run', '--inputs', 'in.json', '--profile', 'dev', '--region', 'us-west-2', '--workflow', 'w.yml', '--runs-dir', 'runs', '--report', 'r.json', '--poll-interval', '0.5', '--poll-max-interval', '30', '--timeout', '3600', '--json']),
    ).toEqual({
      kind: 'run',
      inputs: 'in.json',
      settings: { profile: 'dev', region: 'us-west-2', workflow: 'w.yml', runsDir: 'runs', report: 'r.json', pollInterval: 0.5, pollMaxInterval: 30, timeout: 3600, json: true, sandbox: false },
    });
  });

  it('run --sandbox needs no inputs file; run without either is a usage error', () => {
    expect(parseCommand(['run', '--sandbox'])).toMatchObject({ kind: 'run', settings: { sandbox: true } });
    expect(usage(['run'])).toMatch(/--inputs FILE.json/);
  });

  it('names the option and the rule for bad values', () => {
    expect(usage(['run', '--inputs', 'x', '--poll-interval', 'soon'])).toMatch(/--poll-interval must be a positive number of seconds/);
    expect(usage(['run', '--inputs', 'x', '--timeout', '-5'])).toMatch(/--timeout/);
    expect(usage(['run', '--inputs', 'x', '--poll-interval', '10', '--poll-max-interval', '5'])).toMatch(/--poll-max-interval \(5\) must not be smaller/);
    expect(usage(['run', '--inputs', 'x', '--bogus'])).toMatch(/bogus/);
    expect(usage(['run', '--sandbox', '--profile', 'dev'])).toMatch(/--sandbox and --profile/);
  });

  it('import takes --datastore-id and the run settings, but not another workflow', () => {
    expect(parseCommand(['import', '--datastore-id', 'a'.repeat(32), '--inputs', 'in.json', '--profile', 'dev', '--json'])).toEqual({
      kind: 'import',
      datastoreId: 'a'.repeat(32),
      inputs: 'in.json',
      settings: { profile: 'dev', json: true, sandbox: false },
    });
    expect(parseCommand(['import', '--sandbox', '--datastore-id', 'a'.repeat(32)])).toMatchObject({ kind: 'import', settings: { sandbox: true } });
    expect(usage(['import', '--inputs', 'in.json'])).toMatch(/--datastore-id ID/);
    expect(usage(['import', '--datastore-id', 'a'.repeat(32)])).toMatch(/--inputs FILE.json/);
    expect(usage(['import', '--datastore-id', 'a'.repeat(32), '--inputs', 'x', '--workflow', 'w.yml'])).toMatch(/do not apply/);
    expect(usage(['import', '--datastore-id=' + 'a'.repeat(32), '--inputs', 'x', '--workflow-id=x'])).toMatch(/do not apply/);
    expect(parseCommand(['import', '--help'])).toEqual({ kind: 'help', topic: 'import' });
  });

  it('resume takes a run id and the same settings, but not --inputs', () => {
    expect(parseCommand(['resume', 'r-1', '--runs-dir', 'd', '--json'])).toEqual({ kind: 'resume', runId: 'r-1', settings: { runsDir: 'd', json: true, sandbox: false } });
    expect(usage(['resume'])).toMatch(/RUN_ID/);
    expect(usage(['resume', 'r-1', '--inputs', 'x'])).toMatch(/--inputs is not allowed/);
  });

  it('profiles, report, help and unknown commands', () => {
    expect(parseCommand(['profiles'])).toEqual({ kind: 'profiles', json: false });
    expect(parseCommand(['report', 'r-1', '--format', 'md', '-o', 'x.md'])).toEqual({ kind: 'report', runId: 'r-1', format: 'md', output: 'x.md', sandbox: false });
    expect(usage(['report', 'r-1', '--format', 'docx'])).toMatch(/json, html, md, pdf/);
    expect(usage(['report', 'r-1', '--format', 'pdf'])).toMatch(/-o FILE.pdf/);
    expect(parseCommand([])).toEqual({ kind: 'help' });
    expect(parseCommand(['--help'])).toEqual({ kind: 'help' });
    expect(usage(['frobnicate'])).toMatch(/Unknown command "frobnicate"/);
  });
});
