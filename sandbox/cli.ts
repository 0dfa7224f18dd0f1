/**
 * Standalone sandbox: npm run sandbox -- [--port N] [--data-dir DIR] [--region R] [--time-scale X]
 * Serves on 127.0.0.1 only, prints the endpoint lines to export, then one line per request.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCredentials, startSandbox } from './index';
import { loadOrCreateCertificates, startTlsFront } from './tls';

interface CliArgs {
  port?: number;
  dataDir?: string;
  region?: string;
  timeScale?: number;
  maxConcurrentImports?: number;
  demoData: boolean;
  tls: boolean;
}

const USAGE = 'usage: npm run sandbox -- [--port N] [--data-dir DIR] [--region R] [--time-scale X] [--max-concurrent-imports N] [--no-demo-data] [--tls]';

export function parseArgs(argv: string[]): CliArgs {
  const out: CliArgs = { demoData: true, tls: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    switch (flag) {
      case '--port': {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error(`--port must be an integer 0-65535\n${USAGE}`);
        out.port = p;
        break;
      }
      case '--data-dir':
        out.dataDir = value();
        break;
      case '--region':
        out.region = value();
        break;
      case '--time-scale': {
        const x = Number(value());
        if (!(x > 0) || !Number.isFinite(x)) throw new Error(`--time-scale must be a positive number\n${USAGE}`);
        out.timeScale = x;
        break;
      }
      case '--max-concurrent-imports': {
        const n = Number(value());
        if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--max-concurrent-imports must be a whole number of at least 1\n${USAGE}`);
        out.maxConcurrentImports = n;
        break;
      }
      case '--tls':
        out.tls = true;
        break;
      case '--no-demo-data':
        out.demoData = false;
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${arg}\n${USAGE}`);
    }
  }
  return out;
}

/** Without --data-dir the certificates still need a home that outlives this process: a temp dir. */
function tlsDirFallback(): string {
  return mkdtempSync(join(tmpdir(), 'ahi-sandbox-tls-'));
}

async function main(): Promise<void> {
  let args: CliArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
  const envKey = process.env['AWS_ACCESS_KEY_ID'];
  const envSecret = process.env['AWS_SECRET_ACCESS_KEY'];
  const fromEnv = Boolean(envKey && envSecret);
  const credentials = fromEnv ? { accessKeyId: envKey!, secretAccessKey: envSecret! } : generateCredentials();
  const sandbox = await startSandbox({
    credentials,
    demoData: args.demoData,
    log: (line) => console.log(line),
    ...(args.port !== undefined ? { port: args.port } : {}),
    ...(args.dataDir ? { dataDir: args.dataDir } : {}),
    ...(args.region ? { region: args.region } : {}),
    ...(args.timeScale ? { timeScale: args.timeScale } : {}),
    ...(args.maxConcurrentImports ? { maxConcurrentImports: args.maxConcurrentImports } : {}),
  });
  // --tls: HTTPS in front, signed by a CA of the data dir's own; the plain port stays on loopback.
  const certs = args.tls ? await loadOrCreateCertificates(args.dataDir ?? tlsDirFallback()) : undefined;
  const front = certs ? await startTlsFront(sandbox, certs) : undefined;
  const url = front?.url ?? sandbox.url;
  console.log(`HealthImaging sandbox listening on ${url} (region ${sandbox.region}, account ${sandbox.accountId})`);
  console.log(`AWS_ENDPOINT_URL_MEDICAL_IMAGING=${url}`);
  console.log(`AWS_ENDPOINT_URL_S3=${url}`);
  console.log(`AWS_ENDPOINT_URL_STS=${url}`);
  // IAM is global: clients must sign for us-east-1 whatever AWS_REGION says.
  console.log(`AWS_ENDPOINT_URL_IAM=${url}`);
  console.log(`AWS_ENDPOINT_URL_KMS=${url}`);
  // The Identity Center stand-in answers on the same port, by path.
  console.log(`AWS_ENDPOINT_URL_SSO_OIDC=${url}`);
  console.log(`AWS_ENDPOINT_URL_SSO=${url}`);
  if (certs) console.log(`AWS_CA_BUNDLE=${certs.caPath}`);
  console.log(`AWS_REGION=${sandbox.region}`);
  if (fromEnv) console.log('Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY from the environment');
  else {
    // A throwaway pair generated for this local sandbox only; printing it is how users get it.
    console.log(`AWS_ACCESS_KEY_ID=${credentials.accessKeyId}`);
    console.log(`AWS_SECRET_ACCESS_KEY=${credentials.secretAccessKey}`);
  }
  console.log(`Demo: input ${sandbox.demo.inputS3Uri} (with errors: ${sandbox.demo.withErrorsInputS3Uri}), output ${sandbox.demo.outputS3Uri}, role ${sandbox.demo.dataAccessRoleArn}`);
  console.log('S3 clients need forcePathStyle: true (path-style addressing).');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping the sandbox`);
    Promise.all([front?.close(), sandbox.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

const invokedDirectly = process.argv[1] ? /sandbox[\\/]cli\.(ts|js|mjs)$/.test(process.argv[1]) : false;
if (invokedDirectly) void main();
