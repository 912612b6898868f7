import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The fleet and outage tests run real Redis servers and child processes: one file at a time.
    fileParallelism: false,
  },
})
