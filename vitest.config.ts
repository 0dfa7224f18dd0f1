import { defineConfig } from 'vitest/config';

// Unit/integration tests (plain Node, real SDK against the in-process sandbox). The end-to-end
// specs under e2e/ run on Playwright Test (playwright.config.ts), not here.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['core/**/*.test.ts', 'sandbox/**/*.test.ts', 'cli/**/*.test.ts', 'electron/**/*.test.ts', 'contract/**/*.test.ts', 'renderer/**/*.test.ts', 'scripts/**/*.test.ts', 'bench/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
