/**
 * Turns anything thrown by a handler into a message safe to show in the window or write to a log:
 * no stack, bounded length, and the one rule set every other output uses (core/redaction: access
 * keys, secrets, session tokens, signatures, Authorization headers, canonical requests).
 */
import { redactText } from '../../core/redaction/redact';

/** The message of a thrown value, redacted, without its stack. */
export function safeErrorMessage(error: unknown, max = 1000): string {
  const raw =
    error instanceof Error ? error.message : typeof error === 'string' ? error : 'Unexpected error in the main process';
  const message = redactText(raw.split('\n    at ')[0] ?? raw).trim() || 'Unexpected error in the main process';
  return message.length > max ? message.slice(0, max) + '…' : message;
}
