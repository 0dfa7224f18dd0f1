/**
 * Where the built app's files are, found relative to the main bundle (out/main/index.js), so dev,
 * preview and the packaged app (inside app.asar) resolve them the same way. No electron import.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_WORKFLOW_FILE } from '../../core/healthimaging/workflows';

export const WORKFLOW_FILE = BUNDLED_WORKFLOW_FILE;

export interface AppFiles {
  rendererDir: string;
  preloadPath: string;
  workflowPath: string;
  iconPath?: string;
}

/** `mainDir` is the folder of the running main bundle; appPath is app.getAppPath() (a fallback for assets). */
export function resolveAppFiles(mainDir: string, appPath: string): AppFiles {
  const firstExisting = (...candidates: string[]) => candidates.find((c) => existsSync(c)) ?? candidates[0]!;
  const icon = firstExisting(path.join(appPath, 'assets', 'icons', 'icon.png'), path.join(appPath, 'assets', 'icon.png'));
  return {
    rendererDir: path.resolve(mainDir, '../renderer'),
    preloadPath: path.resolve(mainDir, '../preload/index.cjs'),
    // Copied next to the bundle at build time (electron.vite.config.ts); assets/ at the app root as a fallback.
    workflowPath: firstExisting(path.join(mainDir, 'assets', WORKFLOW_FILE), path.join(appPath, 'assets', WORKFLOW_FILE)),
    ...(existsSync(icon) ? { iconPath: icon } : {}),
  };
}

export function currentModuleDir(metaUrl: string): string {
  return path.dirname(fileURLToPath(metaUrl));
}
