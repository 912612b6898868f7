import { defineConfig } from 'vitest/config'

// Miniflare downloads a `request.cf` sample unless told not to; tests never reach the internet.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Child processes, servers and workerd: one file at a time on a shared machine.
    fileParallelism: false,
  },
})
