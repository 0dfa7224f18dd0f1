/**
 * `--report FILE.json`: the run report, written after the run whatever its end (succeeded, failed,
 * cancelled, timed out), and rewritten by `resume --report`. The report is built from the event
 * log by core/report; when nothing ran (inputs rejected, no credentials) a report of the same
 * top-level shape says why, so scripts that asked for one always get one.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { RunEvent, RunError, RunPreflight } from '../core/engine/events';
import { exportReport } from '../core/report/index';

/** The full report (core/report) from the run's events. */
export async function writeRunReport(file: string, events: RunEvent[]): Promise<void> {
  const path = resolve(file);
  await mkdir(dirname(path), { recursive: true });
  await exportReport(events, 'json', path);
}

export async function writeNotStartedReport(
  file: string,
  facts: { workflowId?: string; inputs?: Record<string, unknown>; error: RunError; runId?: string; preflight?: RunPreflight },
): Promise<void> {
  const report = {
    runId: facts.runId ?? null,
    status: 'error',
    workflowId: facts.workflowId ?? null,
    inputs: facts.inputs ?? {},
    outputs: { workflow: {} },
    steps: [],
    apiCalls: { total: 0, byOperation: [], byHttpStatus: {}, notable: [], notableOmitted: 0 },
    error: facts.error,
    resumable: false,
    ...(facts.preflight ? { preflight: facts.preflight } : {}),
    generatedAt: new Date().toISOString(),
  };
  const path = resolve(file);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(report, null, 2) + '\n', 'utf8');
  await rename(tmp, path);
}
