/** `identity`: who is calling (STS GetCallerIdentity). Everything else needs the account. */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { aborting, type PreflightClients } from '../clients';
import { fromCallError, pass, type CheckOutcome } from '../outcome';

export interface IdentityFacts {
  account: string;
  arn: string;
}

export async function checkIdentity(clients: PreflightClients, signal?: AbortSignal): Promise<CheckOutcome & { facts?: IdentityFacts }> {
  try {
    const out = await clients.sts.send(new GetCallerIdentityCommand({}), aborting(signal));
    const facts = { account: out.Account ?? '', arn: out.Arn ?? '' };
    return { ...pass('identity', `Signed in as ${facts.arn} in account ${facts.account}.`), facts };
  } catch (e) {
    return fromCallError('identity', e, 'sts:GetCallerIdentity', signal);
  }
}
