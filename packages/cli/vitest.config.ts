import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The CLI tests spawn the built binary; a loaded machine makes Node start slowly.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
