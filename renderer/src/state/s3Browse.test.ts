import { describe, expect, it } from 'vitest';
import { crumbs, entryName, formatBytes, locationOf, objectCountText, oneJobWarning, outputWarning, ROOT, sizeText, stagingWarning } from './s3Browse';

describe('the S3 browser helpers', () => {
  it('opens at the folder a field names, the folder of an object it names, or the bucket list', () => {
    expect(locationOf('s3://demo-bucket/dicom/')).toEqual({ bucket: 'demo-bucket', prefix: 'dicom/' });
    expect(locationOf(' s3://demo-bucket/dicom/a/file.dcm')).toEqual({ bucket: 'demo-bucket', prefix: 'dicom/a/' });
    expect(locationOf('s3://demo-bucket')).toEqual({ bucket: 'demo-bucket', prefix: '' });
    expect(locationOf('s3://demo-bucket/top.dcm')).toEqual({ bucket: 'demo-bucket', prefix: '' });
    for (const bad of ['', 's3://', 'https://demo-bucket/x/', 's3://Bad_Bucket/x/']) expect(locationOf(bad)).toEqual(ROOT);
  });

  it('breadcrumbs lead back to S3, the bucket and every folder above', () => {
    expect(crumbs(ROOT).map((c) => c.text)).toEqual(['S3']);
    const trail = crumbs({ bucket: 'b', prefix: 'dicom/study/' });
    expect(trail.map((c) => c.text)).toEqual(['S3', 'b', 'dicom', 'study']);
    expect(trail.map((c) => c.location.prefix)).toEqual(['', '', 'dicom/', 'dicom/study/']);
    expect(entryName('dicom/study/', 'dicom/')).toBe('study/');
  });

  it('says counts and sizes as the console does, "at least" when counting stopped', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_234_567)).toBe('1.2 MB');
    expect(objectCountText({ objects: 1, atLeast: false })).toBe('1 object');
    expect(objectCountText({ objects: 100_000, atLeast: true })).toBe('At least 100,000 objects');
    expect(sizeText({ bytes: 25_000_000_000, atLeast: true })).toBe('At least 25 GB');
  });

  it('warns when a folder is more than one import job takes', () => {
    expect(oneJobWarning({ objects: 5_000, bytes: 10_000_000_000, atLeast: false })).toBeUndefined();
    expect(oneJobWarning({ objects: 5_001, bytes: 1, atLeast: false })).toMatch(/5,000 files/);
    expect(oneJobWarning({ objects: 3, bytes: 10_000_000_001, atLeast: false })).toMatch(/10 GB/);
  });

  it('warns when the output folder is the input folder or inside it', () => {
    expect(outputWarning({ bucket: 'bkt', prefix: 'in/' }, 's3://bkt/in/')).toMatch(/is the input folder/);
    expect(outputWarning({ bucket: 'bkt', prefix: 'in/out/' }, 's3://bkt/in/')).toMatch(/inside the input folder/);
    expect(outputWarning({ bucket: 'bkt', prefix: 'out/' }, 's3://bkt/in/')).toBeUndefined();
    expect(outputWarning({ bucket: 'other', prefix: 'in/' }, 's3://bkt/in/')).toBeUndefined();
    expect(outputWarning({ bucket: 'bkt', prefix: 'in/' }, '')).toBeUndefined();
  });

  it('warns of a staging folder inside the archive, whose copies would be planned again', () => {
    expect(stagingWarning({ bucket: 'bkt', prefix: 'archive/staged/' }, 's3://bkt/archive/')).toMatch(/inside it/);
    expect(stagingWarning({ bucket: 'bkt', prefix: 'archive/' }, 's3://bkt/archive/')).toMatch(/is the archive/);
    expect(stagingWarning({ bucket: 'bkt', prefix: 'staged/' }, 's3://bkt/archive/')).toBeUndefined();
    expect(stagingWarning({ bucket: 'other', prefix: 'archive/' }, 's3://bkt/archive/')).toBeUndefined();
  });
});
