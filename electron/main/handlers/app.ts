/** About the app, and opening vetted links in the user's browser. */
import type { AppInfo, HandlersFor } from '../../../contract/ipc';
import { PRODUCT } from '../../../core/product';
import { vetExternalUrl } from '../external-url';
import type { HandlerContext } from './context';

export type AppHandlers = HandlersFor<'app:info' | 'external:open'>;

export function appHandlers({ deps }: HandlerContext): AppHandlers {
  return {
    async 'app:info'(): Promise<AppInfo> {
      return {
        name: deps.appInfo?.name ?? PRODUCT.name,
        version: deps.appInfo?.version ?? PRODUCT.version,
        platform: process.platform,
        electron: deps.appInfo?.electron ?? false,
      };
    },

    async 'external:open'({ url }) {
      // Vetted here as well as by the platform's opener: https AWS console/documentation pages only.
      const vetted = vetExternalUrl(url);
      if (!vetted.ok) throw new Error(`Refused to open ${JSON.stringify(url.slice(0, 200))}: ${vetted.reason}.`);
      await deps.openExternal(vetted.url);
    },
  };
}
