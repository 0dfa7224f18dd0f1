/** Usage lines for the Identity Center commands: apart from sso-command.ts so --help loads no SDK. */
export const SSO_USAGE = `  ahi-onboard login --profile NAME [--use-device-code] [--no-browser]
                                                    sign in to IAM Identity Center (no AWS CLI needed)
  ahi-onboard logout --profile NAME                 sign out and remove the cached token
  ahi-onboard configure sso --start-url URL --region R [--profile NAME] [--session-name S]
                            [--account-id A] [--role-name R] [--use-device-code] [--no-browser]
                                                    sign in and write [profile] and [sso-session]`;
