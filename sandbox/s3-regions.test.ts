import {
  CreateBucketCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
import { clients, rawRequest } from './test-clients';

let sb: Sandbox;
let c: ReturnType<typeof clients>;
beforeAll(async () => {
  sb = await startSandbox({ manualClock: true });
  c = clients(sb);
});
afterAll(async () => {
  await sb.close();
});

describe('sandbox S3 bucket regions', () => {
  it('CreateBucket with a LocationConstraint puts the bucket in that region; GetBucketLocation and HeadBucket say where', async () => {
    await c.s3.send(new CreateBucketCommand({ Bucket: 'eu-input', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    await c.s3.send(new CreateBucketCommand({ Bucket: 'home-input' }));
    expect((await c.s3.send(new GetBucketLocationCommand({ Bucket: 'eu-input' }))).LocationConstraint).toBe('eu-west-1');
    // us-east-1 is reported as an empty constraint.
    expect((await c.s3.send(new GetBucketLocationCommand({ Bucket: 'home-input' }))).LocationConstraint).toBeUndefined();
    expect((await c.s3.send(new HeadBucketCommand({ Bucket: 'home-input' }))).BucketRegion).toBe('us-east-1');
    const listed = (await c.s3.send(new ListBucketsCommand({}))).Buckets!.find((b) => b.Name === 'eu-input');
    expect(listed!.BucketRegion).toBe('eu-west-1');
  });

  it('a bucket of another region answers listing, reads and writes with 301 PermanentRedirect naming its region', async () => {
    await expect(c.s3.send(new ListObjectsV2Command({ Bucket: 'eu-input' }))).rejects.toMatchObject({
      name: 'PermanentRedirect',
      $metadata: { httpStatusCode: 301 },
      Endpoint: 's3.eu-west-1.amazonaws.com',
    });
    await expect(c.s3.send(new PutObjectCommand({ Bucket: 'eu-input', Key: 'a', Body: 'x' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 301 } });
    await expect(c.s3.send(new HeadBucketCommand({ Bucket: 'eu-input' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 301 } });
    await expect(c.s3.send(new GetBucketLocationCommand({ Bucket: 'no-such-bucket-here' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('refuses constraints S3 refuses, and a second create of an owned bucket outside us-east-1', async () => {
    await expect(c.s3.send(new CreateBucketCommand({ Bucket: 'explicit-east', CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } }))).rejects.toMatchObject({
      name: 'InvalidLocationConstraint',
      message: 'The specified location-constraint is not valid',
    });
    await expect(c.s3.send(new CreateBucketCommand({ Bucket: 'mars', CreateBucketConfiguration: { LocationConstraint: 'mars-north-1' as never } }))).rejects.toMatchObject({
      name: 'InvalidLocationConstraint',
    });
    await c.s3.send(new CreateBucketCommand({ Bucket: 'home-input' })); // us-east-1: 200 to its owner
    await expect(c.s3.send(new CreateBucketCommand({ Bucket: 'eu-input', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }))).rejects.toMatchObject({
      name: 'BucketAlreadyOwnedByYou',
      $metadata: { httpStatusCode: 409 },
    });

    const eu = await startSandbox({ manualClock: true, region: 'eu-west-1', demoData: false });
    try {
      const s3 = clients(eu).s3;
      // The SDK adds the client's region as the constraint outside us-east-1; without one S3 refuses.
      await s3.send(new CreateBucketCommand({ Bucket: 'sdk-constraint' }));
      expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'sdk-constraint' }))).LocationConstraint).toBe('eu-west-1');
      const bare = await rawRequest(eu, { method: 'PUT', path: '/no-constraint', service: 's3', headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
      expect(bare.status).toBe(400);
      expect(bare.text).toContain('<Code>IllegalLocationConstraintException</Code>');
      expect(bare.text).toContain('The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.');
      await expect(s3.send(new CreateBucketCommand({ Bucket: 'wrong', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }))).rejects.toMatchObject({
        name: 'IllegalLocationConstraintException',
      });
      await s3.send(new CreateBucketCommand({ Bucket: 'right', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
      expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'right' }))).LocationConstraint).toBe('eu-west-1');
    } finally {
      await eu.close();
    }
  });

  it('ranged GetObject returns the DICOM preamble and prefix: bytes 0-131 then DICM', async () => {
    const first = (await c.s3.send(new ListObjectsV2Command({ Bucket: sb.demo.bucket, Prefix: 'dicom/', MaxKeys: 1 }))).Contents![0]!;
    const part = await c.s3.send(new GetObjectCommand({ Bucket: sb.demo.bucket, Key: first.Key!, Range: 'bytes=0-135' }));
    expect(part.$metadata.httpStatusCode).toBe(206);
    expect(part.ContentRange).toBe(`bytes 0-135/${first.Size}`);
    const bytes = Buffer.from(await part.Body!.transformToByteArray());
    expect(bytes.length).toBe(136);
    expect(bytes.subarray(128, 132).toString('latin1')).toBe('DICM');
    await c.s3.send(new PutObjectCommand({ Bucket: 'home-input', Key: 'tiny.txt', Body: 'hi' }));
    // A range past a short object's end is cut to what exists, as S3 does.
    const short = await c.s3.send(new GetObjectCommand({ Bucket: 'home-input', Key: 'tiny.txt', Range: 'bytes=0-135' }));
    expect(await short.Body!.transformToString()).toBe('hi');
    await expect(c.s3.send(new GetObjectCommand({ Bucket: 'home-input', Key: 'tiny.txt', Range: 'bytes=500-600' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 416 } });
  });
});
