/**
 * A wizard that does not start empty: "Import more data into this data store" (Done) opens it in
 * import-only mode at the Import step, for the run's data store, with the run's import locations.
 * It then runs import-into-datastore: nothing but an import job is created.
 */
import { SANDBOX_PROFILE } from '../../../contract/ipc';
import { learnedOutputs, type TimelineView } from '../state/timeline';
import { emptyForm, formFromInputs, newClientToken, type ExistingDatastore, type WizardForm } from '../state/wizardModel';

export interface WizardPreset {
  form: WizardForm;
  /** 0-based wizard step to open at. */
  startAt: number;
  /** Set for an import into an existing data store: account, region and data store are fixed. */
  existing?: ExistingDatastore;
}

export function importMorePreset(view: TimelineView): WizardPreset | undefined {
  const learned = learnedOutputs(view);
  const datastoreId = learned.datastoreId ?? (typeof view.inputs.datastoreId === 'string' ? view.inputs.datastoreId : undefined);
  if (!datastoreId || !view.context || !view.runId) return undefined;
  // An onboarding named its store; an import learned the name from GetDatastore.
  const datastoreName = typeof view.inputs.datastoreName === 'string' ? view.inputs.datastoreName : learned.datastoreName;
  const profile = view.context.sandbox ? SANDBOX_PROFILE : (view.context.profile ?? 'default');
  const form = formFromInputs(emptyForm(profile, view.context.region), view.inputs);
  return {
    form: { ...form, importClientToken: newClientToken(), jobName: '' },
    startAt: 2,
    existing: { datastoreId, ...(datastoreName ? { datastoreName } : {}), fromRunId: view.runId },
  };
}

/**
 * "Import data" on a data store's page: the import-only wizard at the Import step for that store,
 * whoever made it. The import fields start empty; the wizard's defaults for the profile fill them.
 */
export function importIntoPreset(target: { profile: string; region: string }, store: { datastoreId: string; datastoreName?: string }): WizardPreset {
  return {
    form: emptyForm(target.profile, target.region),
    startAt: 2,
    existing: { datastoreId: store.datastoreId, ...(store.datastoreName ? { datastoreName: store.datastoreName } : {}) },
  };
}
