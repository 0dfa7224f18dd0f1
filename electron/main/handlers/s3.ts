/**
 * S3 browsing for the prefix fields: buckets, one folder level, and a folder's object count and
 * size, on the session of the wizard's target (the profile and region a run would use). Only names,
 * sizes and dates cross to the page.
 */
import type { HandlersFor } from '../../../contract/ipc';
import { listBuckets, listPrefix, prefixSummary } from '../../../core/app/s3-browse';
import type { HandlerContext } from './context';

export type S3Handlers = HandlersFor<'s3:buckets' | 's3:list' | 's3:summary'>;

export function s3Handlers({ sessions, assertOpen }: HandlerContext): S3Handlers {
  // One summary at a time: the page asks for the folder the user selects now, and a count of a
  // folder selected before (up to 100 list calls) would only spend the request quota.
  let counting: AbortController | undefined;
  return {
    async 's3:buckets'(target) {
      assertOpen();
      const session = await sessions.sessionFor(target);
      return { region: session.region, buckets: await listBuckets(session) };
    },

    async 's3:list'({ profile, region, ...request }) {
      assertOpen();
      return listPrefix(await sessions.sessionFor({ profile, region }), request);
    },

    async 's3:summary'({ profile, region, ...request }) {
      assertOpen();
      counting?.abort(new Error('A newer folder was selected; this count was stopped.'));
      const mine = (counting = new AbortController());
      try {
        return await prefixSummary(await sessions.sessionFor({ profile, region }), request, { signal: mine.signal });
      } finally {
        if (counting === mine) counting = undefined;
      }
    },
  };
}
