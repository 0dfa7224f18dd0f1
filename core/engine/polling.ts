/**
 * How often a step that loops to itself (the seed's `goto pollDatastore`) asks again, and how the
 * engine slows down for throttling and transient faults. Arazzo 1.0.1 has no delay on goto loops;
 * a literal reading would hammer the service, so the engine applies this policy of its own.
 */

export interface PollingPolicy {
  /** Delay before the next poll at the start of a phase. */
  initialDelayMs: number;
  /** Growth factor per poll once the fast phase is over. */
  multiplier: number;
  /** Cap on the poll delay. Throttling may push a delay up to twice this, never further. */
  maxDelayMs: number;
  /** Deadline for one step (from entering it; time spent paused for credentials does not count). */
  stepTimeoutMs: number;
  /** How long throttling-free transient faults (5xx, network) may persist before the run ends. */
  errorBudgetMs: number;
  /**
   * For this long after a polling step starts or its observed status changes, keep polling every
   * initialDelayMs, so a change early in a phase (the common case) is seen quickly; growth starts
   * afterwards. 0 turns it off. Optional so callers can pass the five fields above alone.
   */
  fastPhaseMs?: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * Defaults per operation, within the service's quotas (GetDatastore 10 rps, GetDICOMImportJob
 * 25 rps, CreateDatastore about one every 12 s, StartDICOMImportJob 1 rps). A data store takes
 * minutes, an import minutes to hours: a 6-hour import costs about 60 polls per 5-minute fast
 * phase and one a minute afterwards (under 500 calls).
 */
export const DEFAULT_POLLING: Readonly<Record<string, PollingPolicy>> = {
  GetDatastore: { initialDelayMs: 4.5 * SECOND, multiplier: 1.5, maxDelayMs: 30 * SECOND, stepTimeoutMs: 30 * MINUTE, errorBudgetMs: 5 * MINUTE, fastPhaseMs: 5 * MINUTE },
  GetDICOMImportJob: { initialDelayMs: 4.5 * SECOND, multiplier: 1.5, maxDelayMs: 60 * SECOND, stepTimeoutMs: 48 * HOUR, errorBudgetMs: 15 * MINUTE, fastPhaseMs: 5 * MINUTE },
  // Create/start are not polled; these govern throttling/transient back-off and their deadline.
  CreateDatastore: { initialDelayMs: 12 * SECOND, multiplier: 2, maxDelayMs: 60 * SECOND, stepTimeoutMs: 15 * MINUTE, errorBudgetMs: 5 * MINUTE, fastPhaseMs: 0 },
  StartDICOMImportJob: { initialDelayMs: 2 * SECOND, multiplier: 2, maxDelayMs: 30 * SECOND, stepTimeoutMs: 15 * MINUTE, errorBudgetMs: 5 * MINUTE, fastPhaseMs: 0 },
};

export const FALLBACK_POLLING: Readonly<PollingPolicy> = {
  initialDelayMs: 5 * SECOND,
  multiplier: 1.5,
  maxDelayMs: 60 * SECOND,
  stepTimeoutMs: 1 * HOUR,
  errorBudgetMs: 5 * MINUTE,
  fastPhaseMs: 0,
};

export type PollingOption = Partial<PollingPolicy> | ((stepId: string, operationId: string) => Partial<PollingPolicy>);

export class InvalidPollingPolicyError extends Error {
  override name = 'InvalidPollingPolicyError';
}

/** The default policy for an operation, with the caller's overrides applied and checked. */
export function resolvePollingPolicy(stepId: string, operationId: string, option?: PollingOption): PollingPolicy {
  const base = DEFAULT_POLLING[operationId] ?? FALLBACK_POLLING;
  const overrides = typeof option === 'function' ? option(stepId, operationId) : (option ?? {});
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Partial<PollingPolicy>;
  const policy: PollingPolicy = { ...base, ...defined };
  // A caller who sets a cap below the default first delay means "at most this often".
  if (defined.maxDelayMs !== undefined && defined.initialDelayMs === undefined && policy.initialDelayMs > policy.maxDelayMs) policy.initialDelayMs = policy.maxDelayMs;
  const bad = (field: keyof PollingPolicy, rule: string) => new InvalidPollingPolicyError(`polling ${field} ${rule} (step ${stepId})`);
  for (const f of ['initialDelayMs', 'maxDelayMs', 'stepTimeoutMs', 'errorBudgetMs'] as const)
    if (!Number.isFinite(policy[f]) || policy[f] < 0) throw bad(f, 'must be a non-negative number of milliseconds');
  if (!Number.isFinite(policy.multiplier) || policy.multiplier < 1) throw bad('multiplier', 'must be at least 1');
  if (policy.maxDelayMs < policy.initialDelayMs) throw bad('maxDelayMs', `must be at least initialDelayMs (${policy.initialDelayMs})`);
  return policy;
}

/**
 * The poll delay sequence of one step entry. `next(now, observedStatus)` gives the delay before the
 * next poll: initialDelayMs during the fast phase (restarted by a status change), then growing by
 * `multiplier` up to `maxDelayMs`. Throttling raises the floor for the rest of the phase.
 */
export class PollSchedule {
  private delayMs: number;
  private phaseStartedAt: number;
  private lastStatus: string | undefined;
  private floorMs = 0;

  constructor(
    readonly policy: PollingPolicy,
    startedAt: number,
  ) {
    this.delayMs = policy.initialDelayMs;
    this.phaseStartedAt = startedAt;
  }

  next(now: number, observedStatus: string | undefined): number {
    if (observedStatus !== this.lastStatus) {
      if (this.lastStatus !== undefined) {
        this.phaseStartedAt = now;
        this.delayMs = this.policy.initialDelayMs;
      }
      this.lastStatus = observedStatus;
    }
    const inFastPhase = now - this.phaseStartedAt < (this.policy.fastPhaseMs ?? 0);
    const delay = inFastPhase ? this.policy.initialDelayMs : this.delayMs;
    if (!inFastPhase) this.delayMs = Math.min(this.policy.maxDelayMs, this.delayMs * this.policy.multiplier);
    return Math.max(delay, Math.min(this.floorMs, this.policy.maxDelayMs));
  }

  /** The delay polls currently run at (for back-off that must never go below it). */
  current(): number {
    return Math.max(this.delayMs, this.floorMs);
  }

  /** After a throttled answer, later polls in this phase wait at least this long. */
  raiseFloor(ms: number): void {
    this.floorMs = Math.max(this.floorMs, ms);
  }
}

/**
 * Back-off after a throttled or transient answer: double the current delay (never below it),
 * at least the server's Retry-After, never above twice the cap.
 */
export function backoffDelay(currentMs: number, policy: PollingPolicy, retryAfterMs?: number): number {
  const doubled = Math.max(currentMs, 1) * 2;
  return Math.min(2 * policy.maxDelayMs, Math.max(doubled, retryAfterMs ?? 0));
}
