/**
 * Client tokens make CreateDatastore and StartDICOMImportJob idempotent: the same token returns the
 * same resource. A token is generated once per run, recorded with the run's inputs, and re-sent on
 * every retry and resume. PURE: `crypto.randomUUID` exists in Node 20 and every browser we target.
 */
export function generateClientToken(): string {
  // A UUID is 36 characters of [0-9a-f-], within the model's 1-64 and ^[A-Za-z0-9._-]+$.
  return globalThis.crypto.randomUUID();
}
