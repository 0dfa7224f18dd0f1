/**
 * `--report FILE.json`: the run report, written after the run whatever its end (succeeded, failed,
 * cancelled, timed out), and rewritten by `resume --report`. The report itself is built from the
 * event log by core/report; this module only writes files atomically (a reader never sees half).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { RunEvent, RunError } from '../core/engine/events';
import { renderReport } from '../core/report/render';

async function writeAtomically(file: string, text: string): Promise<void> {
  const path = resolve(file);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

/** The full report (core/report) from the run's events. */
export async function writeRunReport(file: string, events: RunEvent[]): Promise<void> {
  await writeAtomically(file, renderReport(events, 'json'));
}

/**
 * When nothing ran (inputs rejected, no credentials before the start) there is no event log to
 * build from; scripts that asked for a report still get one, in the same top-level shape.
 */
export async function writeNotStartedReport(
  file: string,
  facts: { workflowId?: string; inputs?: Record<string, unknown>; error: RunError; runId?: string },
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
    generatedAt: new Date().toISOString(),
  };
  await writeAtomically(file, JSON.stringify(report, null, 2) + '\n');
}
