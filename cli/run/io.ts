/** The process around a command: its streams, its terminal, its environment and its signals. */
import type { ExitCode } from '../exit-codes';

export interface CliIO {
  out: (s: string) => void;
  err: (s: string) => void;
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** Ends the process at once (a second Ctrl-C). */
  exit: (code: ExitCode) => void;
  /** Subscribes to SIGINT/SIGTERM; returns an unsubscribe. */
  onSignal: (handler: (signal: NodeJS.Signals) => void) => () => void;
}
