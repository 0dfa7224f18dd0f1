#!/usr/bin/env node
// Regenerates every packaged icon from the one source image, assets/icons/icon.svg:
//   assets/icons/icon.png        1024 px (window icon, README)
//   assets/icons/png/NxN.png     Linux icon set (electron-builder `linux.icon` folder)
//   assets/icons/icon.ico        Windows (BMP entries up to 128 px, PNG at 256 px: what NSIS and Explorer read)
//   assets/icons/icon.icns       macOS (PNG entries, the modern ICNS types)
// The outputs are committed, so a clean clone packages without running this. It needs only
// Chromium (/usr/bin/chromium or CHROMIUM_PATH) to rasterise the SVG: no native npm modules and
// no downloads. The ICO and ICNS containers are written here by hand; both are simple formats.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const ICONS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets', 'icons');
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
// ICNS OSType for each PNG entry and the pixel size it holds (retina types hold 2x pixels).
export const ICNS_TYPES = [
  ['icp4', 16], ['icp5', 32], ['ic11', 32], ['icp6', 64], ['ic12', 64], ['ic07', 128],
  ['ic13', 256], ['ic08', 256], ['ic14', 512], ['ic09', 512], ['ic10', 1024],
];

/** @typedef {{ size: number, rgba: Uint8Array }} Raster  straight (not premultiplied) RGBA, row-major, top row first */

// ---------- PNG ----------
const CRC_TABLE = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function pngChunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
/** @param {Raster} raster */
export function encodePng({ size, rgba }) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * size * 4, size * 4).copy(rows, y * (size * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------- ICO ----------
/** A 32-bit DIB icon image: BITMAPINFOHEADER, BGRA rows bottom-up, then the 1-bit AND mask. */
function encodeIcoBitmap({ size, rgba }) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(size, 4);
  header.writeInt32LE(size * 2, 8); // XOR + AND masks stacked, as ICO requires
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const from = ((size - 1 - y) * size + x) * 4;
      const to = (y * size + x) * 4;
      pixels[to] = rgba[from + 2];
      pixels[to + 1] = rgba[from + 1];
      pixels[to + 2] = rgba[from];
      pixels[to + 3] = rgba[from + 3];
    }
  }
  const maskStride = Math.ceil(size / 32) * 4;
  const mask = Buffer.alloc(maskStride * size); // all 0: alpha channel decides transparency
  return Buffer.concat([header, pixels, mask]);
}
/** @param {Raster[]} rasters */
export function encodeIco(rasters) {
  const images = rasters.map((r) => (r.size >= 256 ? encodePng(r) : encodeIcoBitmap(r)));
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(rasters.length, 4);
  const directory = Buffer.alloc(16 * rasters.length);
  let offset = header.length + directory.length;
  rasters.forEach((r, i) => {
    const entry = i * 16;
    directory[entry] = r.size >= 256 ? 0 : r.size; // 0 means 256
    directory[entry + 1] = r.size >= 256 ? 0 : r.size;
    directory.writeUInt16LE(1, entry + 4); // colour planes
    directory.writeUInt16LE(32, entry + 6); // bits per pixel
    directory.writeUInt32LE(images[i].length, entry + 8);
    directory.writeUInt32LE(offset, entry + 12);
    offset += images[i].length;
  });
  return Buffer.concat([header, directory, ...images]);
}

// ---------- ICNS ----------
/** @param {Map<number, Buffer>} pngBySize */
export function encodeIcns(pngBySize) {
  const entries = ICNS_TYPES.map(([type, size]) => {
    const png = pngBySize.get(size);
    if (!png) throw new Error(`no ${size}px PNG for ICNS entry ${type}`);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'latin1');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(entries);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

// ---------- rasterising ----------
/** Renders the SVG at each size in Chromium (a canvas per size, so small sizes are drawn, not scaled down). */
export async function rasterise(svg, sizes) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const dataUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    const results = await page.evaluate(async ({ dataUrl, sizes }) => {
      const img = new Image();
      img.src = dataUrl;
      await img.decode();
      return sizes.map((size) => {
        const canvas = document.createElement('canvas');
        canvas.width = size;
        canvas.height = size;
        const ctx = canvas.getContext('2d');
        if (!ctx) throw new Error('no 2d canvas');
        ctx.imageSmoothingQuality = 'high';
        ctx.drawImage(img, 0, 0, size, size);
        // base64 keeps the 4 MB of 1024 px pixels cheap to pass out of the page
        const bytes = ctx.getImageData(0, 0, size, size).data;
        let binary = '';
        for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return { size, rgba: btoa(binary) };
      });
    }, { dataUrl, sizes });
    return results.map((r) => ({ size: r.size, rgba: new Uint8Array(Buffer.from(r.rgba, 'base64')) }));
  } finally {
    await browser.close();
  }
}

export async function makeIcons(iconsDir = ICONS_DIR) {
  const svg = await readFile(join(iconsDir, 'icon.svg'), 'utf8');
  const sizes = [...new Set([...LINUX_SIZES, ...ICO_SIZES, ...ICNS_TYPES.map(([, s]) => s)])].sort((a, b) => a - b);
  const rasters = await rasterise(svg, sizes);
  const bySize = new Map(rasters.map((r) => [r.size, r]));
  const pngBySize = new Map(rasters.map((r) => [r.size, encodePng(r)]));
  const get = (map, size) => {
    const value = map.get(size);
    if (!value) throw new Error(`missing ${size}px raster`);
    return value;
  };

  await mkdir(join(iconsDir, 'png'), { recursive: true });
  const written = [];
  const write = async (name, data) => {
    await writeFile(join(iconsDir, name), data);
    written.push(`${name} (${data.length} bytes)`);
  };
  for (const size of LINUX_SIZES) await write(join('png', `${size}x${size}.png`), get(pngBySize, size));
  await write('icon.png', get(pngBySize, 1024));
  await write('icon.ico', encodeIco(ICO_SIZES.map((s) => get(bySize, s))));
  await write('icon.icns', encodeIcns(pngBySize));
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const written = await makeIcons();
  for (const line of written) console.log(`wrote assets/icons/${line}`);
}
