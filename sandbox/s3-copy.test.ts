/**
 * CopyObject (server-side copies for staging an archive) and ListBuckets' pages, through
 * @aws-sdk/client-s3 against the sandbox, answered as S3 answers them.
 */
import { CopyObjectCommand, CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand, paginateListBuckets, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
import { clients, rawRequest } from './test-clients';

let sb: Sandbox;
let c: ReturnType<typeof clients>;
beforeAll(async () => {
  sb = await startSandbox({ manualClock: true });
  c = clients(sb);
  for (const b of ['copy-src', 'copy-dst']) await c.s3.send(new CreateBucketCommand({ Bucket: b }));
  await c.s3.send(new PutObjectCommand({ Bucket: 'copy-src', Key: 'flat/a b+1.dcm', Body: Buffer.from('first object') }));
});
afterAll(async () => {
  await sb.close();
});

describe('CopyObject', () => {
  it('copies server side, answering the ETag and LastModified of the new object', async () => {
    const out = await c.s3.send(new CopyObjectCommand({ Bucket: 'copy-dst', Key: 'staged/part-0001/a b+1.dcm', CopySource: `copy-src/${encodeURIComponent('flat/a b+1.dcm')}` }));
    const source = await c.s3.send(new HeadObjectCommand({ Bucket: 'copy-src', Key: 'flat/a b+1.dcm' }));
    expect(out.CopyObjectResult?.ETag).toBe(source.ETag);
    expect(out.CopyObjectResult?.LastModified).toBeInstanceOf(Date);
    const got = await c.s3.send(new GetObjectCommand({ Bucket: 'copy-dst', Key: 'staged/part-0001/a b+1.dcm' }));
    expect(await got.Body!.transformToString()).toBe('first object');
    expect(got.ETag).toBe(source.ETag);
  });

  it('answers the wire format S3 does: CopyObjectResult XML with a quoted ETag', async () => {
    const res = await rawRequest(sb, { method: 'PUT', path: '/copy-dst/raw-copy.dcm', service: 's3', headers: { 'x-amz-copy-source': '/copy-src/flat/a%20b%2B1.dcm', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<CopyObjectResult xmlns="http:\/\/s3\.amazonaws\.com\/doc\/2006-03-01\/"><LastModified>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z<\/LastModified><ETag>&quot;[0-9a-f]{32}&quot;<\/ETag><\/CopyObjectResult>$/);
  });

  it('names a missing source key or bucket, a copy onto itself, and a broken copy source as S3 does', async () => {
    await expect(c.s3.send(new CopyObjectCommand({ Bucket: 'copy-dst', Key: 'x', CopySource: 'copy-src/flat/missing.dcm' }))).rejects.toMatchObject({
      name: 'NoSuchKey',
      message: 'The specified key does not exist.',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(c.s3.send(new CopyObjectCommand({ Bucket: 'copy-dst', Key: 'x', CopySource: 'no-such-source/k' }))).rejects.toMatchObject({ name: 'NoSuchBucket', message: 'The specified bucket does not exist' });
    await expect(c.s3.send(new CopyObjectCommand({ Bucket: 'no-such-target', Key: 'x', CopySource: 'copy-src/flat/a b+1.dcm' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
    await expect(c.s3.send(new CopyObjectCommand({ Bucket: 'copy-src', Key: 'flat/a b+1.dcm', CopySource: 'copy-src/flat/a b+1.dcm' }))).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: expect.stringMatching(/^This copy request is illegal because it is trying to copy an object to itself/),
    });
    await expect(c.s3.send(new CopyObjectCommand({ Bucket: 'copy-dst', Key: 'x', CopySource: 'copy-src' }))).rejects.toMatchObject({ name: 'InvalidArgument', message: expect.stringMatching(/sourcebucket\/sourcekey/) });
    // Nothing was written by any of the refused copies.
    await expect(c.s3.send(new HeadObjectCommand({ Bucket: 'copy-dst', Key: 'x' }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('honours x-amz-copy-source-if-match, so a copy takes only the version that was listed', async () => {
    const { ETag } = await c.s3.send(new HeadObjectCommand({ Bucket: 'copy-src', Key: 'flat/a b+1.dcm' }));
    await expect(c.s3.send(new CopyObjectCommand({ Bucket: 'copy-dst', Key: 'if-match', CopySource: 'copy-src/flat/a b+1.dcm', CopySourceIfMatch: '"0123456789abcdef0123456789abcdef"' }))).rejects.toMatchObject({
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 },
    });
    const ok = await c.s3.send(new CopyObjectCommand({ Bucket: 'copy-dst', Key: 'if-match', CopySource: 'copy-src/flat/a b+1.dcm', CopySourceIfMatch: ETag! }));
    expect(ok.CopyObjectResult?.ETag).toBe(ETag);
  });

  it('copies only into a bucket of the sandbox region: another region is 301 PermanentRedirect', async () => {
    await c.s3.send(new CreateBucketCommand({ Bucket: 'eu-copy-target', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await expect(c.s3.send(new CopyObjectCommand({ Bucket: 'eu-copy-target', Key: 'x', CopySource: 'copy-src/flat/a b+1.dcm' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 301 } });
  });
});

describe('ListBuckets pages', () => {
  it('pages with MaxBuckets and a continuation token, every bucket once, with its region; Prefix filters', async () => {
    for (const b of ['page-a', 'page-b', 'page-c']) await c.s3.send(new CreateBucketCommand({ Bucket: b }));
    const all = (await c.s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name!);
    const pages: string[][] = [];
    for await (const page of paginateListBuckets({ client: c.s3, pageSize: 2 }, {})) pages.push(page.Buckets!.map((b) => b.Name!));
    expect(pages.length).toBe(Math.ceil(all.length / 2));
    expect(pages.flat()).toEqual(all);
    const first = await c.s3.send(new ListBucketsCommand({ MaxBuckets: 1 }));
    expect(first.ContinuationToken).toBeTruthy();
    expect(first.Buckets![0]!.BucketRegion).toBe(sb.region);
    const prefixed = await c.s3.send(new ListBucketsCommand({ Prefix: 'page-', MaxBuckets: 10 }));
    expect(prefixed.Buckets!.map((b) => b.Name)).toEqual(['page-a', 'page-b', 'page-c']);
    expect(prefixed.ContinuationToken).toBeUndefined();
    await expect(c.s3.send(new ListBucketsCommand({ MaxBuckets: 0 }))).rejects.toMatchObject({ name: 'InvalidArgument' });
  });
});
