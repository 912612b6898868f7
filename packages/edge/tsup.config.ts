import { defineConfig, type Options } from 'tsup'
import { fileURLToPath } from 'node:url'

const shared: Options = {
  sourcemap: true,
  target: 'es2022',
  // Workers have no Node built-ins: build as for any JS runtime, so a stray
  // node: import fails here rather than at deploy time.
  platform: 'neutral',
}

const WORKERD_CRYPTO = fileURLToPath(new URL('./src/platform-crypto.workerd.ts', import.meta.url))

export default defineConfig([
  { ...shared, entry: { index: 'src/index.ts', d1: 'src/d1-ledger-store.ts' }, format: ['esm', 'cjs'], dts: true, clean: true },
  // The same entry for the `workerd` export condition, with workerd's own MD5
  // in place of the probed one (and so without core's portable MD5).
  {
    ...shared,
    entry: { workerd: 'src/index.ts' },
    format: ['esm'],
    esbuildPlugins: [
      {
        name: 'workerd-crypto',
        setup(build) {
          build.onResolve({ filter: /^\.\/platform-crypto\.js$/ }, () => ({ path: WORKERD_CRYPTO }))
        },
      },
    ],
  },
])
