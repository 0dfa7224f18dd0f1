/**
 * KMS DescribeKey in awsJson1_1 (POST /, X-Amz-Target TrentService.DescribeKey), for the keys the
 * sandbox knows (seeded demo key, or added with sandbox.kms.addKey). KeyId may be a key id, key
 * ARN, alias name or alias ARN, as in KMS; a key of another region or account is not found.
 */
import { randomUUID } from 'node:crypto';
import type { SandboxCore } from './core';
import { ApiError } from './errors';
import type { KmsKeyRecord } from './state';

export function kmsAction(target: string | string[] | undefined): string {
  const t = Array.isArray(target) ? target[0] : target;
  return t?.startsWith('TrentService.') ? t.slice('TrentService.'.length) : 'Unknown';
}

export function addKmsKey(core: SandboxCore, opts: { description?: string; enabled?: boolean; alias?: string } = {}): KmsKeyRecord {
  const keyId = randomUUID();
  const key: KmsKeyRecord = {
    keyId,
    arn: `arn:aws:kms:${core.region}:${core.accountId}:key/${keyId}`,
    createdAt: core.now(),
    description: opts.description ?? '',
    enabled: opts.enabled ?? true,
    aliases: opts.alias ? [opts.alias.startsWith('alias/') ? opts.alias : `alias/${opts.alias}`] : [],
  };
  core.state.kmsKeys[keyId] = key;
  core.save();
  return key;
}

function findKey(core: SandboxCore, keyId: string): KmsKeyRecord | undefined {
  const keys = Object.values(core.state.kmsKeys);
  const prefix = `arn:aws:kms:${core.region}:${core.accountId}:`;
  let ref = keyId;
  if (keyId.startsWith('arn:')) {
    if (!keyId.startsWith(prefix)) return undefined;
    ref = keyId.slice(prefix.length);
    if (ref.startsWith('key/')) ref = ref.slice(4);
  }
  if (ref.startsWith('alias/')) return keys.find((k) => k.aliases.includes(ref));
  return core.state.kmsKeys[ref];
}

export function handleKms(core: SandboxCore, action: string, body: Record<string, unknown>): unknown {
  if (action !== 'DescribeKey') throw new ApiError('UnknownOperationException', 400, `The sandbox KMS answers DescribeKey only, not ${action}`);
  const keyId = body['KeyId'];
  if (keyId === undefined || keyId === null) throw new ApiError('ValidationException', 400, "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null");
  if (typeof keyId !== 'string' || keyId.length < 1 || keyId.length > 2048)
    throw new ApiError('ValidationException', 400, "1 validation error detected: Value at 'keyId' failed to satisfy constraint: Member must have length between 1 and 2048");
  const key = findKey(core, keyId);
  if (!key) {
    if (keyId.startsWith('alias/') || keyId.includes(':alias/')) throw new ApiError('NotFoundException', 400, `Alias ${keyId.startsWith('arn:') ? keyId : `arn:aws:kms:${core.region}:${core.accountId}:${keyId}`} is not found.`);
    if (keyId.startsWith('arn:')) throw new ApiError('NotFoundException', 400, `Key '${keyId}' does not exist`);
    throw new ApiError('NotFoundException', 400, /^[0-9a-f-]{36}$/.test(keyId) ? `Key 'arn:aws:kms:${core.region}:${core.accountId}:key/${keyId}' does not exist` : `Invalid keyId '${keyId}'`);
  }
  return {
    KeyMetadata: {
      AWSAccountId: core.accountId,
      KeyId: key.keyId,
      Arn: key.arn,
      CreationDate: key.createdAt / 1000,
      Enabled: key.enabled,
      Description: key.description,
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: key.enabled ? 'Enabled' : 'Disabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
    },
  };
}
