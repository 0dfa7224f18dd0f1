/**
 * What every feature's handlers share: the host's dependencies and the application layer's
 * services (runs, sessions, the sandbox host), built once by createHandlers.
 */
import type { PushName, Pushes, ReportFormat } from '../../../contract/ipc';
import type { OsProxyLookup } from '../../../core/aws/network';
import type { OutgoingGuard } from '../../../core/redaction/outgoing';
import type { BatchService } from '../../../core/app/batch-service-types';
import type { PreflightRegistry } from '../../../core/app/preflight';
import type { RunService } from '../../../core/app/runs';
import type { SandboxHost } from '../../../core/app/sandbox-host';
import type { SessionRegistry } from '../../../core/app/sessions';
import type { WorkflowDocument } from '../../../core/engine/index';
import type { RunStore } from '../../../core/runs/run-store';
import type { Sandbox } from '../../../sandbox/index';
import type { MfaPrompt } from './mfa-prompt';

export interface HandlerDeps {
  runsDir: string;
  userDataDir: string;
  /** The ONLY source of a path to write a report to; undefined when the user cancelled. */
  dialogs: { saveReport(defaultName: string, format: ReportFormat): Promise<string | undefined> };
  openExternal(url: string): Promise<void>;
  /** Opens an IAM Identity Center sign-in page (already vetted by vetSignInUrl); absent: sign-in cannot open a browser. */
  openSignInUrl?(url: string): Promise<void>;
  printToPdf(html: string): Promise<Buffer>;
  push<P extends PushName>(push: P, payload: Pushes[P]): void;
  env?: NodeJS.ProcessEnv;
  /** The Arazzo workflow to run; default: assets/ of this repository. */
  workflowPath?: string;
  appInfo?: { name?: string; version?: string; electron: boolean };
  /** Sandbox minutes per real minute; default DEMO_TIME_SCALE (a whole demo onboarding in seconds). */
  sandboxTimeScale?: number;
  /** Called once the embedded sandbox runs (tests use it to inject faults). */
  onSandboxStarted?(sandbox: Sandbox): void;
  /** How long pushes are batched; default 50 ms. */
  pushIntervalMs?: number;
  /** The OS proxy for an AWS endpoint (electron/main/os-proxy.ts); environment variables win. */
  osProxyFor?: OsProxyLookup;
  /** The leak guard of what leaves for the window (ipc.ts): every session adds its secrets. */
  guard?: Pick<OutgoingGuard, 'addSecrets'>;
  /**
   * Runs archive imports (issue 14). Made from the handler context, so it can use the sessions
   * and the sandbox; absent: 'batch:start' and the rest answer that the runner is not connected.
   */
  batchService?(ctx: HandlerContext): BatchService;
}

export interface HandlerContext {
  deps: HandlerDeps;
  env: NodeJS.ProcessEnv;
  store: RunStore;
  runs: RunService;
  sessions: SessionRegistry;
  /** Preflights under way, by request id (cancelled by a newer one, or when the app closes). */
  preflights: PreflightRegistry;
  sandbox: SandboxHost;
  mfa: MfaPrompt;
  loadWorkflow(): Promise<{ text: string; document: WorkflowDocument }>;
  /** Throws once the app is closing: nothing new starts then. */
  assertOpen(): void;
}
