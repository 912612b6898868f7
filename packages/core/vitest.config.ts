import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  // The shared store conformance suite (test-support) imports `@tbkit/core`:
  // here that must be this source tree, not a build of it.
  resolve: { alias: { '@tbkit/core': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['test/**/*.test.ts'],
  },
})
