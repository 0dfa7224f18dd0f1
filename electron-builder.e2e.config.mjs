// The end-to-end test build (`npm run dist:e2e`): the release config with the inspect fuse left
// on for Playwright's `_electron.launch`, written to release/e2e. A file of its own rather than
// `E2E_BUILD=1 ...` in the npm script, because that syntax does not work in Windows' cmd.exe.
import { builderConfig } from './electron-builder.config.mjs';

export default builderConfig({ E2E_BUILD: '1' });
