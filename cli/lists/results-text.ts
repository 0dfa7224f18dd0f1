/**
 * An import job's results in words and as JSON: counts, failures grouped by type with cause and
 * fix, warnings, non-primary image sets and what they mean. Shared by `results` and `watch`.
 */
import type { DICOMImportJobProperties } from '@aws-sdk/client-medical-imaging';
import type { ImportResults } from '../../core/engine/events';
import { NON_PRIMARY_MEANING } from '../../core/report/failure-causes';
import { plural, when } from './table';

export const failedCount = (r: ImportResults | undefined): number => (r?.numberOfFilesWithCustomerError ?? 0) + (r?.numberOfFilesWithServerError ?? 0);

/** The JSON `results --json` prints (issue 13 names the first fields). */
export function resultsJson(job: DICOMImportJobProperties, r: ImportResults | undefined) {
  return {
    datastoreId: job.datastoreId,
    jobId: job.jobId,
    jobName: job.jobName,
    jobStatus: job.jobStatus,
    submittedAt: job.submittedAt?.toISOString(),
    endedAt: job.endedAt?.toISOString(),
    outputS3Uri: job.outputS3Uri,
    ...(job.message ? { jobMessage: job.message } : {}),
    resultsState: r ? r.state : 'job-not-ended',
    ...(r?.message ? { message: r.message } : {}),
    ...(r?.manifestUri ? { manifestUri: r.manifestUri } : {}),
    scanned: r?.numberOfScannedFiles ?? null,
    imported: r?.numberOfImportedFiles ?? null,
    failed: r && r.state === 'read' ? failedCount(r) : null,
    imageSets: r?.numberOfGeneratedImageSets ?? null,
    imageSetsSummary: r?.imageSets ?? [],
    failuresByType: r?.failuresByType ?? [],
    failuresComplete: r?.failuresComplete ?? true,
    warnings: r?.warnings ?? [],
    nonPrimaryImageSets: r?.nonPrimaryImageSets ?? [],
  };
}

export function resultsText(job: DICOMImportJobProperties, r: ImportResults | undefined): string {
  const out: string[] = [];
  out.push(`Import job ${job.jobId}${job.jobName ? ` (${job.jobName})` : ''}`);
  out.push(`  Data store   ${job.datastoreId}`);
  out.push(`  Status       ${job.jobStatus}${job.message ? `: ${job.message}` : ''}`);
  out.push(`  Submitted    ${when(job.submittedAt)}`);
  out.push(`  Ended        ${when(job.endedAt)}`);
  out.push(`  Input        ${job.inputS3Uri ?? '-'}`);
  out.push(`  Output       ${job.outputS3Uri ?? '-'}`);
  if (!r) {
    out.push('', `The job has not ended yet (${job.jobStatus}): there are no results to read.`, `Follow it with: ahi-onboard watch --datastore-id ${job.datastoreId} --job-id ${job.jobId}`);
    return out.join('\n') + '\n';
  }
  out.push('');
  if (r.state !== 'read') {
    out.push(`Results: ${r.message ?? r.state}`);
    return out.join('\n') + '\n';
  }
  const failed = failedCount(r);
  out.push(
    `Results (${r.manifestUri})`,
    `  Files scanned        ${r.numberOfScannedFiles ?? '-'}`,
    `  Files imported       ${r.numberOfImportedFiles ?? '-'}`,
    `  Files failed         ${failed}${r.numberOfFilesWithServerError ? ` (${r.numberOfFilesWithServerError} by a server error)` : ''}`,
    `  Image sets           ${r.numberOfGeneratedImageSets ?? '-'}`,
  );
  if (r.message) out.push(`  Note: ${r.message}`);
  const groups = r.failuresByType ?? [];
  if (groups.length) {
    out.push('', `Failures by type${r.failuresComplete === false ? ' (from the first part of failure.ndjson: counts are at least these)' : ''}`);
    for (const g of groups) {
      out.push(`  ${g.type}: ${plural(g.count, 'file')}`);
      out.push(`    ${g.cause ?? g.message}`);
      if (g.fix) out.push(`    Fix: ${g.fix}`);
      for (const f of g.examples) out.push(`      ${f}`);
      if (g.count > g.examples.length) out.push(`      ... and ${g.count - g.examples.length} more`);
    }
  }
  const warnings = r.warnings ?? [];
  if (warnings.length) {
    out.push('', `Warnings (${warnings.length}${warnings.length >= 50 ? '+' : ''}, from WARNING/warning.ndjson)`);
    for (const w of warnings) out.push(`  ${[w.code, w.type].filter(Boolean).join(' ') || 'Warning'}: ${w.message}${w.inputFile ? `\n      ${w.inputFile}` : ''}`);
  }
  const np = r.nonPrimaryImageSets ?? [];
  if (np.length) {
    out.push('', `Non-primary image sets (${np.length})`, `  ${NON_PRIMARY_MEANING}`);
    for (const s of np) {
      out.push(`  ${s.imageSetId}: ${plural(s.count, 'instance')} that conflicted`);
      for (const f of s.instances) out.push(`      ${f}`);
    }
  }
  return out.join('\n') + '\n';
}
