import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The Prometheus e2e starts a server and a child process: one file at a time.
    fileParallelism: false,
  },
})
