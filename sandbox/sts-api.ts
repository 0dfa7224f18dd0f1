/** STS GetCallerIdentity in the awsQuery protocol (form POST in, XML out), as @aws-sdk/client-sts expects. */
import { ApiError, xmlEscape } from './errors';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function stsAction(form: Record<string, string | string[]>): string {
  const a = form['Action'];
  return typeof a === 'string' ? a : 'Unknown';
}

export function getCallerIdentityXml(accountId: string, accessKeyId: string, requestId: string, arn = `arn:aws:iam::${accountId}:user/sandbox-user`): string {
  const userId = `AIDA${accessKeyId.slice(4, 20).toUpperCase().padEnd(16, 'X')}`;
  return (
    `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult>` +
    `<Arn>${xmlEscape(arn)}</Arn><UserId>${xmlEscape(userId)}</UserId><Account>${accountId}</Account>` +
    `</GetCallerIdentityResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`
  );
}

export function handleSts(action: string, accountId: string, accessKeyId: string, requestId: string, arn?: string): string {
  if (action !== 'GetCallerIdentity')
    throw new ApiError('InvalidAction', 400, `Could not find operation ${action} for version 2011-06-15 (the sandbox STS answers GetCallerIdentity only)`);
  return getCallerIdentityXml(accountId, accessKeyId, requestId, arn);
}

/** awsQuery errors; IAM's differ only in their namespace. */
export function stsErrorXml(code: string, status: number, message: string, requestId: string, ns = NS): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return `<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${xmlEscape(code)}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
