/**
 * The files a run command reads: the Arazzo document (bundled or --workflow) and the --inputs
 * JSON. Every problem is a UsageError (exit 2), with nothing sent.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { healthImagingCatalog } from '../../core/aws/operation-table';
import { BUNDLED_WORKFLOW_FILE, loadWorkflowDocument, WorkflowDocumentError, type Workflow, type WorkflowDocument } from '../../core/engine/index';
import { generateClientToken } from '../../core/healthimaging/client-token';
import { UsageError } from '../exit-codes';

// Two folders up both from source (cli/run/) and from the built command's chunks (out/cli/).
const WORKFLOW_CANDIDATES = ['../../assets/'].map((dir) => fileURLToPath(new URL(`${dir}${BUNDLED_WORKFLOW_FILE}`, import.meta.url)));
export const BUNDLED_WORKFLOW = WORKFLOW_CANDIDATES.find((f) => existsSync(f)) ?? WORKFLOW_CANDIDATES[0]!;

export async function readWorkflow(path: string): Promise<{ text: string; path: string }> {
  try {
    return { text: await readFile(path, 'utf8'), path };
  } catch (e) {
    throw new UsageError(`Cannot read the workflow file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
}

export function parseDocument(text: string, path: string): WorkflowDocument {
  try {
    return loadWorkflowDocument(text, { path, binding: healthImagingCatalog });
  } catch (e) {
    if (e instanceof WorkflowDocumentError) throw new UsageError(`${path}: ${e.message}`);
    throw e;
  }
}

export async function readInputsFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`Cannot read the inputs file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`The inputs file ${path} is not valid JSON: ${(e as Error).message}.`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`The inputs file ${path} must hold one JSON object of workflow inputs, e.g. {"datastoreName": "..."}.`);
  }
  return value as Record<string, unknown>;
}

/**
 * An import takes the import's inputs only. Settings of a new data store would be silently unused,
 * and an import client token from an earlier run would be answered with that run's job: both are
 * refused, so `import --inputs` of an onboarding's inputs file cannot pretend to import.
 */
export function importInputsFrom(fromFile: Record<string, unknown>, workflow: Workflow, datastoreId: string, file: string): Record<string, unknown> {
  const declared = workflow.inputs && typeof workflow.inputs.properties === 'object' && workflow.inputs.properties !== null ? Object.keys(workflow.inputs.properties) : [];
  const taken = new Set(declared.filter((k) => k !== 'importClientToken' && k !== 'datastoreId'));
  const refused = Object.keys(fromFile).filter((k) => !taken.has(k) && k !== 'datastoreId');
  if (refused.length > 0)
    throw new UsageError(
      `The inputs file ${file} has inputs an import into an existing data store does not take: ${refused.join(', ')}.`,
      `An import takes ${[...taken].join(', ')}. Data store settings belong to \`run\`; every import gets a new import client token.`,
    );
  if (fromFile.datastoreId !== undefined && fromFile.datastoreId !== datastoreId)
    throw new UsageError(`The inputs file ${file} names data store ${String(fromFile.datastoreId)}, but --datastore-id is ${datastoreId}.`, 'Leave datastoreId out of the file, or make them the same.');
  return { ...fromFile, datastoreId, importClientToken: generateClientToken() };
}
