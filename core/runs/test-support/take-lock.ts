/**
 * A separate process for the lock tests: waits until the given instant (so several start their
 * attempt together), tries to take the run lock, says what happened on stdout, holds it a while.
 * Usage: node --import tsx take-lock.ts RUNDIR RUNID START_AT_MS HOLD_MS [exit]
 * With `exit` it ends by process.exit() without releasing (as a second Ctrl-C does).
 */
import { acquireRunLock, RunInUseError } from '../run-lock';

const [runDir, runId, startAt, hold, how] = process.argv.slice(2);
await new Promise((r) => setTimeout(r, Math.max(0, Number(startAt) - Date.now())));
try {
  const lock = await acquireRunLock(runDir!, runId!);
  process.stdout.write(`acquired ${process.pid}\n`);
  await new Promise((r) => setTimeout(r, Number(hold)));
  if (how === 'exit') process.exit(0);
  await lock.release();
} catch (e) {
  if (!(e instanceof RunInUseError)) throw e;
  process.stdout.write(`in-use ${e.pid}\n`);
}
