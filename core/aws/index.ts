export { listProfiles, describeProfiles, credentialKind, type AwsProfileInfo, type CredentialKind } from './profiles';
export { resolveServiceEndpoints, resolveServiceEndpointsFrom, EndpointConfigError, type ServiceEndpoints } from './endpoints';
export {
  createAwsSession,
  DEFAULT_MAX_ATTEMPTS,
  HEALTHIMAGING_REGIONS,
  type AwsSession,
  type CallerIdentity,
  type CreateAwsSessionOptions,
  type SandboxTarget,
} from './session';
export { classifyAwsError, AwsFaultError, AwsSetupError, type AwsErrorClassification, type ClassifyContext } from './errors';
export { createOperationBinding, toWireTimestamps, HEALTHIMAGING_OPERATIONS, healthImagingCatalog, type OperationBindingOptions } from './operation-table';
