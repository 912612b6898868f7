import { defineConfig } from 'vitest/config'

// Node-side checks: the bundle budget, the package's shape, and the example
// Worker run by Miniflare against a real gateway on 127.0.0.1.
export default defineConfig({
  test: {
    name: 'node',
    include: ['test/node/**/*.test.ts'],
    // Starting workerd and bundling take a few seconds on a cold machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
