/** Shared set-up for engine tests: the seed document, a temporary run store, a manual clock. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkflowDocument } from '../../arazzo/document';
import type { WorkflowDocument } from '../../arazzo/types';
import { createRunStore, type RunStore } from '../../runs/run-store';
import type { OperationBinding } from '../binding';
import type { RunEvent } from '../events';
import { IMPORT_INTO_WORKFLOW_ID, ONBOARD_WORKFLOW_ID } from '../../healthimaging/workflows';

/** The shipped document holds two workflows: tests name the one they run. */
export const ONBOARD = ONBOARD_WORKFLOW_ID;
export const IMPORT_INTO = IMPORT_INTO_WORKFLOW_ID;

export const SEED_PATH = new URL('../../../assets/amazon-healthimaging-onboard-datastore-and-import-workflow.yml', import.meta.url);
export const SEED_TEXT = readFileSync(SEED_PATH, 'utf8');

export const SEED_INPUTS = {
  datastoreName: 'onboarding-test',
  datastoreClientToken: 'ds-token-1',
  dataAccessRoleArn: 'arn:aws:iam::123456789012:role/ImportRole',
  importClientToken: 'import-token-1',
  inputS3Uri: 's3://input-bucket/dicom/',
  outputS3Uri: 's3://output-bucket/results/',
};

export function seedDocument(binding?: Pick<OperationBinding, 'has' | 'pathParameters'>): WorkflowDocument {
  return loadWorkflowDocument(SEED_TEXT, binding ? { binding } : {});
}

export function tempStore(): { store: RunStore; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'ahi-runs-'));
  return { store: createRunStore(dir), dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const CONTEXT = { region: 'us-east-1', sandbox: true } as const;

export function types(events: RunEvent[]): string[] {
  return events.map((e) => e.type);
}
