import { defineConfig } from 'vitest/config'

// The suites that exercise the wire run once per HTTP stack: node:http (what
// a client starts on) and undici (what it hands over to when long-lived).
const WIRE_SUITES = ['transport', 'proxy', 'limits', 'multipart', 'emulator', 'memory', 'tls', 'hardening'].map((name) => `test/${name}.test.ts`)

export default defineConfig({
  test: {
    testTimeout: 20_000,
    projects: [
      { extends: true, test: { name: 'node-http', include: ['test/**/*.test.ts'], env: { TBKIT_TEST_TRANSPORT: 'node-http' } } },
      { extends: true, test: { name: 'undici', include: WIRE_SUITES, env: { TBKIT_TEST_TRANSPORT: 'undici' } } },
    ],
  },
})
