/**
 * Defensive redaction of every event before it is recorded or shown (core/redaction rules: secret-
 * named keys, signatures, key ids, session-token-like runs; values of HealthImaging fields that
 * pass their field rule keep their shape).
 */
import { redactValue } from '../redaction/redact';
import type { RunEvent } from './events';

export function redactEvent(event: RunEvent): RunEvent {
  return redactValue(event);
}
