#!/usr/bin/env node
// Runs the TypeScript CLI straight from a clone (or an npm install) through tsx's programmatic
// ESM loader: no build step, same code as `npm run onboard -- ...`.
import { register } from 'tsx/esm/api';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
register();
const { main } = await import(pathToFileURL(join(root, 'cli', 'main.ts')).href);
process.exitCode = await main(process.argv.slice(2));
