/**
 * Run reports: built from a run's event log alone, rendered as JSON (report.schema.json), HTML,
 * Markdown or PDF, with the import's real results read from S3. Shared by the app and the CLI.
 */
export { buildReport, ReportInputError, type BuildReportOptions } from './build';
export { renderJson } from './render-json';
export { renderMarkdown } from './render-markdown';
export { renderHtml, escapeHtml } from './render-html';
export { renderTimelineSvg } from './timeline-svg';
export { renderReport, type TextReportFormat } from './render';
export { reportFileName } from './file-name';
export { readImportResults, jobOutputFolder, parseFailureLines, FAILURE_BYTES, MAX_FAILURES, MAX_IMAGE_SETS, type ReadImportResultsOptions, type JobOutputLocation } from './import-results';
export { renderPdfWithChromium, findChromium, chromiumCandidates, chromiumHelp, ChromiumNotFoundError, type RenderPdfOptions, type FindChromiumOptions } from './pdf';
export { writeFileAtomically } from './write-atomically';
export { exportReport, EXPORT_FORMATS, type ExportFormat, type ExportReportOptions, type ExportedReport } from './export';
export { assertNoSecrets, SecretLeakError } from '../redaction/secrets-guard';
export { redactText, redactValue, isSecretKeyName, REDACTED } from '../redaction/redact';
export { isAllowedReportLink, datastoreConsoleUrl, importJobConsoleUrl, s3ConsoleUrl, DOC_LINKS } from './links';
export { reportSchema } from './schema';
export * from './types';
