import { defineConfig } from 'vitest/config';

// Two projects: fast unit/integration tests (plain Node, real SDK against the in-process
// sandbox) and the end-to-end browser specs, which need the built renderer first.
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
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['e2e/**/*.spec.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
