/**
 * What the app's "Import an archive" asks of the batch runner, as one interface: the IPC handlers
 * (electron/main/handlers/batches.ts) call it and know nothing of ledgers or polling; the runner's
 * application layer (core/app/batches.ts) implements it. Types only. Every value that crosses it
 * is an id, a location, a count or a status: no credential.
 */
import type { BatchProgressUpdate, BatchStartRequest, BatchSummary } from '../../contract/ipc';
import type { AwsSession } from '../aws/session';
import type { BatchReport } from '../batch/batch-types';

export type { BatchProgressUpdate, BatchStartRequest, BatchSummary };

export interface BatchService {
  /**
   * Plans the archive again (the plan the user saw may be stale), writes the batch's ledger and
   * starts submitting jobs in the background; resolves with the batch id once the ledger exists.
   * Rejects, with nothing started, when the archive needs staging and no stageTo was given.
   */
  start(request: BatchStartRequest): Promise<{ batchId: string }>;
  /** Submits no new job; jobs already submitted run on and are still watched. */
  pause(batchId: string): Promise<void>;
  /** Continues a paused batch, or takes over an interrupted one from its ledger (no prefix starts twice). */
  resume(batchId: string): Promise<void>;
  /** Submits nothing more and ends the batch as cancelled once the submitted jobs are recorded. */
  cancel(batchId: string): Promise<void>;
  /** Every batch in the ledger folder, newest first, running ones included. */
  list(): Promise<BatchSummary[]>;
  /** The report as of now (a running batch's too). Rejects for an unknown batch id. */
  report(batchId: string): Promise<BatchReport>;
  /** Hears every change of any batch this process drives; returns the unsubscribe. */
  onProgress(listener: (update: BatchProgressUpdate) => void): () => void;
  /** Stops driving every batch without ending it (the app quits): each stays resumable. */
  stopAll?(reason: string): Promise<void>;
  /** Whether a batch driven now signs with this session (the session registry must not close it). */
  usesSession?(session: AwsSession): boolean;
}
