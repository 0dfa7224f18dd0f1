/** The SDK clients the preflight calls: an AwsSession (core/aws/session) has them all. */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { CheckOutcome } from './outcome';
import type { ImportLimits, PreflightInputs, PreflightProgress } from './types';

export interface PreflightClients {
  region: string;
  sts: STSClient;
  s3: S3Client;
  iam: IAMClient;
  kms: KMSClient;
  medicalImaging: MedicalImagingClient;
}

/** What every check gets once the caller's identity is known. */
export interface CheckContext {
  clients: PreflightClients;
  region: string;
  account: string;
  inputs: PreflightInputs;
  limits: ImportLimits;
  signal?: AbortSignal;
  progress: (p: PreflightProgress) => void;
}

/** An SDK call option bag carrying the abort signal. */
export const aborting = (signal?: AbortSignal) => (signal ? { abortSignal: signal } : {});

export type { CheckOutcome };
