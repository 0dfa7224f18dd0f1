/**
 * The one writer every CLI print path goes through: stdout and stderr text passes the outgoing
 * guard (core/redaction/outgoing) with the secrets of the sessions opened so far, so a credential
 * that slipped past redaction at the source is cut before it reaches a terminal, a pipe or a CI log.
 */
import { createOutgoingGuard } from '../core/redaction/outgoing';
import type { CliIO } from './run-command';

export function guardedIO(io: CliIO): CliIO {
  if (io.guard) return io;
  const guard = createOutgoingGuard();
  return {
    ...io,
    out: (s) => io.out(guard.text(s)),
    err: (s) => io.err(guard.text(s)),
    guard,
  };
}

/** A readline prompt (written by readline itself, not by out/err) through the same guard. */
export function guardPrompt(io: Pick<CliIO, 'guard'>, text: string): string {
  return io.guard ? io.guard.text(text) : text;
}
