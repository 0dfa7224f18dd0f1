import { describe, expect, it } from 'vitest';
import { SANDBOX_PROFILE, type ProfileSummary } from '../../../contract/ipc';
import { initialProfile, orderedProfiles } from './profiles';

const sandbox: ProfileSummary = { name: SANDBOX_PROFILE, label: 'Local sandbox (no AWS account needed)', kind: 'sandbox' };
const dev: ProfileSummary = { name: 'dev', label: 'dev', kind: 'sso', region: 'eu-west-1' };
const def: ProfileSummary = { name: 'default', label: 'default', kind: 'static', region: 'us-east-1' };

describe('profile choice', () => {
  it('lists the sandbox first', () => {
    expect(orderedProfiles([dev, sandbox, def]).map((p) => p.name)).toEqual([SANDBOX_PROFILE, 'dev', 'default']);
  });

  it('preselects the sandbox only when no AWS profile exists', () => {
    expect(initialProfile([sandbox])?.name).toBe(SANDBOX_PROFILE);
    expect(initialProfile([sandbox, dev, def])?.name).toBe('default');
    expect(initialProfile([sandbox, dev])?.name).toBe('dev');
    expect(initialProfile([])).toBeUndefined();
  });
});
