import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Lab tests start real TLS servers and run testssl.sh; they are slow by nature, not by bug.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Builds dist/ when it is missing or older than the sources (the CLI tests run the built program).
    globalSetup: ['test/support/build-dist.ts'],
  },
});
