/**
 * The sandbox keeps S3 objects as files, so some keys cannot coexist (`a` and `a/b`) and a key
 * segment cannot exceed a file name. Such a PUT gets a clear 400 in S3's XML shape, never a 500,
 * and a failed write leaves no temp file and no folder behind.
 */
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
import { clients } from './test-clients';

const BUCKET = 'conflicts';
let dataDir: string;
let sb: Sandbox;
let c: ReturnType<typeof clients>;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ahi-sb-writes-'));
  sb = await startSandbox({ manualClock: true, demoData: false, dataDir });
  c = clients(sb);
  await c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await c.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'folder/inside.txt', Body: 'a' }));
  await c.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'file.txt', Body: 'b' }));
});
afterAll(async () => {
  await sb.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Every file and folder under the S3 root, relative to it. */
function everything(): string[] {
  const root = join(dataDir, 's3');
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .map((e) => `${relative(root, join(e.parentPath, e.name))}${e.isDirectory() ? '/' : ''}`)
    .sort();
}

const put = (Key: string, Body = 'x') => c.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));

describe('a PUT the folders cannot hold', () => {
  it('onto a key that is a folder: 400 InvalidArgument naming the key', async () => {
    const before = everything();
    await expect(put('folder')).rejects.toMatchObject({
      name: 'InvalidArgument',
      $metadata: { httpStatusCode: 400 },
      message: "The sandbox keeps objects as files: 'folder' cannot be an object while other keys start with 'folder/'.",
      Key: 'folder',
    });
    expect(everything()).toEqual(before);
  });

  it('under a key that is an object: 400 InvalidArgument, and no folder is left behind', async () => {
    const before = everything();
    await expect(put('file.txt/below/deeper.txt')).rejects.toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
    await expect(put('folder/new/sub/file.txt/x')).resolves.toBeTruthy(); // a control: this one fits
    await expect(put('folder/new/sub/file.txt/x/y')).rejects.toMatchObject({ name: 'InvalidArgument' });
    expect(everything()).toEqual([...before, 'conflicts/folder/new/', 'conflicts/folder/new/sub/', 'conflicts/folder/new/sub/file.txt/', 'conflicts/folder/new/sub/file.txt/x'].sort());
  });

  it('with a segment longer than a file name: 400 KeyTooLongError; the temp file (written before the rename failed) is removed', async () => {
    const before = everything();
    await expect(put(`deep/${'n'.repeat(300)}/k.txt`)).rejects.toMatchObject({ name: 'KeyTooLongError', $metadata: { httpStatusCode: 400 } });
    await expect(put(`long-${'n'.repeat(300)}.txt`)).rejects.toMatchObject({ name: 'KeyTooLongError', $metadata: { httpStatusCode: 400 } });
    expect(everything()).toEqual(before);
  });

  it('leaves the bucket listing as it was, and the temp folder empty', async () => {
    const listed = await c.s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(listed.Contents!.map((o) => o.Key)).toEqual(['file.txt', 'folder/inside.txt', 'folder/new/sub/file.txt/x']);
    expect(everything().filter((p) => p.startsWith('.tmp/') && p !== '.tmp/')).toEqual([]);
  });
});
