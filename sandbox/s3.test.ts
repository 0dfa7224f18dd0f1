import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, paginateListObjectsV2, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dicomParser from 'dicom-parser';
import { startSandbox, type Sandbox } from './index';
import { DEMO_COUNTS } from './demo-data';
import { clients } from './test-clients';

let sb: Sandbox;
let c: ReturnType<typeof clients>;
beforeAll(async () => {
  sb = await startSandbox({ manualClock: true });
  c = clients(sb);
});
afterAll(async () => {
  await sb.close();
});

describe('the small S3 surface (path style)', () => {
  it('lists the demo set, with folders as common prefixes and pagination', async () => {
    const top = await c.s3.send(new ListObjectsV2Command({ Bucket: sb.demo.bucket, Delimiter: '/' }));
    expect(top.CommonPrefixes!.map((p) => p.Prefix)).toEqual(['dicom-with-errors/', 'dicom/']);
    // Inside a folder: the folders below it, never the folder itself.
    const inner = await c.s3.send(new ListObjectsV2Command({ Bucket: sb.demo.bucket, Prefix: 'dicom/', Delimiter: '/' }));
    expect(inner.CommonPrefixes!.length).toBeGreaterThan(0);
    expect(inner.CommonPrefixes!.every((p) => p.Prefix!.startsWith('dicom/') && p.Prefix !== 'dicom/' && p.Prefix!.split('/').length === 3)).toBe(true);
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: c.s3, pageSize: 7 }, { Bucket: sb.demo.bucket, Prefix: 'dicom/' })) {
      keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    }
    expect(keys).toHaveLength(DEMO_COUNTS.files);
    expect([...keys].sort()).toEqual(keys);
    const buckets = await c.s3.send(new ListBucketsCommand({}));
    expect(buckets.Buckets!.map((b) => b.Name)).toContain(sb.demo.bucket);
  });

  it('serves demo files that are valid DICOM Part 10 with synthetic identities', async () => {
    const listed = await c.s3.send(new ListObjectsV2Command({ Bucket: sb.demo.bucket, Prefix: 'dicom/', MaxKeys: 1 }));
    const obj = await c.s3.send(new GetObjectCommand({ Bucket: sb.demo.bucket, Key: listed.Contents![0]!.Key! }));
    const bytes = await obj.Body!.transformToByteArray();
    const ds = dicomParser.parseDicom(bytes);
    expect(ds.string('x00020010')).toBe('1.2.840.10008.1.2.1');
    expect(ds.string('x00100010')).toMatch(/^SANDBOX\^/);
    expect(ds.string('x0020000d')).toMatch(/^2\.25\.\d+$/);
    expect(ds.uint16('x00280010')).toBe(16);
  });

  it('puts, heads and gets an object, and answers NoSuchKey / NotFound / NoSuchBucket', async () => {
    await c.s3.send(new CreateBucketCommand({ Bucket: 'my-input' }));
    const body = Buffer.from('a'.repeat(100_000));
    const put = await c.s3.send(new PutObjectCommand({ Bucket: 'my-input', Key: 'nested/dir/file name+1.bin', Body: body }));
    expect(put.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const head = await c.s3.send(new HeadObjectCommand({ Bucket: 'my-input', Key: 'nested/dir/file name+1.bin' }));
    expect(head.ContentLength).toBe(body.length);
    const got = await c.s3.send(new GetObjectCommand({ Bucket: 'my-input', Key: 'nested/dir/file name+1.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
    const ranged = await c.s3.send(new GetObjectCommand({ Bucket: 'my-input', Key: 'nested/dir/file name+1.bin', Range: 'bytes=0-9' }));
    expect(await ranged.Body!.transformToString()).toBe('a'.repeat(10));

    await expect(c.s3.send(new GetObjectCommand({ Bucket: 'my-input', Key: 'missing' }))).rejects.toMatchObject({ name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } });
    await expect(c.s3.send(new HeadObjectCommand({ Bucket: 'my-input', Key: 'missing' }))).rejects.toMatchObject({ name: 'NotFound', $metadata: { httpStatusCode: 404 } });
    await expect(c.s3.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('accepts a streamed (aws-chunked) upload', async () => {
    const { Readable } = await import('node:stream');
    const chunks = [Buffer.from('hello '), Buffer.from('streamed '), Buffer.from('world')];
    await c.s3.send(new PutObjectCommand({ Bucket: sb.demo.bucket, Key: 'uploads/stream.txt', Body: Readable.from(chunks), ContentLength: 20 }));
    const got = await c.s3.send(new GetObjectCommand({ Bucket: sb.demo.bucket, Key: 'uploads/stream.txt' }));
    expect(await got.Body!.transformToString()).toBe('hello streamed world');
  });
});
