import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Browser tests launch Chromium; give them room on a shared 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One file at a time keeps two Chromiums from fighting over 2 cores.
    fileParallelism: false,
    // Each file removes the temp folders it made; the run fails if anything is left (issue 27.15).
    globalSetup: ['test/helpers/temp-check.ts'],
    setupFiles: ['test/helpers/cleanup.ts'],
  },
});
