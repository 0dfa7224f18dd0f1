/**
 * How events reach the terminal: one readable line per event with the elapsed time, plain when
 * stdout is not a terminal (no colours, ASCII only), or NDJSON with --json. Events carry no secrets
 * by construction; this module only chooses words.
 */
import type { ImportResults, RunEvent } from '../core/engine/events';
import { outcomeSentence, type RunOutcomeCode } from '../core/runs/outcome';
import { formatDuration } from '../core/text/duration';

export interface EventPrinter {
  print(event: RunEvent): void;
}

interface Style {
  dim(s: string): string;
  bold(s: string): string;
  ok(s: string): string;
  bad(s: string): string;
  warn(s: string): string;
  sym: { start: string; send: string; recv: string; wait: string; ok: string; fail: string; pause: string; end: string; info: string };
}

const ansi = (code: string) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const TTY_STYLE: Style = {
  dim: ansi('2'),
  bold: ansi('1'),
  ok: ansi('32'),
  bad: ansi('31'),
  warn: ansi('33'),
  sym: { start: '▶', send: '→', recv: '←', wait: '…', ok: '✓', fail: '✗', pause: '‖', end: '■', info: '•' },
};
const id = (s: string) => s;
const PLAIN_STYLE: Style = {
  dim: id,
  bold: id,
  ok: id,
  bad: id,
  warn: id,
  sym: { start: '>', send: '->', recv: '<-', wait: '..', ok: 'ok', fail: 'x', pause: '||', end: '==', info: '*' },
};

/** Elapsed time as m:ss.s, or h:mm:ss past an hour. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, ms) / 1000;
  if (total >= 3600) {
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = Math.floor(total % 60);
    return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  }
  const m = Math.floor(total / 60);
  const s = (total % 60).toFixed(1).padStart(4, '0');
  return `${m}:${s}`;
}


function outputsText(outputs: Record<string, unknown> | undefined): string {
  if (!outputs) return '';
  const parts = Object.entries(outputs)
    .filter(([, v]) => v !== undefined && v !== null && typeof v !== 'object')
    .map(([k, v]) => `${k}=${String(v)}`);
  return parts.join(' ');
}

/** The words for one event, without the time column. */
export function describeEvent(e: RunEvent, st: Style = PLAIN_STYLE): string {
  switch (e.type) {
    case 'run-started': {
      const c = e.context;
      const where = [c.sandbox ? 'sandbox' : c.profile ? `profile ${c.profile}` : 'default credentials', c.region, c.accountId ? `account ${c.accountId}` : '']
        .filter(Boolean)
        .join(', ');
      const pf = e.preflight ? (e.preflight.skipped ? ', preflight skipped' : `, preflight ${e.preflight.ready ? 'ready' : 'not ready'}`) : '';
      return `${st.sym.start} ${st.bold(`run ${e.runId}`)} started: ${e.workflowId} (${where}${pf})`;
    }
    case 'run-resumed':
      return `${st.sym.start} resumed at ${e.stepId}: ${e.reason}`;
    case 'step-started':
      return `${st.sym.start} ${st.bold(e.stepId)} (${e.operationId})`;
    case 'request-sent':
      return st.dim(`  ${st.sym.send} ${e.operationId} #${e.attempt}${e.clientToken ? ` clientToken=${e.clientToken}` : ''}`);
    case 'response-received': {
      const head = `  ${st.sym.recv} ${e.httpStatus === 0 ? 'no answer' : e.httpStatus}`;
      if (e.error) {
        const text = `${head} ${e.error.code}: ${e.error.message} (${formatDuration(e.durationMs)})`;
        return e.httpStatus === 429 || e.httpStatus === 0 || e.httpStatus >= 500 ? st.warn(text) : st.bad(text);
      }
      // Outputs that only repeat the observed status add nothing to the line.
      const outs = outputsText(Object.fromEntries(Object.entries(e.outputs ?? {}).filter(([, v]) => v !== e.observedStatus)));
      const bits = [e.observedStatus ? st.bold(e.observedStatus) : '', outs, `(${formatDuration(e.durationMs)}${e.requestId ? `, request ${e.requestId}` : ''})`];
      return `${head} ${bits.filter(Boolean).join(' ')}`;
    }
    case 'waiting': {
      const why = { poll: 'next poll', retry: 'retry', throttled: 'throttled, slowing down', 'transient-error': 'temporary error, retrying' }[e.reason];
      return st.dim(`  ${st.sym.wait} ${why} in ${formatDuration(e.delayMs)}`);
    }
    case 'step-ended': {
      const action = e.action
        ? e.action.type === 'goto'
          ? ` -> ${e.action.stepId}${e.action.name ? ` (${e.action.name})` : ''}`
          : e.action.type === 'end'
            ? ` -> end${e.action.name ? ` (${e.action.name})` : ''}`
            : ''
        : '';
      const status = e.observedStatus ? ` ${e.observedStatus}` : '';
      if (e.outcome === 'succeeded') return st.ok(`${st.sym.ok} ${e.stepId} succeeded${status}${action}`);
      const err = e.error ? `: ${e.error.message}` : '';
      return (e.outcome === 'cancelled' ? st.warn : st.bad)(`${st.sym.fail} ${e.stepId} ${e.outcome}${status}${err}`);
    }
    case 'run-paused':
      return st.warn(`${st.sym.pause} paused at ${e.stepId}: ${e.error.message}${e.error.action ? ` ${e.error.action}` : ''}`);
    case 'run-continued':
      return `${st.sym.start} continued at ${e.stepId}`;
    case 'run-ended': {
      const outs = outputsText(e.outputs);
      // A succeeded workflow is not yet the run's outcome: a COMPLETED job can still have failed files,
      // which the import results (read after this event) decide. So it says "workflow ended" here and
      // the outcome line (core/runs/outcome) comes last.
      const what = e.status === 'succeeded' ? 'workflow ended' : `run ${e.status}`;
      const text = `${st.sym.end} ${what}${outs ? `: ${outs}` : ''}${e.error ? ` - ${e.error.message}` : ''}`;
      return e.status === 'succeeded' ? st.ok(st.bold(text)) : st.bad(st.bold(text));
    }
    case 'import-results': {
      const r = e.results;
      if (r.state !== 'read') return `${st.sym.info} import results: ${r.state}${r.message ? ` (${r.message})` : ''}`;
      const failed = (r.numberOfFilesWithCustomerError ?? 0) + (r.numberOfFilesWithServerError ?? 0);
      return `${st.sym.info} import results: ${r.numberOfScannedFiles ?? '?'} files scanned, ${r.numberOfImportedFiles ?? '?'} imported, ${failed} failed, ${r.numberOfGeneratedImageSets ?? '?'} image sets`;
    }
  }
}

export function createEventPrinter(opts: { json: boolean; tty: boolean; write: (line: string) => void }): EventPrinter {
  if (opts.json) return { print: (e) => opts.write(JSON.stringify(e) + '\n') };
  const style = opts.tty ? TTY_STYLE : PLAIN_STYLE;
  let t0: number | undefined;
  return {
    print(e) {
      const at = Date.parse(e.at);
      t0 ??= at;
      opts.write(`${style.dim(`[${formatElapsed(at - t0)}]`)} ${describeEvent(e, style)}\n`);
    },
  };
}

/** The run's last line: its outcome (core/runs/outcome), with the file counts when they were read. */
export function outcomeLine(outcome: RunOutcomeCode, results: ImportResults | undefined): string {
  return `== ${outcomeSentence(outcome, results)}`;
}
