// The architecture's boundaries are enforced by eslint.config.mjs; this proves each one bites
// (a forbidden import is an error) and that the allowed imports stay allowed.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint boundaries', () => {
  it.each([
    ['core/runs/x.ts', "import { app } from 'electron';"],
    ['core/runs/x.ts', "import { useState } from 'react';"],
    ['core/runs/x.ts', "import { startSandbox } from '../../sandbox/index';"],
    ['core/runs/x.ts', "import { x } from '../../renderer/src/App';"],
    ['renderer/src/x.ts', "import { readFileSync } from 'node:fs';"],
    ['renderer/src/x.ts', "import { readFileSync } from 'fs';"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';"],
    ['renderer/src/x.ts', "import { startRun } from '../../core/engine/run';"],
    ['renderer/src/x.ts', "import { x } from '../../electron/main/os-proxy';"],
    ['cli/x.ts', "import { BrowserWindow } from 'electron';"],
    ['cli/x.ts', "import { x } from '../renderer/src/App';"],
  ])('%s may not: %s', async (file, code) => {
    expect(await restricted(file, code)).toHaveLength(1);
  });

  it.each([
    ['renderer/src/x.ts', "import { outcomeOf } from '../../core/runs/outcome';"],
    ['renderer/src/x.ts', "import { x } from '../../core/healthimaging/field-rules';"],
    ['renderer/src/x.ts', "import { formatDuration } from '../../core/text/duration';"],
    ['renderer/src/x.ts', "import type { RunInputs } from '../../contract/ipc';"],
    ['cli/x.ts', "import { startRun } from '../core/engine/run';"],
    ['core/runs/x.test.ts', "import { startSandbox } from '../../sandbox/index';"],
  ])('%s may: %s', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});
