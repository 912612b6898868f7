import { defineConfig } from 'tsup'
import { fileURLToPath } from 'node:url'

const WORKERD_RESTORE = fileURLToPath(new URL('./src/protocol/large-body-restore.workerd.ts', import.meta.url))

export default defineConfig([
  { entry: ['src/index.ts'], format: ['esm', 'cjs'], dts: true, sourcemap: true, clean: true, target: 'es2022' },
  // The same entry for the `workerd` export condition (wrangler's first):
  // parseJson always quotes ids in a copy of the body, exact on every body,
  // so the restore walk that only pays on multi-megabyte bodies stays out of
  // a Worker's bundle. Same API, same types (index.d.ts).
  {
    entry: { workerd: 'src/index.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'es2022',
    esbuildPlugins: [
      {
        name: 'workerd-json',
        setup(build) {
          build.onResolve({ filter: /^\.\/large-body-restore\.js$/ }, () => ({ path: WORKERD_RESTORE }))
        },
      },
    ],
  },
])
