/** Pure (no Node imports): shared by the run report and the renderer's Done screen. */
/**
 * Whether the AWS console can show what a run made: not for sandbox runs, and not for a run whose
 * profile sent HealthImaging to a custom endpoint outside AWS (a VPC or FIPS endpoint under
 * amazonaws.com is still AWS, so its resources are in the console).
 */
export function consoleLinksApply(context: { sandbox: boolean; endpoint?: string } | undefined): boolean {
  if (!context || context.sandbox) return false;
  if (!context.endpoint) return true;
  try {
    const host = new URL(context.endpoint).hostname.toLowerCase();
    return host === 'amazonaws.com' || host.endsWith('.amazonaws.com') || host.endsWith('.amazonaws.com.cn');
  } catch {
    return false;
  }
}
