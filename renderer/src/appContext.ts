/** What any screen may ask of the shell: navigate, announce, show a message. */
import { createContext, useContext } from 'react';
import type { ArchiveImportPreset } from './batch/ArchiveImportView';
import type { WizardPreset } from './wizard/preset';

export interface Notice {
  id: string;
  type: 'success' | 'error' | 'info' | 'warning';
  header: string;
  content?: string;
  /** Notices of one topic (e.g. 'report-export'): a new one replaces the last, they never pile up. */
  topic?: string;
}

export interface AppActions {
  /** Load a run's log (History) and show its timeline. */
  openRun(runId: string): Promise<void>;
  /** Resume an interrupted or resumable run and show it live. */
  resumeRun(runId: string): Promise<void>;
  /** A run this window just started. */
  runStarted(runId: string): void;
  newOnboarding(preset?: WizardPreset): void;
  showHistory(): void;
  /** "Import an archive", for one data store when a preset names it (its page's profile and region). */
  openArchiveImport(preset?: ArchiveImportPreset): void;
  /** Show one archive import (batch), live while it runs. */
  openBatch(batchId: string): void;
  /** A run watching an import job started elsewhere ('job:attach'): show it live (`already`: it was being watched). */
  watchRun(runId: string, already?: boolean): void;
  announce(text: string): void;
  notify(notice: Omit<Notice, 'id'>): void;
}

export const AppActionsContext = createContext<AppActions | null>(null);

export function useAppActions(): AppActions {
  const actions = useContext(AppActionsContext);
  if (!actions) throw new Error('useAppActions outside the app shell');
  return actions;
}
