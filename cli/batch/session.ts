/**
 * The AWS session a batch subcommand works through: a profile (or the default chain), or the
 * embedded sandbox (--sandbox), whose state persists in the user's data dir so a sandbox batch can
 * be resumed. A setup problem (unknown profile, no region) is bad usage: exit 2, nothing sent.
 */
import { AwsSetupError } from '../../core/aws/errors';
import { createAwsSession, type AwsSession } from '../../core/aws/session';
import { sandboxDataDir } from '../data-dir';
import { UsageError } from '../exit-codes';
import type { CliIO } from '../run/io';
import { startDemoSandbox, type DemoSandbox } from '../sandbox';

export interface OpenedSession {
  session: AwsSession;
  close(): Promise<void>;
}

export async function openBatchSession(io: CliIO, opts: { sandbox: boolean; profile?: string; region?: string }): Promise<OpenedSession> {
  let demo: DemoSandbox | undefined;
  if (opts.sandbox) demo = await startDemoSandbox({ dataDir: sandboxDataDir(io.env) });
  let session: AwsSession;
  try {
    session = await createAwsSession({
      ...(demo ? { sandbox: demo.target } : {}),
      ...(!demo && opts.profile ? { profile: opts.profile } : {}),
      ...(!demo && opts.region ? { region: opts.region } : {}),
      env: io.env,
    });
  } catch (e) {
    await demo?.sandbox.close();
    if (e instanceof AwsSetupError) throw new UsageError(e.message, e.action);
    throw e;
  }
  const opened = session;
  io.guard?.addSecrets(() => opened.secretsInUse());
  return {
    session: opened,
    close: async () => {
      opened.close();
      await demo?.sandbox.close();
    },
  };
}
