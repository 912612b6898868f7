import { defineConfig } from 'vitest/config'

// Miniflare downloads a `request.cf` sample unless told not to; nothing here may reach the internet.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The runtimes start as child processes (and workerd); give them room on a busy 2-core machine.
    hookTimeout: 120_000,
    testTimeout: 60_000,
  },
})
