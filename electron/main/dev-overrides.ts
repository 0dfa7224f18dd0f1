/**
 * What an UNPACKAGED app takes from its environment, for `electron-vite dev` and the end-to-end
 * suite. A packaged app honours none of it.
 */
import type { App } from 'electron';

export interface DevOverrides {
  /** `electron-vite dev` serves the renderer from Vite. */
  devServerUrl?: string;
  devServerOrigin?: string;
  /** The e2e suite cannot click through a native save dialog: exports are saved into this folder. */
  saveDir?: string;
  /** Slower sandbox for e2e specs that act during a run (reload, cancel). */
  sandboxTimeScale?: number;
}

/** Reads the overrides; a fresh user-data folder per e2e spec is applied at once (before ready). */
export function applyDevOverrides(app: Pick<App, 'isPackaged' | 'setPath'>, env: NodeJS.ProcessEnv = process.env): DevOverrides {
  if (app.isPackaged) return {};
  const userData = env['AHI_E2E_USER_DATA'];
  if (userData) app.setPath('userData', userData);
  const devServerUrl = env['ELECTRON_RENDERER_URL'];
  const timeScale = Number(env['AHI_SANDBOX_TIME_SCALE']) || undefined;
  return {
    ...(devServerUrl ? { devServerUrl, devServerOrigin: new URL(devServerUrl).origin } : {}),
    ...(env['AHI_E2E_SAVE_DIR'] ? { saveDir: env['AHI_E2E_SAVE_DIR'] } : {}),
    ...(timeScale ? { sandboxTimeScale: timeScale } : {}),
  };
}
