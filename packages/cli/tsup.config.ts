import { defineConfig } from 'tsup'

// ESM only, code-split: tbk.js holds the argument parser and help; every
// command is its own chunk loaded by dynamic import(), so `tbk --version`
// loads none of @tbkit/node, undici, the catalog or the emulator.
export default defineConfig({
  entry: { tbk: 'src/tbk.ts', demo: 'src/demo.ts', index: 'src/index.ts' },
  format: ['esm'],
  splitting: true,
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
})
