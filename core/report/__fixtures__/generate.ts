/**
 * Rewrites the recorded event logs (*.ndjson) from scenarios.ts. Run after changing a scenario:
 *   npx tsx core/report/__fixtures__/generate.ts
 * then refresh the goldens with UPDATE_GOLDENS=1 and review the diff.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RECORDED } from './scenarios';

const here = dirname(fileURLToPath(import.meta.url));
for (const [name, make] of Object.entries(RECORDED)) {
  const file = join(here, `${name}.ndjson`);
  writeFileSync(file, make().map((e) => JSON.stringify(e)).join('\n') + '\n');
  console.log(`wrote ${file}`);
}
