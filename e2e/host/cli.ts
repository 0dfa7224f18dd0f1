/**
 * `npm run web`: serves the built renderer to a browser with the real main-side handlers behind
 * the bridge, on 127.0.0.1 only, guarded by a random session token. Honours the same AWS
 * environment as the app (AWS_PROFILE, AWS_CONFIG_FILE, AWS_ENDPOINT_URL_*...).
 *   npm run web -- [--port N] [--user-data DIR]
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startBrowserHost } from './server';

const { values } = parseArgs({
  options: { port: { type: 'string' }, 'user-data': { type: 'string' } },
  allowPositionals: false,
});

const userDataDir = path.resolve(values['user-data'] ?? path.join(os.homedir(), '.healthimaging-onboarding-web'));
mkdirSync(userDataDir, { recursive: true });
const port = values.port ? Number(values.port) : 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got ${values.port}`);
  process.exit(2);
}

const host = await startBrowserHost({ userDataDir, port, log: (line) => console.log(line) });
console.log(`HealthImaging Onboarding (browser host) — data in ${userDataDir}`);
console.log(`Open: ${host.url}`);
console.log('Press Ctrl+C to stop.');

let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  void host.close().finally(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
