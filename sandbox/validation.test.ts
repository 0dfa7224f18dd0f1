import {
  CreateDatastoreCommand,
  GetDatastoreCommand,
  GetDICOMImportJobCommand,
  ListDatastoresCommand,
  ListDICOMImportJobsCommand,
  ListTagsForResourceCommand,
  StartDICOMImportJobCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-medical-imaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
import { clients, rawRequest } from './test-clients';

let sb: Sandbox;
let c: ReturnType<typeof clients>;
let storeId: string;
beforeAll(async () => {
  sb = await startSandbox({ manualClock: true });
  c = clients(sb);
  storeId = (await c.mi.send(new CreateDatastoreCommand({ datastoreName: 'validation' }))).datastoreId!;
  sb.clock.advance(120_000);
});
afterAll(async () => {
  await sb.close();
});

async function expectInvalid(p: Promise<unknown>, field: string, rule: string) {
  const err = await p.then(
    () => {
      throw new Error(`expected ValidationException for ${field}`);
    },
    (e: unknown) => e as { name: string; message: string; $metadata: { httpStatusCode: number } },
  );
  expect(err.name).toBe('ValidationException');
  expect(err.$metadata.httpStatusCode).toBe(400);
  expect(err.message).toContain(`at '${field}'`);
  expect(err.message).toContain(rule);
}

const role = 'arn:aws:iam::123456789012:role/ImportRole';
const good = () => ({
  datastoreId: storeId,
  dataAccessRoleArn: role,
  inputS3Uri: 's3://healthimaging-sandbox-demo/dicom/',
  outputS3Uri: 's3://healthimaging-sandbox-demo/output/',
});

describe('CreateDatastore field rules', () => {
  const create = (input: Record<string, unknown>) => c.mi.send(new CreateDatastoreCommand(input as never));
  it.each([
    ['datastoreName', { datastoreName: '' }, 'length greater than or equal to 1'],
    ['datastoreName', { datastoreName: 'a'.repeat(257) }, 'length less than or equal to 256'],
    ['datastoreName', { datastoreName: 'has space' }, 'regular expression pattern'],
    ['clientToken', { clientToken: 'bad token!' }, 'regular expression pattern'],
    ['clientToken', { clientToken: 'x'.repeat(65) }, 'length less than or equal to 64'],
    ['kmsKeyArn', { kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:nope' }, 'regular expression pattern'],
    ['lambdaAuthorizerArn', { lambdaAuthorizerArn: 'arn:aws:lambda:us-east-1:123:function:x' }, 'regular expression pattern'],
    ['losslessStorageFormat', { losslessStorageFormat: 'PNG' }, 'enum value set'],
    ['tags.key', { tags: { 'aws:reserved': 'x' } }, 'regular expression pattern'],
    ['tags.k', { tags: { k: 'v'.repeat(257) } }, 'length less than or equal to 256'],
  ])('%s: %j', async (field, input, rule) => {
    await expectInvalid(create(input), field, rule);
  });

  it('accepts every optional field when valid', async () => {
    const out = await create({
      datastoreName: 'all.fields/#-_',
      kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/12345678-1234-1234-1234-123456789012',
      lambdaAuthorizerArn: 'arn:aws:lambda:us-east-1:123456789012:function:auth',
      losslessStorageFormat: 'JPEG_2000_LOSSLESS',
      tags: { team: 'imaging' },
    });
    const got = await c.mi.send(new GetDatastoreCommand({ datastoreId: out.datastoreId! }));
    expect(got.datastoreProperties).toMatchObject({ losslessStorageFormat: 'JPEG_2000_LOSSLESS', kmsKeyArn: expect.stringContaining(':key/') });
  });

  it('reports every violation at once', async () => {
    const err = await create({ datastoreName: 'bad name', losslessStorageFormat: 'X' }).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^2 validation errors detected: .*datastoreName.*losslessStorageFormat/);
  });

  it('clientToken is required on the wire (the SDK fills it; a raw request without it is refused)', async () => {
    const res = await rawRequest(sb, { method: 'POST', path: '/datastore', headers: { 'content-type': 'application/json' }, body: '{"datastoreName":"x"}' });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(JSON.parse(res.text).message).toContain("at 'clientToken' failed to satisfy constraint: Member must not be null");
  });
});

describe('StartDICOMImportJob field rules', () => {
  const start = (over: Record<string, unknown>) => c.mi.send(new StartDICOMImportJobCommand({ ...good(), ...over } as never));
  it.each([
    ['datastoreId', { datastoreId: 'short' }, 'length greater than or equal to 32'],
    ['datastoreId', { datastoreId: 'A'.repeat(32) }, 'regular expression pattern'],
    ['jobName', { jobName: 'no spaces allowed' }, 'regular expression pattern'],
    ['jobName', { jobName: 'j'.repeat(65) }, 'length less than or equal to 64'],
    ['dataAccessRoleArn', { dataAccessRoleArn: 'arn:aws:iam::123:role/x' }, 'regular expression pattern'],
    ['dataAccessRoleArn', { dataAccessRoleArn: 'arn:aws:iam::1:r' }, 'length greater than or equal to 20'],
    ['dataAccessRoleArn', { dataAccessRoleArn: undefined }, 'must not be null'],
    ['inputS3Uri', { inputS3Uri: 'https://bucket/x' }, 'regular expression pattern'],
    ['inputS3Uri', { inputS3Uri: 's3://UPPER/x' }, 'regular expression pattern'],
    ['inputS3Uri', { inputS3Uri: undefined }, 'must not be null'],
    ['outputS3Uri', { outputS3Uri: `s3://bucket/${'k'.repeat(1024)}` }, 'length less than or equal to 1024'],
    ['outputS3Uri', { outputS3Uri: undefined }, 'must not be null'],
    ['inputOwnerAccountId', { inputOwnerAccountId: '12345' }, 'length greater than or equal to 12'],
    ['inputOwnerAccountId', { inputOwnerAccountId: '12345678901a' }, 'regular expression pattern'],
    ['clientToken', { clientToken: 'spaces are bad' }, 'regular expression pattern'],
  ])('%s: %j', async (field, over, rule) => {
    await expectInvalid(start(over), field, rule);
  });

  it('a well-formed but unknown datastoreId is ResourceNotFoundException (404)', async () => {
    await expect(start({ datastoreId: 'f'.repeat(32) })).rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });
});

describe('read and list operations', () => {
  it.each([
    ['GetDatastore datastoreId', () => c.mi.send(new GetDatastoreCommand({ datastoreId: 'not-an-id' })), 'datastoreId', 'length greater than or equal to 32'],
    ['GetDICOMImportJob jobId', () => c.mi.send(new GetDICOMImportJobCommand({ datastoreId: storeId, jobId: 'UPPER' })), 'jobId', 'regular expression pattern'],
    ['GetDICOMImportJob jobId length', () => c.mi.send(new GetDICOMImportJobCommand({ datastoreId: storeId, jobId: 'a'.repeat(33) })), 'jobId', 'length less than or equal to 32'],
    ['ListDatastores maxResults 0', () => c.mi.send(new ListDatastoresCommand({ maxResults: 0 })), 'maxResults', 'greater than or equal to 1'],
    ['ListDatastores maxResults 51', () => c.mi.send(new ListDatastoresCommand({ maxResults: 51 })), 'maxResults', 'less than or equal to 50'],
    ['ListDatastores status', () => c.mi.send(new ListDatastoresCommand({ datastoreStatus: 'READY' as never })), 'datastoreStatus', 'enum value set'],
    ['ListDatastores nextToken', () => c.mi.send(new ListDatastoresCommand({ nextToken: 'garbage' })), 'nextToken', 'token returned by a previous call'],
    ['ListDICOMImportJobs status', () => c.mi.send(new ListDICOMImportJobsCommand({ datastoreId: storeId, jobStatus: 'DONE' as never })), 'jobStatus', 'enum value set'],
    ['ListDICOMImportJobs maxResults', () => c.mi.send(new ListDICOMImportJobsCommand({ datastoreId: storeId, maxResults: 100 })), 'maxResults', 'less than or equal to 50'],
  ])('%s', async (_name, call, field, rule) => {
    await expectInvalid(call(), field, rule);
  });

  it('an unknown job is ResourceNotFoundException', async () => {
    await expect(c.mi.send(new GetDICOMImportJobCommand({ datastoreId: storeId, jobId: 'abc123' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('tag operations', () => {
  const arn = () => `arn:aws:medical-imaging:${sb.region}:${sb.accountId}:datastore/${storeId}`;
  it('validates the resource ARN, tag keys and values', async () => {
    await expectInvalid(c.mi.send(new TagResourceCommand({ resourceArn: 'arn:aws:s3:::bucket', tags: { a: 'b' } })), 'resourceArn', 'regular expression pattern');
    await expectInvalid(c.mi.send(new TagResourceCommand({ resourceArn: arn(), tags: { 'aws:x': 'b' } })), 'tags.key', 'regular expression pattern');
    await expectInvalid(c.mi.send(new TagResourceCommand({ resourceArn: arn(), tags: { ['k'.repeat(129)]: 'b' } })), 'tags.key', 'length less than or equal to 128');
    await expectInvalid(c.mi.send(new UntagResourceCommand({ resourceArn: arn(), tagKeys: ['aws:x'] })), 'tagKeys.1.member', 'regular expression pattern');
  });

  it('tags, lists and untags a data store through its percent-encoded ARN', async () => {
    await c.mi.send(new TagResourceCommand({ resourceArn: arn(), tags: { team: 'imaging', env: 'sandbox', 'a/b:c': '' } }));
    await c.mi.send(new UntagResourceCommand({ resourceArn: arn(), tagKeys: ['env', 'missing'] }));
    const listed = await c.mi.send(new ListTagsForResourceCommand({ resourceArn: arn() }));
    expect(listed.tags).toEqual({ team: 'imaging', 'a/b:c': '' });
  });

  it('an ARN of a store that does not exist is ResourceNotFoundException', async () => {
    const other = `arn:aws:medical-imaging:${sb.region}:${sb.accountId}:datastore/${'0'.repeat(32)}`;
    await expect(c.mi.send(new ListTagsForResourceCommand({ resourceArn: other }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
