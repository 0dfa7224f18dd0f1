import Alert from '@cloudscape-design/components/alert';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { SANDBOX_PROFILE, type ProfileSummary } from '../../../contract/ipc';
import { orderedProfiles } from '../state/profiles';
import { ConnectionPanel } from './ConnectionPanel';
import { IdentityPanel, type IdentityState } from './IdentityPanel';
import { isHealthImagingRegion, REGION_OPTIONS, regionName } from './regions';

const KIND_TEXT: Record<ProfileSummary['kind'], string> = {
  sandbox: 'Embedded sandbox, demo data',
  static: 'Access keys',
  'assume-role': 'Assumed role',
  sso: 'AWS IAM Identity Center (SSO)',
  process: 'credential_process',
  'web-identity': 'Web identity token',
  unknown: 'Credentials resolved by the AWS SDK',
};

export function profileOption(p: ProfileSummary): SelectProps.Option {
  const parts = [KIND_TEXT[p.kind]];
  if (p.mfa) parts.push('MFA');
  if (p.customEndpoint) parts.push('custom endpoint');
  return {
    value: p.name,
    label: p.label,
    description: parts.join(' · '),
    tags: p.name === SANDBOX_PROFILE ? ['No AWS account needed'] : p.region ? [p.region] : undefined,
  };
}

export function AccountStep(props: {
  profiles: ProfileSummary[];
  profile: string;
  region: string;
  identity: IdentityState;
  /** Set when importing more data into an existing data store: its account and region are fixed. */
  lockedReason?: string;
  onProfile: (profile: ProfileSummary) => void;
  onRegion: (region: string) => void;
  onRetryIdentity: () => void;
}) {
  const ordered = orderedProfiles(props.profiles);
  const options = ordered.map(profileOption);
  const selected = options.find((o) => o.value === props.profile) ?? null;
  const current = props.profiles.find((p) => p.name === props.profile);
  const regionOption = REGION_OPTIONS.find((o) => o.value === props.region) ?? null;
  const profileRegionUnsupported = current?.region && !isHealthImagingRegion(current.region);
  const onlySandbox = ordered.every((p) => p.name === SANDBOX_PROFILE);

  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2" description="The AWS profile from your ~/.aws configuration that the onboarding runs with.">Profile and region</Header>}>
        <SpaceBetween size="l">
          <FormField
            controlId="profile"
            label="AWS profile"
            description={props.lockedReason ?? (onlySandbox ? 'No AWS profile was found on this computer, so the local sandbox is selected.' : undefined)}
          >
            <Select
              disabled={Boolean(props.lockedReason)}
              controlId="profile"
              selectedOption={selected}
              options={options}
              onChange={(e) => {
                const p = props.profiles.find((x) => x.name === e.detail.selectedOption.value);
                if (p) props.onProfile(p);
              }}
              filteringType={options.length > 8 ? 'auto' : 'none'}
              placeholder="Choose a profile"
            />
          </FormField>
          <FormField
            controlId="region"
            label="Region"
            description="Only the regions that offer HealthImaging are listed."
            warningText={profileRegionUnsupported ? `The profile's region ${current.region} does not offer HealthImaging; ${regionName(props.region)} (${props.region}) is used instead.` : undefined}
          >
            <Select
              disabled={Boolean(props.lockedReason)}
              controlId="region"
              selectedOption={regionOption}
              options={REGION_OPTIONS}
              onChange={(e) => e.detail.selectedOption.value && props.onRegion(e.detail.selectedOption.value)}
            />
          </FormField>
          {current?.customEndpoint ? (
            <Alert type="info" header="Custom endpoint">
              This profile's configuration points HealthImaging at a custom endpoint; the onboarding talks to that endpoint.
            </Alert>
          ) : null}
        </SpaceBetween>
      </Container>
      <IdentityPanel state={props.identity} profile={props.profile} sandbox={props.profile === SANDBOX_PROFILE} onRetry={props.onRetryIdentity} />
      <ConnectionPanel profile={props.profile} region={props.region} />
    </SpaceBetween>
  );
}
