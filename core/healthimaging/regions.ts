/** Regions offering AWS HealthImaging (late 2026, healthimaging.md). PURE. */
export const HEALTHIMAGING_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'ap-southeast-2'] as const;
