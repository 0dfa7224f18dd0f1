/**
 * The workflows of the shipped Arazzo document (assets/amazon-healthimaging-onboard-datastore-and-import-workflow.yml).
 * The document holds two, so every caller names the one it runs: the engine refuses to guess.
 * PURE: no Node imports (the renderer uses these too).
 */

/** The file name of the shipped document under assets/. */
export const BUNDLED_WORKFLOW_FILE = 'amazon-healthimaging-onboard-datastore-and-import-workflow.yml';

/** Create a data store, wait until ACTIVE, import, wait for the job: the default everywhere. */
export const ONBOARD_WORKFLOW_ID = 'onboard-datastore-and-import';

/** Check an existing data store is ACTIVE, import into it, wait for the job: creates only the job. */
export const IMPORT_INTO_WORKFLOW_ID = 'import-into-datastore';

/**
 * Watch an import job that already runs, whoever started it (core/app/attach.ts): GetDICOMImportJob
 * polled to COMPLETED or FAILED. Not in the shipped document: the app builds it, and it creates nothing.
 */
export const ATTACH_WORKFLOW_ID = 'attach-to-import-job';

export type BundledWorkflowId = typeof ONBOARD_WORKFLOW_ID | typeof IMPORT_INTO_WORKFLOW_ID;
