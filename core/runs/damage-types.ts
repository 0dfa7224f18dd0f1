/**
 * The words a damaged run log is described in, shared by core, the IPC contract and the renderer
 * (types only, so the sandboxed renderer can import them).
 */

/** Where a run log stops being readable. */
export interface RunLogDamage {
  /** 1-based line number of the first bad line. */
  line: number;
  /** Byte offset of that line's first byte in events.ndjson (where a repair cuts). */
  offset: number;
  /** Why it cannot be read, in words (never the line's content). */
  reason: string;
}

/** What a repair did (core/runs/repair-log.ts). */
export interface RunLogRepair {
  runId: string;
  /** False when the log was not damaged: nothing was changed and no backup was made. */
  repaired: boolean;
  damage?: RunLogDamage;
  /** The untouched damaged log (absent when nothing was repaired). */
  backupPath?: string;
  /** Events kept (the readable part). */
  keptEvents: number;
  /** Non-empty lines cut, the damaged one included, and their bytes. */
  cutLines: number;
  cutBytes: number;
  /** Cut lines that were whole events on their own (after the damage; they stay in the backup). */
  cutEvents: number;
}
