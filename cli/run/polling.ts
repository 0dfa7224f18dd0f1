/**
 * The polling policy from the command line. --timeout is a deadline for the whole run: the engine's
 * policy is resolved at each step entry, so each step gets the time that is left (and the run ends
 * `timed_out`, resumable, when it runs out). A sandbox run starts from the one demo policy.
 */
import { DEMO_POLLING } from '../../core/app/sandbox-host';
import { DEFAULT_POLLING, FALLBACK_POLLING, type PollingPolicy } from '../../core/engine/index';
import type { RunSettings } from '../args';

export function pollingFrom(settings: RunSettings, sandbox: boolean, now: () => number = Date.now) {
  const demo: Partial<PollingPolicy> = sandbox ? { ...DEMO_POLLING } : {};
  const first = settings.pollInterval !== undefined ? Math.round(settings.pollInterval * 1000) : demo.initialDelayMs;
  const cap = settings.pollMaxInterval !== undefined ? Math.round(settings.pollMaxInterval * 1000) : demo.maxDelayMs !== undefined ? Math.max(demo.maxDelayMs, first ?? 0) : undefined;
  const fixed: Partial<PollingPolicy> = {
    ...demo,
    ...(first !== undefined ? { initialDelayMs: first } : {}),
    ...(cap !== undefined ? { maxDelayMs: cap } : {}),
  };
  // The user's own interval governs from the first poll: no demo fast phase then.
  if (settings.pollInterval !== undefined) delete fixed.fastPhaseMs;
  if (settings.timeout === undefined) return Object.keys(fixed).length > 0 ? fixed : undefined;
  const deadline = now() + settings.timeout * 1000;
  return (_stepId: string, operationId: string): Partial<PollingPolicy> => {
    const left = Math.max(0, deadline - now());
    // The step's own deadline still holds when it comes sooner.
    const stepDefault = fixed.stepTimeoutMs ?? (DEFAULT_POLLING[operationId] ?? FALLBACK_POLLING).stepTimeoutMs;
    return { ...fixed, stepTimeoutMs: Math.min(stepDefault, left) };
  };
}
