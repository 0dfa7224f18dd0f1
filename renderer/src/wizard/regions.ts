import { HEALTHIMAGING_REGIONS } from '../../../contract/ipc';

const REGION_NAMES: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-west-2': 'US West (Oregon)',
  'eu-west-1': 'Europe (Ireland)',
  'eu-west-2': 'Europe (London)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
};

export function regionName(region: string): string {
  return REGION_NAMES[region] ?? region;
}

export function isHealthImagingRegion(region: string | undefined): region is (typeof HEALTHIMAGING_REGIONS)[number] {
  return region !== undefined && (HEALTHIMAGING_REGIONS as readonly string[]).includes(region);
}

export const REGION_OPTIONS = HEALTHIMAGING_REGIONS.map((r) => ({ value: r, label: `${regionName(r)}`, description: r }));
