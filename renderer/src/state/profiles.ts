/** Which profile the wizard shows first, and in what order. */
import { SANDBOX_PROFILE, type ProfileSummary } from '../../../contract/ipc';

/** The sandbox entry first, then the profiles as ~/.aws lists them. */
export function orderedProfiles(profiles: readonly ProfileSummary[]): ProfileSummary[] {
  return [...profiles.filter((p) => p.name === SANDBOX_PROFILE), ...profiles.filter((p) => p.name !== SANDBOX_PROFILE)];
}

/** The sandbox when no AWS profile exists; otherwise "default", or the first profile. */
export function initialProfile(profiles: readonly ProfileSummary[]): ProfileSummary | undefined {
  const real = profiles.filter((p) => p.name !== SANDBOX_PROFILE);
  if (real.length === 0) return profiles.find((p) => p.name === SANDBOX_PROFILE);
  return real.find((p) => p.name === 'default') ?? real[0];
}
