/** Usage lines for the Identity Center commands: apart from sso-command.ts so --help loads no SDK. */
export const SSO_USAGE = `  ahi-onboard login --profile NAME [--use-device-code] [--no-browser]
                                                    sign in to IAM Identity Center (no AWS CLI needed)
  ahi-onboard logout --profile NAME                 sign out and remove the cached token
  ahi-onboard configure sso --start-url URL --region R [--profile NAME] [--session-name S]
                            [--account-id A] [--role-name R] [--use-device-code] [--no-browser]
                                                    sign in and write [profile] and [sso-session]`;

/** Whether argv is an Identity Center command (kept here, with no imports, so dispatch loads no SDK). */
export const isSsoCommand = (argv: string[]) => argv[0] === 'login' || argv[0] === 'logout' || (argv[0] === 'configure' && argv[1] === 'sso');
