/**
 * `ahi-onboard`: the command line face of the onboarding engine. A thin adapter: parse, dispatch,
 * map outcomes to exit codes. Run with `npm run onboard -- ...` or the `ahi-onboard` bin.
 */
import { pathToFileURL } from 'node:url';
import { parseCommand, USAGE } from './args';
import { EXIT, UsageError, type ExitCode } from './exit-codes';
import type { CliIO } from './run/io';
import { checkCommandRunsDir } from './runs-dir-check';
import { isSsoCommand } from './sso-usage';
import { guardedIO } from './guarded-io';
import { isListCommand } from './lists/names';
import { terminalSafeIO } from './terminal-text';
import { PRODUCT } from '../core/product';
// Every command module is imported only when its command runs: `--version` and `--help` load no
// AWS SDK and start in the time Node itself takes (bench/cli-startup.ts measures it).

function processIO(): CliIO {
  // A closed pipe (`| head`) must not crash the run: the log on disk is the record.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
  });
  return {
    out: (s) => void process.stdout.write(s),
    err: (s) => void process.stderr.write(s),
    // Colours only on a terminal, and never when NO_COLOR is set (no-color.org).
    stdoutIsTTY: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    env: process.env,
    exit: (code) => process.exit(code),
    onSignal(handler) {
      const h = (signal: NodeJS.Signals) => handler(signal);
      process.on('SIGINT', h);
      process.on('SIGTERM', h);
      return () => {
        process.off('SIGINT', h);
        process.off('SIGTERM', h);
      };
    },
  };
}

export async function main(argv: string[], rawIO: CliIO = processIO()): Promise<ExitCode> {
  // Every print path, whichever command: through the leak guard, and no control character from a
  // config file or an error reaches the terminal.
  const io = guardedIO(terminalSafeIO(rawIO));
  // Identity Center sign-in has its own parser (cli/sso-command.ts).
  if (isSsoCommand(argv)) return (await import('./sso-command')).ssoCommand(argv, io);
  try {
    // doctor parses its own options (cli/doctor-command.ts), so args.ts stays as it is.
    if (argv[0] === 'doctor') return await (await import('./doctor-command')).doctorCommand(argv.slice(1), io);
    // datastores, jobs, results, watch parse their own options too (cli/lists/).
    if (isListCommand(argv[0])) return await (await import('./lists/command')).listCommand(argv[0], argv.slice(1), io);
    // So does batch (cli/batch-command.ts: plan; cli/batch/: run, resume, report, list).
    if (argv[0] === 'batch') return await (await import('./batch-command')).batchCommand(argv.slice(1), io);
    // preflight and role parse their own options too.
    if (argv[0] === 'preflight') return await (await import('./preflight-command')).preflightCommand(argv.slice(1), io);
    if (argv[0] === 'role') return await (await import('./role-command')).roleCommand(argv.slice(1), io);
    const cmd = parseCommand(argv);
    checkCommandRunsDir(cmd);
    switch (cmd.kind) {
      case 'help':
        io.out(USAGE + '\n');
        return EXIT.completed;
      case 'version':
        io.out(`ahi-onboard ${PRODUCT.version}\n`);
        return EXIT.completed;
      case 'profiles':
        return await (await import('./profiles-command')).profilesCommand({ json: cmd.json, out: io.out, env: io.env });
      case 'report':
        return await (await import('./report-command')).reportCommand({ ...cmd, out: io.out, err: io.err, env: io.env });
      case 'repair':
        return await (await import('./repair-command')).repairCommand({ ...cmd, out: io.out, env: io.env });
      case 'run':
        return await (await import('./run-command')).runCommand(cmd, io);
      case 'import':
        return await (await import('./run-command')).runCommand({ ...(cmd.inputs ? { inputs: cmd.inputs } : {}), settings: cmd.settings, importInto: { datastoreId: cmd.datastoreId } }, io);
      case 'resume':
        return await (await import('./run-command')).resumeCommand(cmd, io);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`${e.message}\n${e.hint ? `${e.hint}\n` : ''}`);
      return EXIT.usage;
    }
    io.err(`ahi-onboard: ${(e as Error)?.message ?? String(e)}\n`);
    return EXIT.workflowFailed;
  }
}

// `tsx cli/main.ts ...` (npm run onboard): run directly. The bin imports main() instead.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
