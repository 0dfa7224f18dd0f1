/**
 * A wizard that does not start empty: "Import more data into this data store" (Done, History)
 * opens it at the Import step with the recorded inputs and a fresh import client token.
 */
import { SANDBOX_PROFILE } from '../../../contract/ipc';
import type { TimelineView } from '../state/timeline';
import { emptyForm, formFromInputs, newClientToken, type ReuseOfDatastore, type WizardForm } from '../state/wizardModel';

export interface WizardPreset {
  form: WizardForm;
  /** 0-based wizard step to open at. */
  startAt: number;
  reuse?: ReuseOfDatastore;
}

export function importMorePreset(view: TimelineView): WizardPreset | undefined {
  const datastoreId = view.steps.map((s) => s.outputs.datastoreId).find((id) => id) ?? (typeof view.outputs.datastoreId === 'string' ? view.outputs.datastoreId : undefined);
  if (!datastoreId || !view.context || !view.runId) return undefined;
  const profile = view.context.sandbox ? SANDBOX_PROFILE : (view.context.profile ?? 'default');
  const base = emptyForm(profile, view.context.region);
  const form = formFromInputs(base, view.inputs);
  return {
    form: { ...form, importClientToken: newClientToken(), jobName: '' },
    startAt: 2,
    reuse: { datastoreId, fromRunId: view.runId },
  };
}
