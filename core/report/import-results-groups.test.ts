/** Failures grouped by type and cause, warnings, and non-primary image sets, from the job's NDJSON files. */
import { describe, expect, it } from 'vitest';
import { findNonPrimary, groupFailures, parseWarningLines } from './import-results';
import { failureCause } from './failure-causes';

const fail = (file: string, exceptionType: string | undefined, message: string) => JSON.stringify({ inputFile: file, exception: { ...(exceptionType ? { exceptionType } : {}), message } });

describe('groupFailures', () => {
  it('groups by exception type and common cause, most frequent first, with the first files of each', () => {
    const lines = [
      ...Array.from({ length: 7 }, (_, i) => fail(`s3://b/in/notdicom-${i}.txt`, 'InvalidInputException', 'Not a valid DICOM Part 10 file: dicomParser.readPart10Header: DICM prefix not found')),
      fail('s3://b/in/a.dcm', 'InvalidInputException', 'Missing required attribute SeriesInstanceUID'),
      fail('s3://b/in/b.dcm', 'InvalidInputException', 'Missing required attribute StudyInstanceUID'),
      fail('s3://b/in/c.dcm', 'AccessDeniedException', 'The data access role cannot read the object'),
      fail('s3://b/in/d.dcm', 'InvalidInputException', 'Unsupported transfer syntax 1.2.840.10008.1.2.4.100'),
      fail('s3://b/in/e.dcm', 'InvalidInputException', 'File size exceeds the maximum allowed'),
      fail('s3://b/in/f.dcm', undefined, 'Something new'),
    ];
    const groups = groupFailures(lines.join('\n') + '\n', false);
    expect(groups[0]).toMatchObject({ type: 'InvalidInputException', count: 7 });
    expect(groups[0]!.examples).toHaveLength(5);
    expect(groups[0]!.examples[0]).toBe('s3://b/in/notdicom-0.txt');
    expect(groups[0]!.fix).toMatch(/DICOM P10/);
    const byFile = (f: string) => groups.find((g) => g.examples.includes(`s3://b/in/${f}`))!;
    // Two messages, one cause: one group.
    expect(byFile('a.dcm')).toBe(byFile('b.dcm'));
    expect(byFile('a.dcm')).toMatchObject({ count: 2, cause: expect.stringMatching(/Series Instance UID/) });
    expect(byFile('c.dcm')).toMatchObject({ type: 'AccessDeniedException', fix: expect.stringMatching(/s3:GetObject/) });
    expect(byFile('d.dcm').fix).toMatch(/transfer syntax/i);
    expect(byFile('e.dcm').cause).toMatch(/larger/);
    expect(byFile('f.dcm')).toMatchObject({ type: 'Unknown', message: 'Something new' });
    expect(byFile('f.dcm').cause).toBeUndefined();
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(lines.length);
  });

  it('drops the line the byte range cut and never counts malformed lines', () => {
    const text = `${fail('s3://b/1.dcm', 'X', 'm')}\nnot json\n${fail('s3://b/2.dcm', 'X', 'm')}\n{"inputFile":"s3://b/3.d`;
    expect(groupFailures(text, true)).toEqual([{ type: 'X', count: 2, examples: ['s3://b/1.dcm', 's3://b/2.dcm'], message: 'm' }]);
  });

  it('a secret in a message never reaches a group', () => {
    const groups = groupFailures(fail('s3://b/x.dcm', 'X', 'signature X-Amz-Signature=abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789 rejected') + '\n', false);
    expect(JSON.stringify(groups)).not.toMatch(/abcdef0123456789abcdef0123456789/);
  });
});

describe('failureCause', () => {
  it('leaves an unknown failure without a made-up cause', () => {
    expect(failureCause('InternalServerException', 'Internal error')).toBeUndefined();
  });
});

describe('parseWarningLines', () => {
  it('reads reason code, type and message, nested or flat', () => {
    const text = [
      JSON.stringify({ inputFile: 's3://b/w1.dcm', warning: { reasonCode: 'W001', warningType: 'ELEMENT_TRUNCATED', message: 'PatientName was truncated' } }),
      JSON.stringify({ inputFile: 's3://b/w2.dcm', reasonCode: 'W002', message: 'Private tags dropped' }),
      JSON.stringify({ inputFile: 's3://b/w3.dcm' }),
    ].join('\n');
    expect(parseWarningLines(text, false)).toEqual([
      { inputFile: 's3://b/w1.dcm', code: 'W001', type: 'ELEMENT_TRUNCATED', message: 'PatientName was truncated' },
      { inputFile: 's3://b/w2.dcm', code: 'W002', message: 'Private tags dropped' },
    ]);
  });
});

describe('findNonPrimary', () => {
  it('collects the instances that went to non-primary image sets, per image set', () => {
    const ok = (f: string, id: string, isPrimary: boolean) => JSON.stringify({ inputFile: f, importResponse: { imageSetId: id, isPrimary } });
    const text = [ok('s3://b/1.dcm', 'p1', true), ok('s3://b/2.dcm', 'np1', false), ok('s3://b/3.dcm', 'np1', false), ok('s3://b/4.dcm', 'np2', false)].join('\n');
    expect(findNonPrimary(text, false)).toEqual([
      { imageSetId: 'np1', count: 2, instances: ['s3://b/2.dcm', 's3://b/3.dcm'] },
      { imageSetId: 'np2', count: 1, instances: ['s3://b/4.dcm'] },
    ]);
  });
});
