import { cloudflareTest } from '@cloudflare/vitest-pool-workers'
import { defineConfig } from 'vitest/config'
import { COMPATIBILITY_DATE } from './test/compatibility.js'

// Tests that run inside workerd itself (the pool adds the flags its own
// runner needs; the package needs none, which test/node/example-worker proves).
export default defineConfig({
  plugins: [cloudflareTest({ miniflare: { compatibilityDate: COMPATIBILITY_DATE } })],
  test: {
    name: 'workerd',
    include: ['test/workerd/**/*.test.ts'],
  },
})
