/**
 * Follows a started run to its end on the terminal: signals, credential pauses, the report, the
 * outcome line and the exit code. The run service reads the import's results once it ended.
 */
import type { ActiveRun, RunService } from '../../core/app/runs';
import type { RunEvent, RunStore } from '../../core/engine/index';
import { failedFileCount, OUTCOME_LABELS } from '../../core/runs/outcome';
import type { RunSettings } from '../args';
import { EXIT, exitCodeForRun, type ExitCode } from '../exit-codes';
import { createEventPrinter, outcomeLine } from '../output';
import { writeRunReport } from '../report-file';
import type { CliIO } from './io';
import { resumeHint, waitForEnter } from './terminal';

type PausedEvent = Extract<RunEvent, { type: 'run-paused' }>;

/** Prints every event; run-paused events also reach the drive that follows the run. */
export function createEventSink(settings: RunSettings, io: CliIO): { sink: (e: RunEvent) => void; onPaused(listener: (e: PausedEvent) => void): () => void } {
  const printer = createEventPrinter({ json: settings.json, tty: io.stdoutIsTTY, write: io.out });
  const listeners = new Set<(e: PausedEvent) => void>();
  return {
    sink: (e) => {
      printer.print(e);
      if (e.type === 'run-paused') for (const l of listeners) l(e);
    },
    onPaused(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export interface Drive {
  run: ActiveRun;
  runs: RunService;
  /** Aborted on a signal: stops reading the import's results. */
  stopResults: AbortController;
  events: ReturnType<typeof createEventSink>;
  store: RunStore;
  settings: RunSettings;
  sandbox: boolean;
  io: CliIO;
}

export async function drive(d: Drive): Promise<ExitCode> {
  const { run, io } = d;
  const { handle } = run;
  let interrupted: NodeJS.Signals | undefined;
  let credentialStop = false;
  let prompt: { cancel: () => void } | undefined;

  const unsubscribe = io.onSignal((signal) => {
    if (interrupted) {
      // A second Ctrl-C: stop waiting. Every event is already on disk, so the run stays resumable.
      io.err(`Exiting now; resume with: ${resumeHint(handle.runId, d.settings, d.sandbox)}\n`);
      io.exit(EXIT.interrupted);
      return;
    }
    interrupted = signal;
    prompt?.cancel();
    d.stopResults.abort(new Error('interrupted'));
    io.err(`\n${signal} received: stopping and recording the run (it stays resumable)...\n`);
    handle.cancel(`interrupted by ${signal}`);
  });

  const stopPaused = d.events.onPaused((e) => {
    if (e.runId !== handle.runId) return;
    const what = `${e.error.message}${e.error.action ? `\n  ${e.error.action}` : ''}`;
    if (io.stdinIsTTY && !interrupted) {
      const p = waitForEnter(`\nThe run is paused: ${what}\nPress Enter to continue once you have signed in again (Ctrl-C stops; the run stays resumable). `);
      prompt = p;
      void p.promise.then(() => {
        prompt = undefined;
        run.session.refreshCredentials();
        handle.continue();
      });
    } else {
      // No one to ask: stop with the run recorded, so `resume` continues after signing in.
      credentialStop = true;
      io.err(`\nThe run needs new credentials: ${what}\nThen run: ${resumeHint(handle.runId, d.settings, d.sandbox)}\n`);
      handle.cancel('paused for credentials with no terminal to continue from');
    }
  });

  let settled;
  try {
    settled = await d.runs.settled(handle.runId)!;
  } finally {
    unsubscribe();
    stopPaused();
    prompt?.cancel();
  }
  const { ended, importResults, outcome } = settled;

  if (d.settings.report) {
    try {
      await writeRunReport(d.settings.report, await d.store.read(handle.runId));
    } catch (e) {
      io.err(`Could not write the report to ${d.settings.report}: ${(e as Error).message}\n`);
    }
  }

  if (ended.resumable && ended.status !== 'succeeded') io.err(`Resume with: ${resumeHint(handle.runId, d.settings, d.sandbox)}\n`);
  if (interrupted) return EXIT.interrupted;
  if (credentialStop) return EXIT.awsError;
  if (outcome === 'completed_with_errors') {
    io.err(`The import ${OUTCOME_LABELS[outcome].toLowerCase()}: ${failedFileCount(importResults)} files failed to import (see failure.ndjson under the output location).\n`);
  }
  if (!d.settings.json && (outcome === 'succeeded' || outcome === 'completed_with_errors')) io.out(`${outcomeLine(outcome, importResults)}\n`);
  return exitCodeForRun({ ...ended, status: outcome });
}
