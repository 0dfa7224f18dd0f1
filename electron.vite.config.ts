import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

const root = import.meta.dirname;

/**
 * Copies the bundled Arazzo workflow(s) from assets/ next to the built main process
 * (out/main/assets/), so the app finds its workflow at run time the same way in `electron-vite dev`,
 * `electron-vite preview` and the packaged app (where out/ is inside app.asar): relative to the
 * main bundle, never relative to the working directory, and never from ../shared.
 */
function copyWorkflowAssets(): Plugin {
  return {
    name: 'ahi:copy-workflow-assets',
    apply: 'build',
    writeBundle(options) {
      const outDir = options.dir ?? resolve(root, 'out/main');
      const target = resolve(outDir, 'assets');
      mkdirSync(target, { recursive: true });
      for (const file of readdirSync(resolve(root, 'assets'))) {
        if (!/\.(ya?ml|json)$/i.test(file)) continue;
        // Remove first: the source may be read-only, and copyFileSync keeps that mode on the copy.
        rmSync(resolve(target, file), { force: true });
        copyFileSync(resolve(root, 'assets', file), resolve(target, file));
      }
    },
  };
}

/**
 * Prints the renderer's gzip size (start JS against its 600 KB budget, and the lazy chunks) at the
 * end of every build, so a growing bundle is seen where it happens, not only at packaging time.
 */
function printRendererBundleSize(): Plugin {
  return {
    name: 'ahi:print-renderer-bundle-size',
    apply: 'build',
    async closeBundle() {
      // Loaded by URL at build time: the config bundler must not inline a script with a shebang.
      const { measureRendererBundle, formatBundleReport } = await import(pathToFileURL(resolve(root, 'scripts/bundle-size.mjs')).href);
      console.log(`\n${formatBundleReport(measureRendererBundle(resolve(root, 'out/renderer')))}`);
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Dependencies listed in package.json "dependencies" (the AWS SDK v3 clients, @smithy/*, zod,
      // yaml, ajv, dicom libraries) stay EXTERNAL: electron-builder ships production dependencies
      // inside app.asar anyway, the SDK's per-runtime config resolution keeps working exactly as in
      // plain Node (the CLI and the tests run the same code), and the main bundle stays small and
      // fast to rebuild. Our own code (electron/main, core/, sandbox/, contract/) is bundled.
      externalizeDeps: true,
      rolldownOptions: {
        input: { index: resolve(root, 'electron/main/index.ts') },
      },
    },
    plugins: [copyWorkflowAssets()],
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require() anything but 'electron' (and a few polyfilled
      // modules), so nothing may stay external: bundle it completely, as CommonJS (`.cjs`, because
      // package.json says "type": "module" and sandboxed preloads cannot be ES modules).
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: '[name]-[hash].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    // Served from app://bundle/ in the app and from the browser host's origin in tests: relative URLs work for both.
    base: './',
    build: {
      outDir: resolve(root, 'out/renderer'),
      // electron-vite leaves the renderer unminified; minified, the start JS is about a third smaller.
      minify: true,
      // The budget that matters is gzip start JS (printed below, tested in scripts/); Cloudscape's
      // core alone is over Rollup's raw 500 kB hint.
      chunkSizeWarningLimit: 1000,
      rolldownOptions: {
        input: { index: resolve(root, 'renderer/index.html') },
      },
    },
    plugins: [react(), printRendererBundleSize()],
  },
});
