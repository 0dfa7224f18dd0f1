/**
 * Types derived from the contract's event union, so the renderer imports types from contract/
 * only (never from core/).
 */
import type { RunEvent } from '../../../contract/ipc';

export type EventOf<T extends RunEvent['type']> = Extract<RunEvent, { type: T }>;
export type ImportResults = EventOf<'import-results'>['results'];
export type RunContext = EventOf<'run-started'>['context'];
export type WaitReason = EventOf<'waiting'>['reason'];
/** An event before the run store stamps it (test fixtures and the dev stub build these). */
export type RunEventDraft = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'runId' | 'seq' | 'at'> : never) : never;
