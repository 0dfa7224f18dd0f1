import { describe, expect, it } from 'vitest';
import { DEFAULT_BATCH_LIMITS, planArchive, PlanInputError } from './plan';

const files = (folder: string, n: number, size = 1_000) => Array.from({ length: n }, (_, i) => ({ key: `${folder}f${String(i).padStart(6, '0')}.dcm`, size }));
const small = { ...DEFAULT_BATCH_LIMITS, maxFiles: 10 };

describe('the batch planner', () => {
  it('takes a whole archive that fits as one job', () => {
    const plan = planArchive('s3://arch/in/', [...files('in/a/', 3), ...files('in/b/c/', 4)], small);
    expect(plan.jobs).toEqual([{ inputS3Uri: 's3://arch/in/', files: 7, bytes: 7_000, folders: 3 }]);
    expect(plan.unsplittable).toEqual([]);
  });

  it('cuts at the highest folders that fit, keeping each folder whole, and covers every file exactly once', () => {
    const objects = [...files('in/p1/s1/', 6), ...files('in/p1/s2/', 3), ...files('in/p2/s1/', 8), ...files('in/p2/s2/', 8), ...files('in/p3/', 2)];
    const plan = planArchive('s3://arch/in/', objects, small);
    expect(plan.jobs.map((j) => [j.inputS3Uri, j.files])).toEqual([
      ['s3://arch/in/p1/', 9],
      ['s3://arch/in/p2/s1/', 8],
      ['s3://arch/in/p2/s2/', 8],
      ['s3://arch/in/p3/', 2],
    ]);
    // Disjoint and complete: every object under exactly one job prefix.
    for (const o of objects) expect(plan.jobs.filter((j) => `s3://arch/${o.key}`.startsWith(j.inputS3Uri))).toHaveLength(1);
    expect(plan.jobs.reduce((n, j) => n + j.files, 0)).toBe(objects.length);
  });

  it('honours the byte and nested-folder limits as well as the file count', () => {
    const bytes = planArchive('s3://arch/', [...files('a/x/', 1, 6e9), ...files('a/y/', 1, 6e9), ...files('b/', 1, 6e9)]);
    expect(bytes.jobs.map((j) => j.inputS3Uri)).toEqual(['s3://arch/a/x/', 's3://arch/a/y/', 's3://arch/b/']);
    expect(bytes.unsplittable).toEqual([]);
    const flatBytes = planArchive('s3://arch/', files('a/', 2, 6e9));
    expect(flatBytes.unsplittable).toEqual([expect.objectContaining({ prefix: 's3://arch/a/', detail: expect.stringMatching(/limit of 10 GB/) })]);
    const deep = Array.from({ length: 6 }, (_, i) => ({ key: `x/d${i}/f.dcm`, size: 1 }));
    const folders = planArchive('s3://arch/', deep, { ...DEFAULT_BATCH_LIMITS, maxFolders: 4 });
    expect(folders.jobs).toHaveLength(6);
  });

  it('reports a flat folder over a limit as unsplittable, naming the limit and the fix', () => {
    const plan = planArchive('s3://arch/in/', [...files('in/flat/', 25), ...files('in/ok/', 4)], small);
    expect(plan.jobs.map((j) => j.inputS3Uri)).toEqual(['s3://arch/in/ok/']);
    expect(plan.unsplittable).toEqual([
      expect.objectContaining({ prefix: 's3://arch/in/flat/', files: 25, reason: 'flat-folder-over-limit', stageable: true, detail: expect.stringMatching(/limit of 10 files.*--stage-to/) }),
    ]);
  });

  it('files beside subfolders of a folder too big for one job need staging; the subfolders are still jobs', () => {
    const plan = planArchive('s3://arch/', [...files('root/', 3), ...files('root/a/', 8), ...files('root/b/', 8)], small);
    expect(plan.jobs.map((j) => j.inputS3Uri)).toEqual(['s3://arch/root/a/', 's3://arch/root/b/']);
    expect(plan.unsplittable).toEqual([expect.objectContaining({ prefix: 's3://arch/root/', files: 3, detail: expect.stringMatching(/beside its subfolders/) })]);
  });

  it('a file over 10 GB cannot be imported by any job and is said so; folder markers are not files', () => {
    const plan = planArchive('s3://arch/', [{ key: 'a/', size: 0 }, { key: 'a/huge.dcm', size: 11e9 }, ...files('a/', 2), ...files('b/', 2)]);
    // The folder holding the huge file is not a job (the file would fail it); its other files need staging.
    expect(plan.jobs).toEqual([expect.objectContaining({ inputS3Uri: 's3://arch/b/', files: 2 })]);
    expect(plan.unsplittable).toEqual([
      expect.objectContaining({ prefix: 's3://arch/a/', files: 1, reason: 'file-over-limit', stageable: false }),
      expect.objectContaining({ prefix: 's3://arch/a/', files: 2, reason: 'flat-folder-over-limit', stageable: true, detail: expect.stringMatching(/beside a file too large to import/) }),
    ]);
    expect(plan.totals.files).toBe(5);
  });

  it('refuses a prefix that is not a folder and limits that make no sense', () => {
    expect(() => planArchive('s3://arch/in', [])).toThrow(PlanInputError);
    expect(() => planArchive('https://arch/in/', [])).toThrow(/S3 URI/);
    expect(() => planArchive('s3://arch/', [], { ...DEFAULT_BATCH_LIMITS, maxFiles: 0 })).toThrow(/maxFiles must be a whole number/);
    expect(() => planArchive('s3://arch/', [], { ...DEFAULT_BATCH_LIMITS, maxBytes: 11e9 })).toThrow(/not adjustable/);
  });
});
