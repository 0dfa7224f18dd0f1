/**
 * The four input steps and the start. Owns the form; every rule lives in state/wizardModel.ts.
 * With a preset's `existing` data store it is an import-only wizard ("Import more data into this
 * data store"): account, region and data store are shown locked, only Import and Review are
 * edited, and the start runs import-into-datastore ('run:start' with importInto).
 * Live checks show as the user types (for fields with a value) and for every field after a
 * "Next" that was refused; the main process re-validates with 'inputs:validate' before Review.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Wizard from '@cloudscape-design/components/wizard';
import { SANDBOX_PROFILE, type OnboardingInputs, type PollingSettings, type ProfileSummary } from '../../../contract/ipc';
import { errorMessage, invoke } from '../api';
import {
  datastoreStepErrors,
  emptyForm,
  hasErrors,
  importStepErrors,
  isSandbox,
  issuesToErrors,
  mergeDefaults,
  pollingErrors,
  runInputs,
  startButtonText,
  stepOfField,
  target,
  WIZARD_STEPS,
  type FieldErrors,
  type WizardForm,
} from '../state/wizardModel';
import { initialProfile, orderedProfiles } from '../state/profiles';
import { AccountStep } from './AccountStep';
import { DatastoreStep } from './DatastoreStep';
import type { IdentityState } from './IdentityPanel';
import { ImportStep } from './ImportStep';
import type { WizardPreset } from './preset';
import { isHealthImagingRegion } from './regions';
import { startBlockedReason, type PreflightState } from './PreflightChecks';
import { ReviewStep } from './ReviewStep';

function initialForm(profiles: readonly ProfileSummary[], preset?: WizardPreset): WizardForm {
  if (preset) return preset.form;
  const p = initialProfile(profiles);
  const region = isHealthImagingRegion(p?.region) ? p.region : 'us-east-1';
  return emptyForm(p?.name ?? SANDBOX_PROFILE, region);
}

export function OnboardingWizard(props: {
  profiles: ProfileSummary[];
  preset?: WizardPreset;
  onSandboxChange: (sandbox: boolean) => void;
  onStarted: (runId: string) => void;
  onDiscard: () => void;
}) {
  const { profiles, preset, onSandboxChange } = props;
  const [form, setForm] = useState<WizardForm>(() => initialForm(profiles, preset));
  const [step, setStep] = useState(preset?.startAt ?? 0);
  const [identity, setIdentity] = useState<IdentityState>({ status: 'idle' });
  const [identityRound, setIdentityRound] = useState(0);
  const [touched, setTouched] = useState<ReadonlySet<keyof WizardForm>>(new Set());
  const [showAll, setShowAll] = useState<ReadonlySet<number>>(new Set());
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [stepError, setStepError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [polling, setPolling] = useState<PollingSettings>();
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [preflight, setPreflight] = useState<PreflightState>({ status: 'idle' });
  const [preflightRound, setPreflightRound] = useState(0);
  const [acknowledged, setAcknowledged] = useState(false);
  const pollingEdited = useRef(false);
  const previousDefaults = useRef<OnboardingInputs | undefined>(undefined);
  const sandbox = isSandbox(form.profile);
  const existing = preset?.existing;
  const submitText = startButtonText(existing);

  useEffect(() => onSandboxChange(sandbox), [sandbox, onSandboxChange]);

  // Defaults for this profile and region (sandbox: every field), merged without clobbering edits.
  useEffect(() => {
    let live = true;
    const t = { profile: form.profile, region: form.region };
    invoke('inputs:defaults', t)
      .then((next) => {
        if (!live) return;
        setForm((f) => mergeDefaults(f, previousDefaults.current, next));
        previousDefaults.current = next;
      })
      .catch(() => undefined); // defaults are a convenience; the fields stay editable
    invoke('polling:defaults', t)
      .then((p) => live && !pollingEdited.current && setPolling(p))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [form.profile, form.region]);

  // Who am I with this profile? Re-checked whenever the target changes or the user asks.
  useEffect(() => {
    let live = true;
    setIdentity({ status: 'checking' });
    invoke('identity:check', { profile: form.profile, region: form.region })
      .then((result) => live && setIdentity({ status: 'done', result }))
      .catch((e) => live && setIdentity({ status: 'failed', message: errorMessage(e) }));
    return () => {
      live = false;
    };
  }, [form.profile, form.region, identityRound]);

  // The preflight of exactly what Start would send, run on entering Review and on "Run checks again".
  // A newer request cancels the older one in the main process; leaving Review cancels it too.
  const preflightRequest = useMemo(() => JSON.stringify({ ...target(form), ...runInputs(form, existing) }), [form, existing]);
  const onReview = step === WIZARD_STEPS.indexOf('review');
  useEffect(() => {
    if (!onReview) return;
    let live = true;
    const requestId = `review-${Date.now().toString(36)}-${preflightRound}`;
    setPreflight({ status: 'running' });
    setAcknowledged(false);
    invoke('preflight:run', { ...(JSON.parse(preflightRequest) as ReturnType<typeof target> & ReturnType<typeof runInputs>), requestId })
      .then((result) => live && setPreflight({ status: 'done', result }))
      .catch((e) => live && setPreflight({ status: 'failed', message: errorMessage(e) }));
    return () => {
      live = false;
      invoke('preflight:cancel', { requestId }).catch(() => undefined);
    };
  }, [onReview, preflightRequest, preflightRound]);
  const blockedReason = startBlockedReason(preflight, acknowledged);

  const identityResult = identity.status === 'done' ? identity.result : undefined;
  const callerAccountId = identityResult?.ok ? identityResult.accountId : undefined;

  const set = useCallback(<K extends keyof WizardForm>(field: K, value: WizardForm[K]) => {
    setForm((f) => ({ ...f, [field]: value }));
    setServerErrors((e) => (e[field] ? { ...e, [field]: undefined } : e));
    setStepError(undefined);
  }, []);
  const touch = useCallback((field: keyof WizardForm) => setTouched((t) => (t.has(field) ? t : new Set(t).add(field))), []);

  // An import into an existing data store has no data store settings to check.
  const datastoreErrors = useCallback((f: WizardForm): FieldErrors => (existing ? {} : datastoreStepErrors(f)), [existing]);
  const importErrors = useCallback((f: WizardForm, caller?: string) => importStepErrors(f, caller, Boolean(existing)), [existing]);
  const localErrors = useMemo(() => ({ ...datastoreErrors(form), ...importErrors(form, callerAccountId) }), [form, callerAccountId, datastoreErrors, importErrors]);
  const visibleErrors = useMemo(() => {
    const shown: FieldErrors = {};
    for (const [field, message] of Object.entries({ ...localErrors, ...serverErrors }) as Array<[keyof WizardForm, string | undefined]>) {
      if (!message) continue;
      const stepIndex = WIZARD_STEPS.indexOf(stepOfField(field) ?? 'account');
      const value = form[field];
      const filled = typeof value === 'string' ? value !== '' : Array.isArray(value) ? value.length > 0 : true;
      if (showAll.has(stepIndex) || touched.has(field) || filled || serverErrors[field]) shown[field] = message;
    }
    return shown;
  }, [localErrors, serverErrors, showAll, touched, form]);

  const pErrors = polling ? pollingErrors(polling) : {};
  const profile = profiles.find((p) => p.name === form.profile);

  const identityProblem = (): string | undefined => {
    if (identity.status === 'checking' || identity.status === 'idle') return 'Wait for the identity check to finish.';
    if (identity.status === 'failed') return `The identity check failed: ${identity.message}`;
    if (!identity.result.ok) return 'These credentials cannot be used yet: fix the identity check above, then choose “Check again”.';
    return undefined;
  };

  /** Server-side validation of the whole input set; false when something must be fixed. */
  const validateOnServer = async (): Promise<boolean> => {
    const issues = await invoke('inputs:validate', { ...runInputs(form, existing), ...(callerAccountId ? { callerAccountId } : {}) });
    const { fields, other } = issuesToErrors(issues);
    setServerErrors(fields);
    if (!hasErrors(fields) && other.length === 0) return true;
    const steps = new Set(Object.keys(fields).map((f) => WIZARD_STEPS.indexOf(stepOfField(f) ?? 'import')));
    setShowAll((s) => new Set([...s, ...steps]));
    const first = Math.min(...steps, WIZARD_STEPS.indexOf('import'));
    setStep(first);
    setStepError(other.length ? other.join(' ') : 'Fix the highlighted fields before continuing.');
    return false;
  };

  const tryLeave = async (from: number): Promise<boolean> => {
    if (from === 0) {
      const problem = identityProblem();
      if (problem) {
        setStepError(problem);
        return false;
      }
      return true;
    }
    const errors = from === 1 ? datastoreErrors(form) : from === 2 ? importErrors(form, callerAccountId) : {};
    if (hasErrors(errors)) {
      setShowAll((s) => new Set(s).add(from));
      setStepError('Fix the highlighted fields before continuing.');
      return false;
    }
    if (from === 2) return validateOnServer();
    return true;
  };

  const navigate = async (requested: number, reason: string) => {
    setStepError(undefined);
    if (reason === 'previous' || requested < step) {
      setStep(requested);
      return;
    }
    setBusy(true);
    try {
      if (await tryLeave(step)) setStep(requested);
    } catch (e) {
      setStepError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const start = async () => {
    setStepError(undefined);
    const problem = identityProblem();
    if (problem) {
      setStep(0);
      setStepError(problem);
      return;
    }
    if (hasErrors(datastoreErrors(form))) {
      setShowAll((s) => new Set(s).add(1));
      setStep(1);
      setStepError('Fix the highlighted fields before starting.');
      return;
    }
    if (hasErrors(importErrors(form, callerAccountId))) {
      setShowAll((s) => new Set(s).add(2));
      setStep(2);
      setStepError('Fix the highlighted fields before starting.');
      return;
    }
    if (polling && hasErrors(pErrors)) {
      setStepError('Fix the polling settings before starting.');
      return;
    }
    if (blockedReason) {
      setStepError(blockedReason);
      return;
    }
    setBusy(true);
    try {
      if (!(await validateOnServer())) return;
      // Start anyway only after the user said so, and only when the preflight did not pass.
      const skipPreflight = acknowledged && preflight.status !== 'running' && !(preflight.status === 'done' && preflight.result.ready && preflight.result.errors.length === 0);
      const { runId } = await invoke('run:start', { ...target(form), ...runInputs(form, existing), ...(polling ? { polling } : {}), ...(skipPreflight ? { skipPreflight: true } : {}) });
      props.onStarted(runId);
    } catch (e) {
      setStepError(`The ${existing ? 'import' : 'onboarding'} could not start: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  };

  const onProfile = (p: ProfileSummary) => {
    setForm((f) => ({ ...f, profile: p.name, region: isHealthImagingRegion(p.region) ? p.region : f.region }));
    setServerErrors({});
    setStepError(undefined);
  };

  return (
    <>
      <Wizard
        activeStepIndex={step}
        onNavigate={(e) => void navigate(e.detail.requestedStepIndex, e.detail.reason)}
        onSubmit={() => void start()}
        onCancel={() => (step === 0 && !preset ? props.onDiscard() : setConfirmDiscard(true))}
        isLoadingNextStep={busy}
        submitButtonText={submitText}
        // While the preflight blocks, the wizard's own buttons are replaced by the same three with
        // Start disabled and its reason (the Wizard has no "disabled submit" of its own).
        customPrimaryActions={
          onReview && blockedReason ? (
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" onClick={() => setConfirmDiscard(true)}>
                Discard
              </Button>
              <Button onClick={() => void navigate(step - 1, 'previous')}>Previous</Button>
              <Button variant="primary" disabled disabledReason={blockedReason}>
                {submitText}
              </Button>
            </SpaceBetween>
          ) : undefined
        }
        i18nStrings={{
          stepNumberLabel: (n) => `Step ${n}`,
          collapsedStepsLabel: (n, total) => `Step ${n} of ${total}`,
          navigationAriaLabel: 'Onboarding steps',
          cancelButton: 'Discard',
          previousButton: 'Previous',
          nextButton: 'Next',
          optional: 'optional',
          nextButtonLoadingAnnouncement: 'Checking the values',
          submitButtonLoadingAnnouncement: existing ? 'Starting the import' : 'Starting the onboarding',
        }}
        steps={[
          {
            title: 'Account',
            description: existing ? 'The account and region of the data store: fixed for this import.' : 'Choose the AWS profile and region to onboard, or the local sandbox.',
            errorText: step === 0 ? stepError : undefined,
            content: (
              <AccountStep
                profiles={orderedProfiles(profiles)}
                profile={form.profile}
                region={form.region}
                identity={identity}
                lockedReason={existing ? `Fixed: data store ${existing.datastoreId} lives in this account and region.` : undefined}
                onProfile={onProfile}
                onRegion={(region) => set('region', region)}
                onRetryIdentity={() => setIdentityRound((n) => n + 1)}
              />
            ),
          },
          {
            title: 'Data store',
            description: existing ? 'The existing data store that receives your images: fixed for this import.' : 'The HealthImaging data store that receives your images.',
            errorText: step === 1 ? stepError : undefined,
            content: <DatastoreStep form={form} errors={visibleErrors} existing={existing} set={set} touch={touch} />,
          },
          {
            title: 'Import',
            description: 'Where your DICOM P10 files are, where the results go, and the role that reads and writes them.',
            errorText: step === 2 ? stepError : undefined,
            content: <ImportStep form={form} errors={visibleErrors} sandbox={sandbox} existing={existing} set={set} touch={touch} />,
          },
          {
            title: 'Review and start',
            description: `Check every value. The preflight checks only read; nothing is created before you choose “${submitText}”.`,
            errorText: step === 3 ? stepError : undefined,
            content: (
              <ReviewStep
                form={form}
                profile={profile}
                identity={identityResult}
                sandbox={sandbox}
                existing={existing}
                polling={polling}
                pollingErrors={pErrors}
                onPolling={(p) => {
                  pollingEdited.current = true;
                  setPolling(p);
                }}
                onEdit={(s) => {
                  setStepError(undefined);
                  setStep(s);
                }}
                preflight={preflight}
                acknowledged={acknowledged}
                onAcknowledge={setAcknowledged}
                onRerunPreflight={() => setPreflightRound((n) => n + 1)}
                startText={submitText}
              />
            ),
          },
        ]}
      />
      {confirmDiscard ? (
        <Modal
          visible
          header={existing ? 'Discard this import?' : 'Discard this onboarding?'}
          onDismiss={() => setConfirmDiscard(false)}
          footer={
            <Box float="right">
              <SpaceBetween direction="horizontal" size="xs">
                <Button variant="link" onClick={() => setConfirmDiscard(false)}>
                  Keep editing
                </Button>
                <Button variant="primary" onClick={props.onDiscard}>
                  Discard
                </Button>
              </SpaceBetween>
            </Box>
          }
        >
          The values you entered are cleared and the wizard starts again at the first step. Nothing has been sent to AWS.
        </Modal>
      ) : null}
    </>
  );
}
