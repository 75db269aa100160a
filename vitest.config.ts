// Test tiers: unit tests beside the code, API tests on a real database (PGlite always, PostgreSQL
// too when TEST_DATABASE_URL is set), browser tests in e2e/. Databases are migrated once into a
// template (global setup) and copied per test file.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts', 'web/src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ['default', './test/summary-reporter.ts'],
  },
})
