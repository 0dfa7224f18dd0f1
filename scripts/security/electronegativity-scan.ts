/**
 * Runs Doyensec's electronegativity through its programmatic API (its command line exits 0 even
 * when it finds problems) over the app's Electron and renderer sources, and sorts the findings
 * into justified and unjustified ones.
 *
 * Justification convention: a comment on the reported line, or in the comment block directly
 * above it, of the form
 *     // electronegativity-justified: CHECK_ID why this is safe, in a few words
 * CHECK_ID must be the exact id of the finding and the reason must say something (three words or
 * more). A finding without a file (a global check) cannot be justified: fix the code instead.
 *
 * The scan itself never touches the network: electronegativity fetches translations and Electron
 * release notes over HTTPS, so its HTTP client is replaced before it loads, and the release-notes
 * check (AvailableSecurityFixesGlobalCheck) is switched off; the Electron version comes from
 * node_modules instead.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type Severity = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH';
export type Confidence = 'TENTATIVE' | 'FIRM' | 'CERTAIN';

export interface Finding {
  id: string;
  severity: Severity;
  confidence: Confidence;
  /** Relative to the scanned root, with '/'; null for a global finding with no location. */
  file: string | null;
  line: number;
  column: number;
  manualReview: boolean;
  description: string;
}

export interface ScanResult {
  findings: Finding[];
  /** Files electronegativity could not parse: an unscanned file is a gap, so callers fail on these. */
  parseErrors: Array<{ file: string; message: string }>;
  checksRun: number;
}

export const JUSTIFICATION_MARK = 'electronegativity-justified:';
const CHECKS_NEEDING_NETWORK = ['availablesecurityfixesglobalcheck'];

interface RawIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: Severity };
  confidence: { name: Confidence };
  manualReview?: boolean;
  description: unknown;
}
interface RawResult {
  globalChecks: number;
  atomicChecks: number;
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
  issues: RawIssue[];
}
type Runner = (options: Record<string, unknown>) => Promise<RawResult>;

const require = createRequire(import.meta.url);
let runner: Runner | undefined;

/** Loads electronegativity with its HTTP client (got) replaced by one that fails at once, offline. */
function loadRunner(): Runner {
  if (runner) return runner;
  const runnerPath = require.resolve('@doyensec/electronegativity');
  const gotPath = createRequire(runnerPath).resolve('got');
  if (!require.cache[gotPath]) {
    const offline = new Module(gotPath);
    offline.loaded = true;
    offline.exports = () => Promise.reject(new Error('network access is disabled for the security scan'));
    require.cache[gotPath] = offline;
  }
  runner = require(runnerPath) as Runner;
  return runner;
}

function installedElectronVersion(): string {
  return (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
}

const isTestFile = (rel: string) => /(^|\/)(test|tests|__tests__|__fixtures__)\//.test(rel) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(rel);

/**
 * Scans the given project folders as one application (so global checks such as "is navigation
 * limited" see the main process and the renderer together). Test files are left out: they are
 * not shipped and may build insecure windows on purpose.
 */
export async function scanElectronSecurity(projectRoot: string, folders: readonly string[]): Promise<ScanResult> {
  const staging = mkdtempSync(path.join(tmpdir(), 'electronegativity-'));
  try {
    for (const folder of folders) {
      cpSync(path.join(projectRoot, folder), path.join(staging, folder), {
        recursive: true,
        filter: (src) => !isTestFile(path.relative(projectRoot, src).split(path.sep).join('/')),
      });
    }
    const raw = await loadRunner()({
      input: staging,
      isRelative: true,
      electronVersionOverride: installedElectronVersion(),
      excludeFromScan: CHECKS_NEEDING_NETWORK,
    });
    return {
      checksRun: raw.globalChecks + raw.atomicChecks,
      parseErrors: raw.errors.filter((e) => !e.tolerable).map((e) => ({ file: path.relative(staging, e.file).split(path.sep).join('/'), message: e.message })),
      findings: raw.issues.map((i) => ({
        id: i.id,
        severity: i.severity.name,
        confidence: i.confidence.name,
        file: !i.file || i.file === 'N/A' ? null : i.file.split(path.sep).join('/'),
        line: i.location.line,
        column: i.location.column,
        manualReview: Boolean(i.manualReview),
        description: typeof i.description === 'string' ? i.description : JSON.stringify(i.description),
      })),
    };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The justification for `finding` in `source`, or null. See the convention at the top of this file. */
export function findJustification(source: string, finding: Pick<Finding, 'id' | 'line'>): string | null {
  const lines = source.split(/\r?\n/);
  const candidates: string[] = [];
  const reported = lines[finding.line - 1];
  if (reported !== undefined) candidates.push(reported);
  for (let i = finding.line - 2; i >= 0; i--) {
    const text = lines[i]!.trim();
    if (!(text.startsWith('//') || text.startsWith('/*') || text.startsWith('*'))) break;
    candidates.push(text);
  }
  for (const text of candidates) {
    const at = text.indexOf(JUSTIFICATION_MARK);
    if (at < 0) continue;
    const [id, ...reason] = text.slice(at + JUSTIFICATION_MARK.length).replace(/\*\/\s*$/, '').trim().split(/\s+/);
    if (id === finding.id && reason.length >= 3) return reason.join(' ');
  }
  return null;
}

export interface Verdict {
  finding: Finding;
  justification: string | null;
}

/** Splits findings at or above `minimum` into justified and unjustified, reading sources from `root`. */
export function judgeFindings(root: string, findings: readonly Finding[], minimum: Severity = 'HIGH'): { justified: Verdict[]; unjustified: Verdict[] } {
  const rank: Record<Severity, number> = { INFORMATIONAL: 0, LOW: 1, MEDIUM: 2, HIGH: 3 };
  const justified: Verdict[] = [];
  const unjustified: Verdict[] = [];
  for (const finding of findings) {
    if (rank[finding.severity] < rank[minimum]) continue;
    const justification = finding.file ? findJustification(readFileSync(path.join(root, finding.file), 'utf8'), finding) : null;
    (justification ? justified : unjustified).push({ finding, justification });
  }
  return { justified, unjustified };
}

export function formatFinding(f: Finding): string {
  return `${f.severity} ${f.id} at ${f.file ?? '(whole app)'}${f.file ? `:${f.line}:${f.column}` : ''}: ${f.description}`;
}
