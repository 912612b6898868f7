import { defineConfig } from 'tsup'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export default defineConfig([
  { entry: ['src/index.ts'], format: ['esm', 'cjs'], dts: true, sourcemap: true, clean: true, target: 'es2022' },
  // The same entry for the `workerd` export condition (wrangler's first): a
  // module `x.ts` with a sibling `x.workerd.ts` is replaced by it, for the
  // same API in fewer bytes. parseJson takes its exact path on every body
  // (json-fast.workerd.ts), so the probe-and-pieces code that only pays on
  // multi-megabyte bodies stays out of a Worker's bundle; records are plain
  // null-prototype objects (records.workerd.ts). Same answers, same types (index.d.ts).
  {
    entry: { workerd: 'src/index.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'es2022',
    esbuildPlugins: [
      {
        name: 'workerd-variants',
        setup(build) {
          build.onResolve({ filter: /^\.\.?\/.*\.js$/ }, ({ path, resolveDir }) => {
            const variant = join(resolveDir, path.replace(/\.js$/, '.workerd.ts'))
            return existsSync(variant) ? { path: variant } : undefined
          })
        },
      },
    ],
  },
])
