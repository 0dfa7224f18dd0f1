/** Usage lines of datastores, jobs, results and watch (no imports: --help loads nothing). */
export const LISTS_USAGE = `  ahi-onboard datastores [--status S] [--json]      every data store of the account and region
  ahi-onboard jobs --datastore-id ID [--status S] [--json]
                                                    the import jobs of a data store, whoever started them
  ahi-onboard results --datastore-id ID --job-id ID [--json]
                                                    what an import job did: counts, failures by type, warnings,
                                                    non-primary image sets
  ahi-onboard watch --datastore-id ID --job-id ID [--json]
                                                    follow a running import job to its end (creates nothing)
  These take --profile NAME, --region R or --sandbox like run; watch also --poll-interval and
  --poll-max-interval. watch exits 0 COMPLETED, 5 completed with failed files, 1 FAILED, 130 interrupted.`;

