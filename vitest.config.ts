import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// The coverage floor (coverage-floor.json) may only rise; see test/scripts/coverage-floor.test.ts.
const floor = JSON.parse(readFileSync(new URL('./coverage-floor.json', import.meta.url), 'utf8')) as Record<
  'lines' | 'statements' | 'functions' | 'branches',
  number
>;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/matchers.ts'],
    // e2e tests install real packages from the npm registry and start real servers.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
    coverage: {
      provider: 'v8',
      // Product code run in the test processes; spawned CLIs and servers are not measured.
      include: ['core/**/*.ts', 'adapters/**/*.ts', 'cli/**/*.ts', 'registry/**/*.ts'],
      exclude: ['core/generated/**'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      thresholds: {
        lines: floor.lines,
        statements: floor.statements,
        functions: floor.functions,
        branches: floor.branches,
      },
    },
  },
});
