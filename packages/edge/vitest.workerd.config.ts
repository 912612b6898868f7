import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'
import { COMPATIBILITY_DATE } from './test/compatibility.js'

// Miniflare downloads a `request.cf` sample unless NODE_ENV is "test" or this
// says no; tests must never reach the internet, whatever NODE_ENV CI sets.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'

// Tests that run inside workerd itself (the pool adds the flags its own
// runner needs; the package needs none, which test/node/example-worker proves).
export default defineConfig({
  plugins: [cloudflareTest({ miniflare: { compatibilityDate: COMPATIBILITY_DATE } })],
  test: {
    name: 'workerd',
    include: ['test/workerd/**/*.test.ts'],
  },
})
