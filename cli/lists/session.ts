/**
 * The session a look-up command signs with: the profile and region (as `run` resolves them) or the
 * embedded sandbox over its saved state, so `--sandbox` sees the data stores of earlier demo runs.
 */
import { createAwsSession, type AwsSession } from '../../core/aws/session';
import { AwsSetupError } from '../../core/aws/errors';
import { UsageError } from '../exit-codes';
import { sandboxDataDir } from '../data-dir';
import type { CliIO } from '../run/io';
import { terminalMfaPrompt } from '../run/terminal';
import { startDemoSandbox, type DemoSandbox } from '../sandbox';
import type { ListTarget } from './args';

export interface OpenedSession {
  session: AwsSession;
  close(): Promise<void>;
}

export async function openListSession(target: ListTarget, io: CliIO): Promise<OpenedSession> {
  let sandbox: DemoSandbox | undefined;
  try {
    if (target.sandbox) sandbox = await startDemoSandbox({ dataDir: sandboxDataDir(io.env) });
    const mfa = terminalMfaPrompt(io);
    const session = await createAwsSession({
      ...(sandbox ? { sandbox: sandbox.target } : {}),
      ...(!sandbox && target.profile ? { profile: target.profile } : {}),
      ...(!sandbox && target.region ? { region: target.region } : {}),
      ...(mfa ? { mfaCodeProvider: mfa } : {}),
      env: io.env,
    });
    io.guard?.addSecrets(() => session.secretsInUse());
    return {
      session,
      async close() {
        session.close();
        await sandbox?.sandbox.close();
      },
    };
  } catch (e) {
    await sandbox?.sandbox.close();
    if (e instanceof AwsSetupError) throw new UsageError(e.message, e.action);
    throw e;
  }
}
