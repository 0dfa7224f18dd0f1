import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index';
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

describe('sandbox KMS DescribeKey (awsJson1_1)', () => {
  it('describes a key it knows by id, ARN, alias name and alias ARN', async () => {
    const arn = sb.kms.addKey({ description: 'imaging', alias: 'imaging-key' });
    const keyId = arn.split('/').pop()!;
    for (const ref of [keyId, arn, 'alias/imaging-key', `arn:aws:kms:${sb.region}:${sb.accountId}:alias/imaging-key`]) {
      const meta = (await c.kms.send(new DescribeKeyCommand({ KeyId: ref }))).KeyMetadata!;
      expect(meta).toMatchObject({ KeyId: keyId, Arn: arn, AWSAccountId: sb.accountId, Enabled: true, KeyState: 'Enabled', KeyUsage: 'ENCRYPT_DECRYPT', Description: 'imaging' });
      expect(meta.CreationDate).toBeInstanceOf(Date);
    }
    const off = sb.kms.addKey({ enabled: false });
    expect((await c.kms.send(new DescribeKeyCommand({ KeyId: off }))).KeyMetadata).toMatchObject({ Enabled: false, KeyState: 'Disabled' });
  });

  it('answers NotFoundException for keys it does not know, including another region\'s', async () => {
    const elsewhere = `arn:aws:kms:eu-west-1:${sb.accountId}:key/11111111-2222-3333-4444-555555555555`;
    await expect(c.kms.send(new DescribeKeyCommand({ KeyId: elsewhere }))).rejects.toMatchObject({ name: 'NotFoundException', message: `Key '${elsewhere}' does not exist` });
    await expect(c.kms.send(new DescribeKeyCommand({ KeyId: 'alias/nothing' }))).rejects.toMatchObject({ name: 'NotFoundException', message: expect.stringContaining('alias/nothing is not found') });
    await expect(c.kms.send(new DescribeKeyCommand({ KeyId: '' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
