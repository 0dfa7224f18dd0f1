/**
 * `--report FILE.json`: the run report, written after the run whatever its end (succeeded, failed,
 * cancelled, timed out), and rewritten by `resume --report`. The report is built from the event
 * log by core/report; when nothing ran (inputs rejected, no credentials) a report of the same
 * top-level shape says why, so scripts that asked for one always get one. Both pass the outgoing
 * guard with the session's secrets before a byte is written.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { RunEvent, RunError, RunPreflight } from '../core/engine/events';
import { redactValue } from '../core/redaction/redact';
import { assertNoSecrets } from '../core/redaction/secrets-guard';
import { guardValue, type OutgoingGuard } from '../core/redaction/outgoing';
import { exportReport } from '../core/report/index';

/** The full report (core/report) from the run's events, checked against the session's secrets. */
export async function writeRunReport(file: string, events: RunEvent[], guard?: Pick<OutgoingGuard, 'secrets'>): Promise<void> {
  const path = resolve(file);
  await mkdir(dirname(path), { recursive: true });
  await exportReport(events, 'json', path, { knownSecrets: guard?.secrets() ?? [] });
}

export async function writeNotStartedReport(
  file: string,
  facts: { workflowId?: string; inputs?: Record<string, unknown>; error: RunError; runId?: string; preflight?: RunPreflight },
  guard?: Pick<OutgoingGuard, 'secrets'>,
): Promise<void> {
  const report = {
    runId: facts.runId ?? null,
    status: 'error',
    workflowId: facts.workflowId ?? null,
    // The same redaction as a built report: inputs can hold a pasted presigned URL, the error an
    // AWS message quoting a canonical request.
    inputs: redactValue(facts.inputs ?? {}),
    outputs: { workflow: {} },
    steps: [],
    apiCalls: { total: 0, byOperation: [], byHttpStatus: {}, notable: [], notableOmitted: 0 },
    error: redactValue(facts.error),
    resumable: false,
    ...(facts.preflight ? { preflight: facts.preflight } : {}),
    generatedAt: new Date().toISOString(),
  };
  const known = guard?.secrets() ?? [];
  const text = JSON.stringify(guardValue(report, known), null, 2) + '\n';
  assertNoSecrets(text, known); // never a file with a credential in it
  const path = resolve(file);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}
