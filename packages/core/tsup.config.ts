import { defineConfig } from 'tsup'
import { fileURLToPath } from 'node:url'

const WORKERD_JSON = fileURLToPath(new URL('./src/protocol/json-fast.workerd.ts', import.meta.url))

export default defineConfig([
  { entry: ['src/index.ts'], format: ['esm', 'cjs'], dts: true, sourcemap: true, clean: true, target: 'es2022' },
  // The same entry for the `workerd` export condition (wrangler's first):
  // parseJson takes its exact path on every body (json-fast.workerd.ts), so
  // the probe-and-pieces code that only pays on multi-megabyte bodies stays
  // out of a Worker's bundle. Same API, same answers, same types (index.d.ts).
  {
    entry: { workerd: 'src/index.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'es2022',
    esbuildPlugins: [
      {
        name: 'workerd-json',
        setup(build) {
          build.onResolve({ filter: /^\.\/json-fast\.js$/ }, () => ({ path: WORKERD_JSON }))
        },
      },
    ],
  },
])
