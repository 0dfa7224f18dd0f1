/**
 * Follows a run's event stream and answers what the taskbar/dock should show and whether a run
 * just ended (for the native notification). Pure: fed events, asked questions. No electron import.
 */
import type { RunEvent, RunStatus } from '../../contract/ipc';

/** `indeterminate` while waiting on a service, a ratio of steps done otherwise; `none` when idle. */
export type TaskbarProgress = { mode: 'none' } | { mode: 'indeterminate' } | { mode: 'ratio'; value: number };

export interface RunEnd {
  runId: string;
  status: RunStatus;
  datastoreName?: string;
  jobStatus?: string;
  message?: string;
}

interface Tracked {
  steps: string[];
  done: Set<string>;
  waiting: boolean;
  datastoreName?: string;
  paused: boolean;
}

export class RunProgressTracker {
  private readonly runs = new Map<string, Tracked>();

  /** Feeds events; returns the runs that ended in this batch. */
  consume(events: readonly RunEvent[]): RunEnd[] {
    const ended: RunEnd[] = [];
    for (const event of events) {
      const run = this.runs.get(event.runId);
      switch (event.type) {
        case 'run-started': {
          const name = event.inputs['datastoreName'];
          this.runs.set(event.runId, {
            steps: event.steps.map((s) => s.stepId),
            done: new Set(),
            waiting: false,
            paused: false,
            ...(typeof name === 'string' ? { datastoreName: name } : {}),
          });
          break;
        }
        case 'run-resumed':
          if (!run) this.runs.set(event.runId, { steps: [], done: new Set(), waiting: false, paused: false });
          break;
        case 'waiting':
          if (run) run.waiting = true;
          break;
        case 'request-sent':
        case 'step-started':
          if (run) run.waiting = false;
          break;
        case 'step-ended':
          if (run && event.outcome === 'succeeded') run.done.add(event.stepId);
          break;
        case 'run-paused':
          if (run) run.paused = true;
          break;
        case 'run-continued':
          if (run) run.paused = false;
          break;
        case 'run-ended': {
          const jobStatus = event.outputs['jobStatus'];
          ended.push({
            runId: event.runId,
            status: event.status,
            ...(run?.datastoreName ? { datastoreName: run.datastoreName } : {}),
            ...(typeof jobStatus === 'string' ? { jobStatus } : {}),
            ...(event.error ? { message: event.error.message } : {}),
          });
          this.runs.delete(event.runId);
          break;
        }
        default:
          break;
      }
    }
    return ended;
  }

  get activeCount(): number {
    return this.runs.size;
  }

  /** What the taskbar shows for the runs in flight. */
  progress(): TaskbarProgress {
    const runs = [...this.runs.values()];
    if (runs.length === 0) return { mode: 'none' };
    const run = runs[0]!;
    if (run.paused || run.waiting || run.steps.length === 0) return { mode: 'indeterminate' };
    const value = Math.min(0.99, Math.max(0.01, run.done.size / run.steps.length));
    return { mode: 'ratio', value };
  }
}
