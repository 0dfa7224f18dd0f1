// Builds `ahi-onboard` to plain JavaScript (out/cli/), so the command runs with no TypeScript
// compiler at run time. Everything it imports, the AWS SDK included, is bundled: an installed
// command (scripts/pack-cli.mjs) needs no node_modules and no download. Code splitting keeps each
// command in its own chunk: cli/main.ts imports them lazily, so `--version` and `--help` load no
// AWS SDK. out/cli/meta.json (esbuild's metafile, not shipped) says which sources each chunk holds.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${root}out/cli`;
// Built beside and swapped in at the end: a command started meanwhile never sees half a build.
const staging = `${outDir}.building-${process.pid}`;
// A build that died halfway leaves its folder behind; out/ must hold only real output.
mkdirSync(`${root}out`, { recursive: true });
for (const name of readdirSync(`${root}out`)) if (name.startsWith('cli.building-')) rmSync(`${root}out/${name}`, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ['cli/main.ts'],
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The bundled CommonJS packages (most of the SDK) call require() for Node built-ins; an ES
  // module has none, so each chunk gets one. esbuild's own __require shim then finds it.
  banner: { js: "import { createRequire as __cliCreateRequire } from 'node:module'; const require = __cliCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
});
writeFileSync(`${staging}/meta.json`, JSON.stringify(result.metafile));
rmSync(outDir, { recursive: true, force: true });
renameSync(staging, outDir);
console.log('built out/cli/main.js');
