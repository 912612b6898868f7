import { defineConfig } from 'tsup'

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  // Workers have no Node built-ins: build as for any JS runtime, so a stray
  // node: import fails here rather than at deploy time.
  platform: 'neutral',
})
