/**
 * Defensive redaction of every event before it is recorded or shown (core/report/redact.ts rules:
 * secret-named keys, signatures, key ids, session-token-like runs). One exception: a value of a
 * HealthImaging field that passes its field rule (a data store name, an S3 URI, an ARN, an id) has
 * a known, non-secret shape and is kept as is, so a 40-character mixed-case data store name is not
 * masked as if it were a secret key in the timeline.
 */
import { checkField, fieldForInput } from '../healthimaging/field-rules';
import { REDACTED, isSecretKeyName, redactValue } from '../report/redact';
import type { RunEvent } from './events';

function redactFields(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    const field = fieldForInput(k);
    if (isSecretKeyName(k)) out[k] = REDACTED;
    else if (field && typeof v === 'string' && checkField(field, v) === undefined) out[k] = v;
    else out[k] = redactValue(v, k);
  }
  return out;
}

export function redactEvent(event: RunEvent): RunEvent {
  const redacted = redactValue(event);
  switch (event.type) {
    case 'run-started':
      return { ...(redacted as typeof event), inputs: redactFields(event.inputs) };
    case 'request-sent':
      return { ...(redacted as typeof event), input: redactFields(event.input) };
    case 'response-received':
    case 'step-ended':
      return event.outputs ? { ...(redacted as typeof event), outputs: redactFields(event.outputs) } : redacted;
    case 'run-ended':
      return { ...(redacted as typeof event), outputs: redactFields(event.outputs) };
    default:
      return redacted;
  }
}
