/**
 * Rules on request values that both sides apply: the renderer shows them as the user types
 * (renderer/src/state/wizardModel.ts), and the main process enforces them on every request
 * (contract/schemas.ts), so a payload that skips the form is held to the same floors. Plain
 * values only: the renderer bundles this file.
 */

/** Polling bounds, seconds (the multiplier is a factor); maxDelaySeconds must also be at least initialDelaySeconds. */
export const POLLING_LIMITS = {
  initialDelaySeconds: { min: 0.1, max: 3600 },
  multiplier: { min: 1, max: 10 },
  maxDelaySeconds: { max: 3600 },
  stepTimeoutSeconds: { min: 10, max: 7 * 24 * 3600 },
} as const;

/** A run id names its folder under the runs folder: the rule of core/runs/run-store.ts. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const RUN_ID_RULE = 'letters, digits, ".", "_" or "-", starting with a letter or digit, at most 128, no ".."';

export function isRunId(value: string): boolean {
  return RUN_ID.test(value) && !value.includes('..');
}

/** S3's bucket naming rules, as far as a name can be checked before asking S3. */
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
export const S3_BUCKET_RULE = 'an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit';

export function isBucketName(value: string): boolean {
  return S3_BUCKET.test(value) && !value.includes('..');
}

/** What S3 browsing opens and chooses: a folder, never one object. */
export const S3_FOLDER_RULE = 'a folder prefix: empty (the whole bucket) or ending in "/", not starting with "/", at most 1,024 bytes';

export function isFolderPrefix(value: string): boolean {
  return (value === '' || value.endsWith('/')) && !value.startsWith('/') && new TextEncoder().encode(value).length <= 1024;
}
