// Types for electron-builder.config.mjs, so the TypeScript tests can import it.
import type { Configuration } from 'app-builder-lib';

export declare const RELEASE_CONFIG_PATH: string;
export declare function loadReleaseConfig(path?: string): Configuration & Record<string, unknown>;
export declare function buildMode(env: Record<string, string | undefined>): 'release' | 'e2e';
export declare function builderConfig(
  env?: Record<string, string | undefined>,
  release?: Configuration & Record<string, unknown>,
): Configuration & Record<string, unknown>;
declare const config: Configuration & Record<string, unknown>;
export default config;
