/** The Import and Review steps: default inputs, their validation, and the polling settings. */
import type { HandlersFor, OnboardingInputs, PollingSettings } from '../../../contract/ipc';
import { runInputIssues } from '../../../core/app/inputs';
import { DEMO_POLLING, demoOnboardingInputs } from '../../../core/app/sandbox-host';
import { isSandboxTarget } from '../../../core/app/sessions';
import { DEFAULT_POLLING, type PollingPolicy } from '../../../core/engine/index';
import { generateClientToken } from '../../../core/healthimaging/client-token';
import type { HandlerContext } from './context';

export type InputsHandlers = HandlersFor<'inputs:defaults' | 'inputs:validate' | 'polling:defaults'>;

const seconds = (ms: number) => ms / 1000;

/** What the wizard shows for the sandbox: the one demo polling policy. */
export const SANDBOX_POLLING: PollingSettings = {
  initialDelaySeconds: seconds(DEMO_POLLING.initialDelayMs),
  multiplier: DEMO_POLLING.multiplier,
  maxDelaySeconds: seconds(DEMO_POLLING.maxDelayMs),
  stepTimeoutSeconds: seconds(DEMO_POLLING.stepTimeoutMs),
};

/** What the wizard shows for real AWS: the import job's defaults (the long phase). */
export function awsPollingDefaults(): PollingSettings {
  const job = DEFAULT_POLLING['GetDICOMImportJob']!;
  return {
    initialDelaySeconds: seconds(job.initialDelayMs),
    multiplier: job.multiplier,
    maxDelaySeconds: seconds(job.maxDelayMs),
    stepTimeoutSeconds: seconds(job.stepTimeoutMs),
  };
}

export function samePolling(a: PollingSettings, b: PollingSettings): boolean {
  return (
    a.initialDelaySeconds === b.initialDelaySeconds &&
    a.multiplier === b.multiplier &&
    a.maxDelaySeconds === b.maxDelaySeconds &&
    a.stepTimeoutSeconds === b.stepTimeoutSeconds
  );
}

/** The user's polling settings apply to the polling (status-reading) steps only. */
export function userPolling(settings: PollingSettings) {
  const policy: Partial<PollingPolicy> = {
    initialDelayMs: Math.round(settings.initialDelaySeconds * 1000),
    multiplier: settings.multiplier,
    maxDelayMs: Math.round(settings.maxDelaySeconds * 1000),
    stepTimeoutMs: Math.round(settings.stepTimeoutSeconds * 1000),
  };
  return (_stepId: string, operationId: string): Partial<PollingPolicy> => (/^(Get|List|Describe)/.test(operationId) ? policy : {});
}

export function inputsHandlers({ sandbox, loadWorkflow }: HandlerContext): InputsHandlers {
  return {
    async 'inputs:defaults'(target): Promise<OnboardingInputs> {
      if (isSandboxTarget(target)) return demoOnboardingInputs((await sandbox.get()).demo);
      return {
        datastoreName: '',
        datastoreClientToken: generateClientToken(),
        dataAccessRoleArn: '',
        importClientToken: generateClientToken(),
        inputS3Uri: '',
        outputS3Uri: '',
      };
    },

    async 'inputs:validate'(request) {
      const { document } = await loadWorkflow();
      return runInputIssues(document, request, request.callerAccountId);
    },

    async 'polling:defaults'(target): Promise<PollingSettings> {
      return isSandboxTarget(target) ? { ...SANDBOX_POLLING } : awsPollingDefaults();
    },
  };
}
