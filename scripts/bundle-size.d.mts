// Types for scripts/bundle-size.mjs.
export interface Sized {
  /** relative to the renderer dir, with / */
  file: string;
  bytes: number;
  gzip: number;
}
export interface BundleReport {
  rendererDir: string;
  inlineScripts: string[];
  startJs: Sized[];
  lazyJs: Sized[];
  dynamicImportTargets: string[];
  css: Sized[];
  startJsGzip: number;
  startJsBytes: number;
  allJsGzip: number;
  allJsBytes: number;
  cssGzip: number;
  budgetGzip: number;
}
export declare const START_JS_BUDGET_GZIP: number;
export declare const DEFAULT_RENDERER_DIR: string;
export declare function readStartAssets(html: string): { scripts: string[]; preloads: string[]; stylesheets: string[]; inlineScripts: string[] };
export declare function moduleImports(code: string, fileName?: string): { staticImports: string[]; dynamicImports: string[] };
export declare function measureRendererBundle(rendererDir?: string): BundleReport;
export declare function formatBundleReport(report: BundleReport): string;
