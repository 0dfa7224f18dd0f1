/** Opens a URL in the user's browser with the OS's own opener; false when there is none to run. */
import { spawn } from 'node:child_process';

export function openInBrowser(url: string): Promise<boolean> {
  // Only web URLs: the opener would happily run a file:// or custom-scheme URL.
  if (!/^https?:\/\//.test(url)) return Promise.resolve(false);
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', url]] : ['xdg-open', [url]];
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
