// Types for scripts/make-icons.mjs (imported by scripts/packaging/icons.test.ts).
export interface Raster {
  size: number;
  /** straight RGBA, row-major, top row first */
  rgba: Uint8Array;
}
export declare const LINUX_SIZES: number[];
export declare const ICO_SIZES: number[];
export declare const ICNS_TYPES: Array<[string, number]>;
export declare function encodePng(raster: Raster): Buffer;
export declare function encodeIco(rasters: Raster[]): Buffer;
export declare function encodeIcns(pngBySize: Map<number, Buffer>): Buffer;
export declare function rasterise(svg: string, sizes: number[]): Promise<Raster[]>;
export declare function makeIcons(iconsDir?: string): Promise<string[]>;
