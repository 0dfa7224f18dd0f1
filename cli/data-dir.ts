/** Where the command keeps its runs by default: the user's data directory, per platform. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'ahi-onboard');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'ahi-onboard');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'ahi-onboard');
}

/** Runs against AWS and runs against the sandbox are kept apart so a demo never mixes with real history. */
export function defaultRunsDir(sandbox: boolean, env: NodeJS.ProcessEnv = process.env): string {
  return join(userDataDir(env), sandbox ? 'sandbox-runs' : 'runs');
}

/** The sandbox's own state (stores, jobs, tokens, demo bucket), so a sandbox run can be resumed. */
export function sandboxDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(userDataDir(env), 'sandbox-data');
}
