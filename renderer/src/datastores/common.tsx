/**
 * What the Data stores, data store and job pages share: the account and region they look at, the
 * status words as the console shows them, and the one "filter, then page" rule for their tables.
 */
import { useEffect, useState } from 'react';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import { SANDBOX_PROFILE, type ProfileSummary, type RunTarget } from '../../../contract/ipc';
import { errorMessage } from '../api';
import { initialProfile } from '../state/profiles';
import { isSandbox } from '../state/wizardModel';
import { isHealthImagingRegion, REGION_OPTIONS } from '../wizard/regions';

export { pageOf } from '../state/paging';

/** The account and region first shown: the same choice the wizard's Account step starts with. */
export function initialTarget(profiles: readonly ProfileSummary[]): RunTarget {
  const p = initialProfile(profiles);
  return { profile: p?.name ?? SANDBOX_PROFILE, region: isHealthImagingRegion(p?.region) ? p.region : 'us-east-1' };
}

const DATASTORE_STATUS: Record<string, StatusIndicatorProps.Type> = {
  ACTIVE: 'success',
  CREATING: 'in-progress',
  CREATE_FAILED: 'error',
  DELETING: 'in-progress',
  DELETED: 'stopped',
};
const JOB_STATUS: Record<string, StatusIndicatorProps.Type> = {
  SUBMITTED: 'pending',
  IN_PROGRESS: 'in-progress',
  COMPLETED: 'success',
  FAILED: 'error',
};

const words = (status: string) => status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, ' ');

export function DatastoreStatus({ status }: { status: string }) {
  return <StatusIndicator type={DATASTORE_STATUS[status] ?? 'info'}>{words(status)}</StatusIndicator>;
}

export function JobStatus({ status }: { status: string }) {
  return <StatusIndicator type={JOB_STATUS[status] ?? 'info'}>{words(status)}</StatusIndicator>;
}

export const isRunningJob = (status: string) => status === 'SUBMITTED' || status === 'IN_PROGRESS';

export function statusOptions(statuses: readonly string[], noun: string): SelectProps.Option[] {
  return [{ value: '', label: `Any ${noun}` }, ...statuses.map((s) => ({ value: s, label: words(s) }))];
}

/** Profile and region pickers; the sandbox answers in its own region only, so its region is fixed. */
export function TargetPicker({ profiles, target, onChange }: { profiles: readonly ProfileSummary[]; target: RunTarget; onChange(t: RunTarget): void }) {
  const profileOptions = profiles.map((p) => ({ value: p.name, label: p.label, ...(p.region ? { description: p.region } : {}) }));
  const selectedProfile = profileOptions.find((o) => o.value === target.profile) ?? { value: target.profile, label: target.profile };
  const selectedRegion = REGION_OPTIONS.find((o) => o.value === target.region) ?? { value: target.region, label: target.region };
  const sandbox = isSandbox(target.profile);
  return (
    <SpaceBetween direction="horizontal" size="xs">
      <Select
        ariaLabel="Profile"
        selectedOption={selectedProfile}
        options={profileOptions}
        onChange={(e) => {
          const p = profiles.find((x) => x.name === e.detail.selectedOption.value);
          if (p) onChange({ profile: p.name, region: isHealthImagingRegion(p.region) ? p.region : target.region });
        }}
      />
      <Select ariaLabel="Region" selectedOption={selectedRegion} options={REGION_OPTIONS} disabled={sandbox} onChange={(e) => onChange({ ...target, region: e.detail.selectedOption.value ?? target.region })} />
    </SpaceBetween>
  );
}

/** A command's answer with loading and error states; `reload` asks again. */
export function useCommand<T>(load: () => Promise<T>, deps: readonly unknown[]): { data: T | undefined; error: string | undefined; loading: boolean; reload(): void } {
  const [round, setRound] = useState(0);
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load()
      .then((data) => live && setState({ data, loading: false }))
      .catch((e: unknown) => live && setState({ error: errorMessage(e), loading: false }));
    return () => {
      live = false;
    };
    // The caller names what the load depends on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  return { data: state.data, error: state.error, loading: state.loading, reload: () => setRound((r) => r + 1) };
}
