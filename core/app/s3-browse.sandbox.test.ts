/**
 * S3 browsing through the session's real S3 client against the sandbox: every bucket over pages
 * with its region, one folder level a page at a time, and a folder's counts (capped, cancellable).
 * Bad names are refused before anything is sent.
 */
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { DEMO_COUNTS } from '../../sandbox/demo-data';
import { clients } from '../../sandbox/test-clients';
import { createAwsSession, type AwsSession } from '../aws/session';
import { AwsFaultError } from '../aws/errors';
import { listBuckets, listPrefix, prefixSummary, S3BrowseInputError } from './s3-browse';
import { sandboxTarget } from './sandbox-host';

let sandbox: Sandbox;
let session: AwsSession;
const requests: string[] = [];
const sent = (op: string) => requests.filter((l) => l.includes(`:${op} `)).length;

beforeAll(async () => {
  sandbox = await startSandbox({ manualClock: true, demoData: true, log: (l) => requests.push(l) });
  session = await createAwsSession({ sandbox: sandboxTarget(sandbox), env: {} });
  const sdk = clients(sandbox);
  await sdk.s3.send(new CreateBucketCommand({ Bucket: 'browse-flat' }));
  await sdk.s3.send(new CreateBucketCommand({ Bucket: 'browse-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
  for (let i = 0; i < 25; i++) await sdk.s3.send(new PutObjectCommand({ Bucket: 'browse-flat', Key: `flat/f${String(i).padStart(2, '0')}.dcm`, Body: Buffer.alloc(100 + i) }));
  await sdk.s3.send(new PutObjectCommand({ Bucket: 'browse-flat', Key: 'flat/sub/inner.dcm', Body: Buffer.alloc(7) }));
  sdk.s3.destroy();
}, 60_000);
afterAll(async () => {
  session?.close();
  await sandbox?.close();
});

describe('S3 browsing', () => {
  it('lists every bucket over all pages of ListBuckets, by name, each with its region', async () => {
    const before = sent('ListBuckets');
    const buckets = await listBuckets(session, { pageSize: 1 });
    expect(buckets.map((b) => b.name)).toEqual(['browse-eu', 'browse-flat', sandbox.demo.bucket].sort());
    // One page per bucket, plus none: the last page carries no continuation token.
    expect(sent('ListBuckets') - before).toBe(3);
    expect(Object.fromEntries(buckets.map((b) => [b.name, b.region]))).toEqual({ 'browse-eu': 'eu-west-1', 'browse-flat': sandbox.region, [sandbox.demo.bucket]: sandbox.region });
    expect(buckets[0]!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('shows one folder level: subfolders as prefixes, then objects, and walks down to the demo files', async () => {
    const top = await listPrefix(session, { bucket: sandbox.demo.bucket, prefix: '' });
    expect(top.folders).toEqual(['dicom-with-errors/', 'dicom/']);
    expect(top.objects).toEqual([]);
    expect(top.nextToken).toBeUndefined();
    // Down the first folder of every level until objects show: the demo's files sit in series folders.
    let at = await listPrefix(session, { bucket: sandbox.demo.bucket, prefix: 'dicom/' });
    while (at.objects.length === 0) {
      expect(at.folders.length).toBeGreaterThan(0);
      expect(at.folders.every((f) => f.startsWith(at.prefix) && f.endsWith('/'))).toBe(true);
      at = await listPrefix(session, { bucket: sandbox.demo.bucket, prefix: at.folders[0]! });
    }
    expect(at.objects[0]).toEqual({ key: expect.stringMatching(new RegExp(`^${at.prefix}`)), size: expect.any(Number), lastModified: expect.stringMatching(/Z$/) });
  });

  it('pages a flat folder with the continuation token, every entry once', async () => {
    const keys: string[] = [];
    const folders: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await listPrefix(session, { bucket: 'browse-flat', prefix: 'flat/', pageSize: 10, ...(token ? { continuationToken: token } : {}) });
      keys.push(...page.objects.map((o) => o.key));
      folders.push(...page.folders);
      token = page.nextToken;
      pages++;
    } while (token);
    // 26 entries (25 files and one subfolder) in pages of 10.
    expect(pages).toBe(3);
    expect(keys).toHaveLength(25);
    expect(new Set(keys).size).toBe(25);
    expect(folders).toEqual(['flat/sub/']);
  });

  it('counts the objects and bytes under a folder at every depth', async () => {
    const demo = await prefixSummary(session, { bucket: sandbox.demo.bucket, prefix: 'dicom/' });
    expect(demo).toMatchObject({ objects: DEMO_COUNTS.files, atLeast: false, listCalls: 1 });
    expect(demo.bytes).toBeGreaterThan(DEMO_COUNTS.files * 128);
    const flat = await prefixSummary(session, { bucket: 'browse-flat', prefix: 'flat/' });
    expect(flat).toMatchObject({ objects: 26, bytes: 25 * 100 + (24 * 25) / 2 + 7, atLeast: false, listCalls: 1 });
  });

  it('stops at the cap and says "at least"; an abort stops it between pages', async () => {
    const capped = await prefixSummary(session, { bucket: 'browse-flat', prefix: 'flat/', cap: 10 });
    // Pages of the cap's size: one page, and more behind it.
    expect(capped).toMatchObject({ objects: 10, atLeast: true, listCalls: 1 });

    const controller = new AbortController();
    const before = sent('ListObjectsV2');
    const progress: number[] = [];
    const counting = prefixSummary(session, { bucket: 'browse-flat', prefix: 'flat/', pageSize: 10 }, { signal: controller.signal, onProgress: (s) => (progress.push(s.objects), controller.abort(new Error('closed'))) });
    await expect(counting).rejects.toThrow('closed');
    expect(progress).toEqual([10]);
    expect(sent('ListObjectsV2') - before, requests.slice(-4).join('\n')).toBe(1);
  });

  it('refuses a bad bucket name or a prefix that is not a folder before sending anything', async () => {
    const before = requests.length;
    await expect(listPrefix(session, { bucket: 'Bad_Bucket', prefix: '' })).rejects.toThrow(/^bucket must be an S3 bucket name/);
    await expect(listPrefix(session, { bucket: 'browse-flat', prefix: 'flat' })).rejects.toBeInstanceOf(S3BrowseInputError);
    await expect(prefixSummary(session, { bucket: 'browse-flat', prefix: '/flat/' })).rejects.toThrow(/^prefix must be a folder prefix/);
    expect(requests.length).toBe(before);
  });

  it('a bucket of another region or one that does not exist comes back as a classified AWS fault', async () => {
    const eu = listPrefix(session, { bucket: 'browse-eu', prefix: '' });
    await expect(eu).rejects.toBeInstanceOf(AwsFaultError);
    await expect(prefixSummary(session, { bucket: 'no-such-bucket-here', prefix: '' })).rejects.toMatchObject({ classification: { code: 'NoSuchBucket' } });
  });
});
