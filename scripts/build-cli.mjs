// Builds `ahi-onboard` to plain JavaScript (out/cli/), so the command runs with no TypeScript
// compiler at run time. Code splitting keeps each command in its own chunk: cli/main.ts imports
// them lazily, so `--version` and `--help` load no AWS SDK. Packages stay external (node_modules).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(`${root}out/cli`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: ['cli/main.ts'],
  outdir: 'out/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
console.log('built out/cli/main.js');
