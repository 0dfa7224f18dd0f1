/** What `batch run` / `batch resume` print as a batch moves: one line per change, in words or NDJSON. */
import type { BatchProgress, BatchReport } from '../../core/batch/batch-types';
import type { BatchRunnerEvent } from '../../core/batch/runner';

const n = (v: number) => v.toLocaleString('en-US');

export function formatEta(iso: string | undefined, now = Date.now()): string {
  if (!iso) return 'ETA: after the first job ends';
  const ms = Date.parse(iso) - now;
  if (ms <= 60_000) return 'ETA: under a minute';
  const min = Math.round(ms / 60_000);
  const words = min < 90 ? `${min} min` : min < 48 * 60 ? `${(min / 60).toFixed(1)} h` : `${(min / 1440).toFixed(1)} days`;
  return `ETA: ${words} (${iso.slice(0, 16).replace('T', ' ')} UTC)`;
}

/** "jobs 3/12 done (3 running, 6 queued), files 4,000/12,000 imported, 0 failed, ETA: 4 min (...)" */
export function formatProgress(p: BatchProgress, now = Date.now()): string {
  const done = p.jobs.completed + p.jobs.failed;
  const failedJobs = p.jobs.failed ? `, ${p.jobs.failed} FAILED` : '';
  const paused = p.paused ? ' [paused]' : '';
  const eta = done === p.jobs.total ? '' : `, ${formatEta(p.eta, now)}`;
  return `jobs ${done}/${p.jobs.total} done (${p.jobs.running} running, ${p.jobs.queued} queued${failedJobs}), files ${n(p.files.imported)}/${n(p.files.planned)} imported, ${n(p.files.failed)} failed${eta}${paused}`;
}

export function formatEvent(e: BatchRunnerEvent): string | undefined {
  switch (e.type) {
    case 'submitted':
      return `${e.resent ? 'settled' : 'started'} ${e.inputS3Uri} as job ${e.jobId}`;
    case 'job-ended':
      return `${e.status} ${e.inputS3Uri} (job ${e.jobId})${e.imported !== undefined ? `: ${n(e.imported)} imported, ${n(e.failed ?? 0)} failed` : ''}${e.message ? `: ${e.message}` : ''}`;
    case 'quota':
      return `HealthImaging's concurrent-import quota is full (402): ${e.inputS3Uri} goes back in the queue; running at most ${e.concurrency} at once for now.`;
    case 'backoff':
      return `${e.operation}: ${e.message} Next try in ${Math.round(e.delayMs / 1000)} s.`;
    case 'paused':
      return `Paused: ${e.message}${e.action ? ` ${e.action}` : ''} The batch waits and goes on by itself once the credentials work; running jobs keep running in AWS.`;
    case 'unpaused':
      return 'Credentials work again: the batch goes on.';
  }
}

export function formatSummary(r: BatchReport): string {
  const lines = [`Batch ${r.batchId}: ${r.state.replace(/_/g, ' ')}`];
  lines.push(`  ${r.jobs.length} jobs: ${r.jobs.filter((j) => j.status === 'COMPLETED').length} COMPLETED, ${r.jobs.filter((j) => j.status === 'FAILED').length} FAILED`);
  lines.push(`  files: ${n(r.totals.scanned)} scanned, ${n(r.totals.imported)} imported, ${n(r.totals.failed)} failed; ${n(r.totals.imageSets)} image sets`);
  for (const j of r.jobs.filter((x) => x.status === 'FAILED')) lines.push(`  FAILED ${j.inputS3Uri} (job ${j.jobId ?? '-'}): ${j.message ?? 'no message'}`);
  for (const g of r.failuresByType.slice(0, 5)) lines.push(`  ${n(g.count)} files failed with ${g.type}, e.g. ${g.examples[0] ?? ''}`);
  return lines.join('\n') + '\n';
}
