// The committed icon set is what installers embed; these checks read the containers the way
// the OS does (ICO directory, ICNS entries, PNG headers) so a broken regeneration is caught
// without launching a browser or packaging.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadReleaseConfig } from '../../electron-builder.config.mjs';
import { ICNS_TYPES, ICO_SIZES, LINUX_SIZES } from '../make-icons.mjs';

const require = createRequire(import.meta.url);
const ROOT = join(import.meta.dirname, '..', '..');
const ICONS = join(import.meta.dirname, '..', '..', 'assets', 'icons');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('committed icon set', () => {
  it('has a Linux PNG per size, named NxN.png as electron-builder expects', () => {
    const files = readdirSync(join(ICONS, 'png')).sort();
    expect(files).toEqual(LINUX_SIZES.map((s) => `${s}x${s}.png`).sort());
    for (const size of LINUX_SIZES) {
      expect(pngSize(readFileSync(join(ICONS, 'png', `${size}x${size}.png`)))).toEqual({ width: size, height: size });
    }
    expect(pngSize(readFileSync(join(ICONS, 'icon.png')))).toEqual({ width: 1024, height: 1024 });
  });

  it('has an ICO whose directory lists every size up to 256 and points at real image data', () => {
    const ico = readFileSync(join(ICONS, 'icon.ico'));
    expect(ico.readUInt16LE(0)).toBe(0);
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const sizes: number[] = [];
    for (let i = 0; i < count; i++) {
      const entry = 6 + i * 16;
      const size = ico[entry] === 0 ? 256 : ico[entry]!;
      const length = ico.readUInt32LE(entry + 8);
      const offset = ico.readUInt32LE(entry + 12);
      expect(offset + length).toBeLessThanOrEqual(ico.length);
      const image = ico.subarray(offset, offset + length);
      if (size === 256) expect(pngSize(image)).toEqual({ width: 256, height: 256 });
      else expect([image.readUInt32LE(0), image.readInt32LE(4), image.readInt32LE(8), image.readUInt16LE(14)]).toEqual([40, size, size * 2, 32]);
      sizes.push(size);
    }
    expect(sizes).toEqual(ICO_SIZES);
  });

  it('has an ICNS holding a PNG of the right size for each type, up to 1024', () => {
    const icns = readFileSync(join(ICONS, 'icon.icns'));
    expect(icns.toString('latin1', 0, 4)).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const found: Array<[string, number]> = [];
    for (let at = 8; at < icns.length; ) {
      const type = icns.toString('latin1', at, at + 4);
      const length = icns.readUInt32BE(at + 4);
      const { width, height } = pngSize(icns.subarray(at + 8, at + length));
      expect(width).toBe(height);
      found.push([type, width]);
      at += length;
    }
    expect(found).toEqual(ICNS_TYPES);
  });

  it('is the set the packaging config points at', () => {
    const config = loadReleaseConfig();
    expect(config.linux?.icon).toBe('assets/icons/png');
    expect(config.mac?.icon).toBe('assets/icons/icon.icns');
    expect(config.win?.icon).toBe('assets/icons/icon.ico');
  });

  it('is used by electron-builder as it is, so packaging needs no icon-conversion download', async () => {
    // Any attempt to convert would look for this toolset first and fail at once instead of downloading.
    vi.stubEnv('ELECTRON_BUILDER_ICONS_TOOLSET_DIR', join(tmpdir(), 'no-icons-toolset-here'));
    type Converted = { icons: Array<{ file: string; size: number }>; isFallback: boolean };
    const { convertIcon } = require('app-builder-lib/out/util/iconConverter') as {
      convertIcon(o: { sources: string[]; fallbackSources: string[]; roots: string[]; format: 'icns' | 'ico' | 'set'; outDir: string }): Promise<Converted>;
    };
    const config = loadReleaseConfig();
    const outDir = mkdtempSync(join(tmpdir(), 'icon-convert-'));
    try {
      const convert = (source: string | undefined, format: 'icns' | 'ico' | 'set') =>
        convertIcon({ sources: [source!], fallbackSources: [], roots: [join(ROOT, 'assets/icons'), ROOT], format, outDir });
      const icns = await convert(config.mac?.icon ?? undefined, 'icns');
      expect(icns).toEqual({ icons: [{ file: join(ICONS, 'icon.icns'), size: 0 }], isFallback: false });
      const ico = await convert(config.win?.icon ?? undefined, 'ico');
      expect(ico).toEqual({ icons: [{ file: join(ICONS, 'icon.ico'), size: 256 }], isFallback: false });
      const set = await convert(config.linux?.icon ?? undefined, 'set');
      expect(set.icons.map((i) => i.size)).toEqual(LINUX_SIZES);
      expect(readdirSync(outDir)).toEqual([]);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
      vi.unstubAllEnvs();
    }
  });
});
