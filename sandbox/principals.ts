/**
 * The IAM users the sandbox knows by access key: its own (allowed everything, like an
 * administrator) and any a test adds with an identity policy of its own, e.g. one that may not read
 * IAM, so a caller's AccessDenied can be exercised. Users live in memory only: their secrets are
 * never written to the data directory.
 */
import { generateKeyPair } from './keys';
import { parsePolicy, type PolicyStatement } from './iam-policy';

export interface SandboxUser {
  userName: string;
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
  statements: PolicyStatement[];
}

export const ADMIN_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

/** Everything except IAM: the caller preflight must treat as "cannot check", not "failed". */
export const NO_IAM_POLICY = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] });

export class Principals {
  private readonly byKey = new Map<string, SandboxUser>();

  constructor(
    private readonly accountId: string,
    main: { accessKeyId: string; secretAccessKey: string },
  ) {
    this.add('sandbox-user', ADMIN_POLICY, main);
  }

  /** Adds a user with its own key pair; the policy document is checked as IAM checks one. */
  add(userName: string, policyDocument: string, keys = generateKeyPair()): SandboxUser {
    if (!/^[\w+=,.@-]{1,64}$/.test(userName)) throw new Error(`userName must match [\\w+=,.@-]{1,64}, got ${userName}`);
    const user: SandboxUser = { userName, arn: `arn:aws:iam::${this.accountId}:user/${userName}`, ...keys, statements: parsePolicy(policyDocument, 'identity') };
    this.byKey.set(keys.accessKeyId, user);
    return user;
  }

  user(accessKeyId: string | undefined): SandboxUser | undefined {
    return accessKeyId ? this.byKey.get(accessKeyId) : undefined;
  }

  /** The key pair to verify a signature with, when the key id is one of ours. */
  keyPair(accessKeyId: string | undefined): { accessKeyId: string; secretAccessKey: string } | undefined {
    return this.user(accessKeyId);
  }
}
